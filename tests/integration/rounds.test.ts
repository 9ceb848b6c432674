import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../server/exports/outcome.ts';
import { workshopExportSchema } from '../../shared/export-schema.ts';
import { rankNotes } from '../../shared/ranking.ts';
import { roundsOf } from '../../shared/rounds.ts';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

/** Closing and reopening a vote; "vote again on the top N" (server/workshop/rounds.ts). */
const server = useTestServer();

/** Five notes, three voters, round one revealed: A 6 dots, B 4, C 3, D 2, E none. */
async function revealed() {
  const w = await createWorkshop(server.url, { title: 'Rounds', silent: false });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  const people = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const id: Record<string, string> = {};
  for (const t of ['A', 'B', 'C', 'D', 'E']) id[t] = (await fac.do({ type: 'note.add', boneId: 'processes', text: t })).noteId!;
  await fac.do({ type: 'phase.set', phase: 'vote' });
  const [p, q, r] = people;
  for (const [who, note, dots] of [
    [p, 'A', 3],
    [p, 'B', 2],
    [q, 'A', 3],
    [q, 'C', 2],
    [r, 'B', 2],
    [r, 'C', 1],
    [r, 'D', 2],
  ] as const)
    await who.do({ type: 'vote.change', noteId: id[note], delta: dots });
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  return { w, fac, people, id };
}

