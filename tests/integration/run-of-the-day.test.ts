import { describe, expect, it } from 'vitest';
import { TestClient, until } from '../support/client.ts';
import { useTestServer } from '../support/use-server.ts';
import { room } from '../support/room.ts';

/**
 * The run of a full-size day (issue 24) on the server: notes written after a silent reveal are
 * held for review by default, "I've finished" starts at 0 in every phase and round, an author
 * is told (alone, in a frame of the usual size) that a note of theirs was kept off the board, and
 * a new phase brings the projector back from focus mode.
 */

const server = useTestServer();

async function dayRoom(silent: boolean, people = 4) {
  const r = await room(server.url, { people, screen: true, body: { title: 'Away-day', silent } });
  return { ...r, screen: r.screen!, ps: r.people };
}

const texts = (c: TestClient) => c.board().notes.map((n) => n.text);

describe('notes written after a silent reveal', () => {
  it('wait for the facilitators’ review unless they turn holding off', async () => {
    const { fac, screen, ps, close } = await dayRoom(true, 6);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    for (const [i, p] of ps.slice(0, 3).entries()) await p.do({ type: 'note.add', boneId: 'people', text: `Before the reveal ${i}` });
    await fac.do({ type: 'notes.reveal' });
    await until(() => screen.board().notes.length === 3, 'the reveal');
    expect(fac.board().meta.hold).toBeUndefined(); // nobody set it: it follows the silent brainstorm

    const { noteId } = await ps[3].do({ type: 'note.add', boneId: 'people', text: 'Dr Smith in A&E is useless' });
    await ps[4].do({ type: 'note.add', boneId: 'people', text: 'Referrals get lost between teams' });
    await ps[5].do({ type: 'note.add', boneId: 'people', text: 'Nobody chairs the board' });
    await Promise.all([screen, ps[0], fac].map((c) => c.sync()));
    expect(texts(screen)).not.toContain('Dr Smith in A&E is useless');
    expect(texts(ps[0])).not.toContain('Dr Smith in A&E is useless');
    expect(texts(fac)).not.toContain('Dr Smith in A&E is useless');
    // Counted as held on the projector, once three people's notes are there to count (disclosure.ts).
    await until(() => screen.stats?.hiddenByBone.people === 3, 'counted as held on the projector');
    expect(ps[3].self?.notes.find((n) => n.id === noteId)).toMatchObject({ hidden: true, text: 'Dr Smith in A&E is useless' });

    // Turned off: the next note goes straight up.
    await fac.do({ type: 'settings.set', hold: false });
    await ps[2].do({ type: 'note.add', boneId: 'processes', text: 'Nobody owns the referral pathway' });
    await until(() => texts(screen).includes('Nobody owns the referral pathway'), 'the note on the projector');
    expect(texts(screen)).not.toContain('Dr Smith in A&E is useless');
    close();
  });

  it('go straight up in a workshop that did not start silent', async () => {
    const { fac, screen, ps, close } = await dayRoom(false, 1);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await ps[0].do({ type: 'note.add', boneId: 'people', text: 'Straight to the board' });
    await until(() => texts(screen).includes('Straight to the board'), 'the note on the projector');
    close();
  });
});

describe('"I’ve finished"', () => {
  it('starts at 0 in each phase and in each round of voting', async () => {
    const { fac, ps, close } = await dayRoom(false, 5);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const ids: string[] = [];
    for (const [i, p] of ps.slice(0, 3).entries())
      ids.push((await p.do({ type: 'note.add', boneId: 'people', text: `Barrier ${i}` })).noteId!);
    for (const p of ps.slice(0, 3)) await p.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await until(() => fac.stats?.finished?.done === 3, '3 of 5 finished the brainstorm');

    await fac.do({ type: 'phase.set', phase: 'vote' });
    await until(() => fac.stats?.finished?.done === 0 && fac.stats.finished.of === 5, 'the vote starts at 0');
    for (const p of ps) await p.do({ type: 'vote.change', noteId: ids[p === ps[0] ? 0 : 1], delta: 1 });
    for (const p of ps.slice(0, 4)) await p.do({ type: 'finished.set', phase: 'vote', finished: true });
    await until(() => fac.stats?.finished?.done === 4, '4 of 5 finished voting');
    expect(ps[0].self?.finished).toContain('vote');

    // Round 2 is a new vote: nobody has finished it, and no phone says it has.
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await fac.do({ type: 'round.start', top: 2 });
    await until(() => fac.stats?.finished?.done === 0 && fac.stats.finished.of === 5, 'round 2 starts at 0');
    await Promise.all(ps.map((p) => p.sync()));
    for (const p of ps) expect(p.self?.finished ?? []).not.toContain('vote');
    close();
  });

  it('starts at 0 again when the facilitator goes back to the brainstorm', async () => {
    const { fac, ps, close } = await dayRoom(false, 3);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    for (const p of ps) await p.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await until(() => fac.stats?.finished?.done === 3, 'everyone finished');
    await fac.do({ type: 'phase.set', phase: 'review' });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await until(() => fac.stats?.finished?.done === 0, 'back at 0');
    close();
  });
});

