import { describe, expect, it } from 'vitest';
import { TestClient, until } from '../support/client.ts';
import { serverForFile } from '../support/file-server.ts';
import { createWorkshop } from '../support/server.ts';

/**
 * The facilitator's controls keep their private facts across a SIGKILL: the moderation view
 * and its decisions, who has voted this round, the undo list. A production server: batches and
 * counts are released a few seconds after the last input (server/workshop/disclosure.ts).
 */
const RELEASED = 10_000;
const server = serverForFile();

describe('after a restart', () => {
  // Its own timeout: after the SIGKILL a server process starts again (about 1 s idle, several on a
  // busy two-core CI machine), which the default 20 s for the whole test left little room for.
  it('the moderation view, its decisions, the undo list and this round’s voters are as they were', async () => {
    const w = await createWorkshop(server().url, { title: 'Restart controls', silent: true });
    const fac = await TestClient.facilitator(server().url, w.code, w.facilitatorKey);
    const people = await Promise.all([0, 1, 2].map(() => TestClient.participant(server().url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    for (const [i, p] of people.entries()) await p.do({ type: 'note.add', boneId: 'people', text: `Held ${i}` });
    await until(() => (fac.self?.review ?? []).length === 3, 'the batch', RELEASED);
    const held = fac.self!.review!.find((n) => n.text === 'Held 0')!.id;
    await fac.do({ type: 'note.hide', noteId: held, hidden: true });
    await until(() => fac.self!.undo?.length === 1, 'one step to undo');
    const review = fac.self!.review!;
    const undo = fac.self!.undo!;

    await server().restart('SIGKILL');
    const fac2 = await TestClient.facilitator(server().url, w.code, w.facilitatorKey);
    expect(fac2.self!.review).toEqual(review);
    expect(fac2.self!.undo).toEqual(undo);
    await fac2.do({ type: 'notes.reveal' });
    await fac2.do({ type: 'phase.set', phase: 'vote' });
    const voters = await Promise.all(people.map((p) => TestClient.participant(server().url, w.code, p.token)));
    const noteId = fac2.board().notes[0].id;
    for (const voter of voters) await voter.do({ type: 'vote.change', noteId, delta: 1 });
    await voters[1].do({ type: 'vote.change', noteId, delta: -1 });
    await until(() => fac2.stats?.turnout.voters === 3, 'three voters', RELEASED);

    await server().restart('SIGKILL');
    const fac3 = await TestClient.facilitator(server().url, w.code, w.facilitatorKey);
    // One took their dot back, still counted as having voted: turnout never drops.
    expect(fac3.stats!.turnout.voters).toBe(3);
    expect(fac3.self!.moderated!.map((n) => n.text)).toEqual(['Held 0']);
    [fac, fac2, fac3, ...voters, ...people].forEach((c) => c.close());
  }, 60_000);
});