describe('closing a vote', () => {
  it('closes and reopens until the results are revealed', async () => {
    const w = await createWorkshop(server.url, { title: 'Close', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const p = await TestClient.participant(server.url, w.code);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const { noteId } = await fac.do({ type: 'note.add', boneId: 'people', text: 'A barrier' });
    expect(await fac.send({ type: 'vote.close', closed: true })).toMatchObject({
      ok: false,
      code: 'wrong_phase',
      message: 'Not possible in the Brainstorm phase: voting is closed or reopened during the vote.',
    });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await p.do({ type: 'vote.change', noteId: noteId!, delta: 1 });
    await fac.do({ type: 'vote.close', closed: true });
    await until(() => p.board().meta.votingClosed === true, 'closed on the phone');
    expect(await p.send({ type: 'vote.change', noteId: noteId!, delta: 1 })).toMatchObject({
      ok: false,
      code: 'wrong_phase',
      message: 'Not possible in the Vote phase: voting is closed for now (the facilitator may reopen it).',
    });
    expect(await fac.send({ type: 'vote.close', closed: true })).toMatchObject({
      ok: false,
      code: 'wrong_phase',
      message: expect.stringContaining('already closed'),
    });
    expect(await p.send({ type: 'vote.close', closed: false })).toMatchObject({ ok: false, code: 'forbidden' });
    // Closed by mistake: reopen, and the dot placed before is still there.
    await fac.do({ type: 'vote.close', closed: false });
    expect(await fac.send({ type: 'vote.close', closed: false })).toMatchObject({
      ok: false,
      code: 'wrong_phase',
      message: expect.stringContaining('already open'),
    });
    await p.do({ type: 'vote.change', noteId: noteId!, delta: 1 });
    await fac.do({ type: 'vote.close', closed: true });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    expect(fac.board().meta.votingClosed).toBe(false);
    expect(fac.board().tally!.notes[noteId!]).toEqual({ dots: 2, supporters: 1 });
    // Once revealed, it cannot reopen.
    expect(await fac.send({ type: 'vote.close', closed: false })).toMatchObject({ ok: false, code: 'wrong_phase' });
    expect(await fac.send({ type: 'phase.set', phase: 'vote' })).toMatchObject({ ok: false, code: 'wrong_phase' });
  });
});

describe('a second round', () => {
  it('votes again on the top N only, with a fresh budget, and reveals its own ranking beside the first', async () => {
    const { w, fac, people, id } = await revealed();
    const [p, q, r] = people;
    const first = structuredClone(fac.board().tally);
    await fac.do({ type: 'round.start', top: 3, budget: 4, cap: 2 });
    await until(() => p.board().meta.phase === 'vote' && p.board().meta.round === 2, 'round 2');
    const rounds = p.board().rounds;
    expect(rounds).toEqual([{ round: 2, noteIds: [id.A, id.B, id.C], budget: 4, cap: 2, tally: null }]);
    // Fresh dots, nobody has voted in this round yet.
    await until(() => p.self?.dotsLeft === 4 && Object.keys(p.self.ballot).length === 0, 'a fresh budget');
    await until(() => fac.stats?.turnout.voters === 0, 'turnout from zero');
    expect(await p.send({ type: 'vote.change', noteId: id.D, delta: 1 })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: "That request was not understood: that note is not in this round's vote.",
    });
    expect(await p.send({ type: 'vote.change', noteId: id.C, delta: 3 })).toMatchObject({
      ok: false,
      code: 'over_cap',
      message: 'At most 2 dots on one note.',
    });
    await p.do({ type: 'vote.change', noteId: id.C, delta: 2 });
    await p.do({ type: 'vote.change', noteId: id.B, delta: 2 });
    expect(await p.send({ type: 'vote.change', noteId: id.A, delta: 1 })).toMatchObject({
      ok: false,
      code: 'over_budget',
      message: 'You have 0 dots left.',
    });
    await q.do({ type: 'vote.change', noteId: id.C, delta: 2 });
    await r.do({ type: 'vote.change', noteId: id.A, delta: 1 });
    // A later round goes forward only.
    expect(await fac.send({ type: 'phase.set', phase: 'review' })).toMatchObject({ ok: false, code: 'wrong_phase' });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await until(() => p.board().rounds[0]?.tally !== null, 'round 2 revealed');
    const board = p.board();
    expect(board.tally).toEqual(first); // the first round's results stay as they were
    expect(board.rounds[0].tally).toEqual({
      voters: 3,
      dots: 7,
      notes: { [id.C]: { dots: 4, supporters: 2 }, [id.B]: { dots: 2, supporters: 1 }, [id.A]: { dots: 1, supporters: 1 } },
      bones: { processes: 7 },
    });
    const [one, two] = roundsOf(board);
    expect(rankNotes(one.notes, one.tally!).map((x) => x.note.text)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(rankNotes(two.notes, two.tally!).map((x) => x.note.text)).toEqual(['C', 'B', 'A']);
    // The exports carry both rounds: the JSON, the Markdown, the slide deck's words.
    const get = (file: string) =>
      fetch(`${server.url}/api/workshops/${w.code}/export/${file}`, { headers: { authorization: `Bearer ${w.facilitatorKey}` } });
    const json = workshopExportSchema.parse(await (await get('workshop.json')).json());
    expect(json.laterRounds).toEqual([
      expect.objectContaining({
        round: 2,
        budget: 4,
        voters: 3,
        dots: 7,
        ranking: [
          expect.objectContaining({ text: 'C', rank: 1, dots: 4 }),
          expect.objectContaining({ text: 'B' }),
          expect.objectContaining({ text: 'A' }),
        ],
      }),
    ]);
    expect(await (await get('report.md')).text()).toContain('## Round 2: the top 3 again');
    expect(outcomeOf(json, { timeZone: 'Europe/London' }).rounds.map((x) => x.title)).toEqual([
      'Consensus ranking',
      'Round 2: the top 3 again',
    ]);
    // On to act, and back to the reveal, as in the first round; then a third round on round two's top.
    await fac.do({ type: 'phase.set', phase: 'act' });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await fac.do({ type: 'round.start', top: 2 });
    await until(() => p.board().rounds.length === 2, 'round 3');
    expect(p.board().rounds[1]).toMatchObject({ round: 3, noteIds: [id.C, id.B], budget: 5, cap: 3 });
  });

  it('refuses each kind of bad round with a clear error and changes nothing', async () => {
    const { fac, people } = await revealed();
    const before = JSON.stringify(fac.board());
    const cases: Array<[object, string, string]> = [
      [{ top: 1 }, 'bad_request', 'top'],
      [{ top: 21 }, 'bad_request', 'top'],
      [{ top: 3, budget: 0 }, 'bad_request', 'the budget is 1 to 20 dots'],
      [{ top: 3, budget: 21 }, 'bad_request', 'the budget is 1 to 20 dots'],
      [{ top: 3, budget: 2, cap: 3 }, 'bad_request', 'the per-note cap is 1 to the budget'],
      [{ top: 3, cap: 0 }, 'bad_request', 'the per-note cap is 1 to the budget'],
      [{ top: 'three' }, 'bad_request', 'top'],
    ];
    for (const [fields, code, message] of cases) {
      expect(await fac.send({ type: 'round.start', ...fields } as never), JSON.stringify(fields)).toMatchObject({
        ok: false,
        code,
        message: expect.stringContaining(message),
      });
    }
    expect(await people[0].send({ type: 'round.start', top: 3 })).toMatchObject({ ok: false, code: 'forbidden' });
    await fac.sync();
    expect(JSON.stringify(fac.board())).toBe(before);

    // Not before a reveal, and not on fewer than two notes with dots.
    const w2 = await createWorkshop(server.url, { title: 'Too early', silent: false });
    const fac2 = await TestClient.facilitator(server.url, w2.code, w2.facilitatorKey);
    await fac2.do({ type: 'phase.set', phase: 'brainstorm' });
    await fac2.do({ type: 'note.add', boneId: 'people', text: 'Only note' });
    await fac2.do({ type: 'phase.set', phase: 'vote' });
    expect(await fac2.send({ type: 'round.start', top: 3 })).toMatchObject({
      ok: false,
      code: 'wrong_phase',
      message: 'Not possible in the Vote phase: a new round of voting starts after a reveal.',
    });
    await fac2.do({ type: 'phase.set', phase: 'reveal' });
    expect(await fac2.send({ type: 'round.start', top: 3 })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringContaining('at least 2 notes with dots in the last ranking (there are 0)'),
    });
    for (const phase of ['act', 'closed'] as const) await fac.do({ type: 'phase.set', phase });
    expect(await fac.send({ type: 'round.start', top: 3 })).toMatchObject({ ok: false, code: 'closed' });
  });
});

describe('a duplicate', () => {
  it('starts in the first round with the projector live, whatever the original was doing', async () => {
    const { w, fac } = await revealed();
    await fac.do({ type: 'round.start', top: 2 });
    await fac.do({ type: 'vote.close', closed: true });
    await fac.do({ type: 'screen.set', mode: 'blank', focus: { boneId: 'people', page: 1 } });
    const res = await fetch(`${server.url}/api/workshops/${w.code}/duplicate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${w.facilitatorKey}` },
    });
    expect(res.status).toBe(201);
    const copy = (await res.json()) as { code: string; facilitatorKey: string };
    const fac2 = await TestClient.facilitator(server.url, copy.code, copy.facilitatorKey);
    const meta = fac2.board().meta;
    expect([meta.round, meta.votingClosed, meta.screen, meta.phase]).toEqual([undefined, undefined, undefined, 'lobby']);
    expect(fac2.board().rounds).toEqual([]);
  });
});