describe('a note kept off the board', () => {
  /** The sizes of the self frames a client received after `mark`. */
  const selfSizes = (c: TestClient, mark: number) =>
    c.received
      .slice(mark)
      .filter((r) => r.event === 'self')
      .map((r) => JSON.stringify(r.args[0]).length);

  it('is named to its author alone, in a frame no larger than everyone else’s usual one', async () => {
    const { fac, screen, ps, close } = await dayRoom(false, 4);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const ids: string[] = [];
    for (const [i, p] of ps.entries()) ids.push((await p.do({ type: 'note.add', boneId: 'people', text: `Note number ${i}` })).noteId!);
    await fac.do({ type: 'phase.set', phase: 'review' });
    await Promise.all(ps.map((p) => p.sync()));
    const before = ps.map((p) => selfSizes(p, 0).at(-1)!);
    const marks = ps.map((p) => p.received.length);

    await fac.do({ type: 'note.hide', noteId: ids[1], hidden: true });
    await until(() => !!ps[1].self?.notes.find((n) => n.id === ids[1])?.keptOff, 'the author is told');
    await Promise.all([...ps, screen].map((p) => p.sync()));
    expect(ps[1].self?.notes.find((n) => n.id === ids[1])).toMatchObject({ keptOff: true, hidden: false });
    // No words in the view: the phone names its own note from what it already had.
    expect(ps[1].self?.notes.find((n) => n.id === ids[1])?.text).toBeUndefined();
    for (const p of [ps[0], ps[2], ps[3]]) expect(p.self?.notes.some((n) => n.keptOff)).toBe(false);
    // Every participant got a view at the hide, each the size theirs was before: nothing points at the author.
    for (const [i, p] of ps.entries()) {
      const sizes = selfSizes(p, marks[i]);
      expect(sizes.length, `participant ${i}`).toBeGreaterThan(0);
      for (const s of sizes) expect(s, `participant ${i}`).toBe(before[i]);
    }
    expect(new Set(before).size).toBe(1);
    expect(screen.received.filter((r) => r.event === 'self')).toEqual([]);

    // Brought back: the author's note is on the board again and no longer kept off.
    await fac.do({ type: 'note.hide', noteId: ids[1], hidden: false });
    await until(() => !ps[1].self?.notes.find((n) => n.id === ids[1])?.keptOff, 'back on the board');
    close();
  });

  it('held back in the moderation view is named to its author at the reveal', async () => {
    const { fac, ps, close } = await dayRoom(true, 3);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const ids: string[] = [];
    for (const [i, p] of ps.entries()) ids.push((await p.do({ type: 'note.add', boneId: 'people', text: `Held note ${i}` })).noteId!);
    await until(() => (fac.self?.review ?? []).length === 3, 'the batch');
    await fac.do({ type: 'note.hide', noteId: ids[2], hidden: true });
    // Nothing reaches the author before the reveal: the decision touches no one else's view.
    await ps[2].sync();
    expect(ps[2].self?.notes.find((n) => n.id === ids[2])).toMatchObject({ hidden: true });
    await fac.do({ type: 'notes.reveal' });
    await until(() => !!ps[2].self?.notes.find((n) => n.id === ids[2])?.keptOff, 'kept off at the reveal');
    expect(ps[0].self?.notes.some((n) => n.keptOff)).toBe(false);
    close();
  });
});

describe('the projector in focus mode', () => {
  it('comes back to the whole board when the phase changes, blank or frozen staying as they were', async () => {
    const { fac, screen, close } = await dayRoom(false, 0);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await fac.do({ type: 'screen.set', focus: { boneId: 'people', page: 0 }, auto: true });
    await fac.do({ type: 'phase.set', phase: 'review' });
    await screen.sync();
    expect(screen.board().meta.screen).toMatchObject({ mode: 'live', focus: null, autoSince: null });

    await fac.do({ type: 'screen.set', mode: 'blank', focus: { boneId: 'people', page: 1 } });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await screen.sync();
    expect(screen.board().meta.screen).toMatchObject({ mode: 'blank', focus: null });
    close();
  });
});
