import { describe, expect, it } from 'vitest';
import { rankNotes } from '../../shared/ranking.ts';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

const server = useTestServer();

/** Three notes on the board, voting open, n participants. */
async function voting(n = 3, settings: { budget?: number; cap?: number; facilitatorVotes?: boolean } = {}) {
  const w = await createWorkshop(server.url, { title: 'Vote', silent: false });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  if (Object.keys(settings).length) await fac.do({ type: 'settings.set', ...settings });
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const people = await Promise.all(Array.from({ length: n }, () => TestClient.participant(server.url, w.code)));
  const notes: string[] = [];
  for (const [boneId, text] of [
    ['people', 'Power and hierarchy'],
    ['resources', 'No time'],
    ['resources', 'Cost shunting'],
  ]) {
    notes.push((await people[0].do({ type: 'note.add', boneId, text })).noteId!);
  }
  await fac.do({ type: 'phase.set', phase: 'vote' });
  return { w, fac, people, notes };
}

const vote = (c: TestClient, noteId: string, delta = 1) => c.send({ type: 'vote.change', noteId, delta });

describe('dot voting', () => {
  it('a participant spends a budget of 5 with at most 3 on one note, and can move dots around', async () => {
    const { people, notes } = await voting(1);
    const [p] = people;
    for (let i = 0; i < 3; i++) expect(await vote(p, notes[0])).toMatchObject({ ok: true });
    expect(await vote(p, notes[0])).toMatchObject({ ok: false, code: 'over_cap', message: 'At most 3 dots on one note.' });
    expect(await vote(p, notes[1], 2)).toMatchObject({ ok: true });
    expect(await vote(p, notes[2])).toMatchObject({ ok: false, code: 'over_budget', message: 'You have 0 dots left.' });
    expect(await vote(p, notes[0], -1)).toMatchObject({ ok: true });
    expect(await vote(p, notes[2])).toMatchObject({ ok: true });
    await until(() => p.self?.dotsLeft === 0 && p.self.ballot[notes[2]] === 1, 'self view');
    expect(p.self!.ballot).toEqual({ [notes[0]]: 2, [notes[1]]: 2, [notes[2]]: 1 });
    expect(await vote(p, notes[2], -2)).toMatchObject({ ok: false, code: 'negative' });
  });

  it('the facilitator sets the budget and cap before voting, within limits', async () => {
    const w = await createWorkshop(server.url, { title: 'Settings' });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    expect(await fac.send({ type: 'settings.set', budget: 0 })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await fac.send({ type: 'settings.set', budget: 21 })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await fac.send({ type: 'settings.set', budget: 4, cap: 5 })).toMatchObject({ ok: false, code: 'bad_request' });
    await fac.do({ type: 'settings.set', budget: 10, cap: 4 });
    expect(fac.board().meta).toMatchObject({ budget: 10, cap: 4 });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    expect(await fac.send({ type: 'settings.set', budget: 3 })).toMatchObject({ ok: false, code: 'wrong_phase' });
  });

  it('refuses votes for unknown or removed notes, and gives back dots on a removed note', async () => {
    const { fac, people, notes } = await voting(1);
    const [p] = people;
    expect(await vote(p, 'no-such-note')).toMatchObject({ ok: false, code: 'not_found' });
    await vote(p, notes[2]);
    await vote(p, notes[2]);
    await fac.do({ type: 'note.delete', noteId: notes[2] });
    await until(() => p.self?.dotsLeft === 5, 'dots given back');
    expect(await vote(p, notes[2])).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('votes only while voting is open; participants cannot open, close or reveal', async () => {
    const { fac, people, notes } = await voting(1);
    const [p] = people;
    for (const phase of ['vote', 'reveal', 'review'] as const) {
      expect(await p.send({ type: 'phase.set', phase })).toMatchObject({ ok: false, code: 'forbidden' });
    }
    await vote(p, notes[0]);
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    expect(await vote(p, notes[1])).toMatchObject({ ok: false, code: 'wrong_phase', message: expect.stringContaining('Reveal') });
    expect(await vote(p, notes[0], -1)).toMatchObject({ ok: false, code: 'wrong_phase' });
    // no going back to voting after the reveal
    expect(await fac.send({ type: 'phase.set', phase: 'vote' })).toMatchObject({ ok: false, code: 'wrong_phase' });
  });

  it('the facilitator votes only when the workshop says so', async () => {
    const a = await voting(1);
    expect(await vote(a.fac, a.notes[0])).toMatchObject({ ok: false, code: 'forbidden' });
    const b = await voting(1, { facilitatorVotes: true });
    expect(await vote(b.fac, b.notes[0])).toMatchObject({ ok: true });
  });

  it('the budget holds atomically: 32 concurrent +1 from one participant over two sockets', async () => {
    const { w, people, notes } = await voting(1, { budget: 20, cap: 20 });
    const tab2 = await TestClient.participant(server.url, w.code, people[0].token);
    const tabs = [people[0], tab2];
    // 32: as many as one person may have waiting at once (IN_FLIGHT_PER_ACTOR).
    const results = await Promise.all(Array.from({ length: 32 }, (_, i) => vote(tabs[i % 2], notes[i % 3])));
    const okCount = results.filter((r) => r.ok).length;
    expect(okCount).toBe(20);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.code)).toEqual(Array(12).fill('over_budget'));
    await until(() => tab2.self?.dotsLeft === 0, 'both tabs see the spent budget');
    expect(Object.values(tab2.self!.ballot).reduce((a, b) => a + b, 0)).toBe(20);
  });

  it('turnout is all anyone sees while voting; the reveal publishes the ranking and bone weights', async () => {
    const { fac, people, notes } = await voting(4);
    const [a, b, c] = people;
    // notes: 0 people/"Power and hierarchy", 1 resources/"No time", 2 resources/"Cost shunting"
    await vote(a, notes[0], 3);
    await vote(b, notes[0], 1);
    await vote(b, notes[1], 3);
    await vote(c, notes[1], 1);
    await vote(c, notes[2], 3);
    await until(() => fac.stats?.turnout.voters === 3, 'turnout');
    expect(fac.stats!.turnout).toEqual({ voters: 3, eligible: 4 });
    expect(fac.board().tally).toBeNull();
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await until(() => a.board().tally !== null, 'tally reaches phones');
    const tally = fac.board().tally!;
    expect(tally).toEqual({
      voters: 3,
      dots: 11,
      notes: { [notes[0]]: { dots: 4, supporters: 2 }, [notes[1]]: { dots: 4, supporters: 2 }, [notes[2]]: { dots: 3, supporters: 1 } },
      bones: { people: 4, resources: 7 },
    });
    const ranking = rankNotes(fac.board().notes, tally);
    expect(ranking.map((r) => [r.note.text, r.rank, r.tied])).toEqual([
      ['No time', 1, true],
      ['Power and hierarchy', 1, true],
      ['Cost shunting', 3, false],
    ]);
  });
});
