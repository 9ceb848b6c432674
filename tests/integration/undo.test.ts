import { describe, expect, it } from 'vitest';
import type { UndoEntry } from '../../shared/events.ts';
import { TestClient, until } from '../support/client.ts';
import { useTestServer } from '../support/use-server.ts';
import { room } from '../support/room.ts';

/** Undo of moderation steps (server/workshop/undo.ts), for the rest of the workshop. */
const server = useTestServer();

async function board(silent = false) {
  const { w, fac, people } = await room(server.url, { people: 3, phase: 'brainstorm', body: { title: 'Undo', silent } });
  const [a, b, c] = people;
  const add = async (p: TestClient, text: string, boneId = 'people') => (await p.do({ type: 'note.add', boneId, text })).noteId!;
  return { w, fac, a, b, c, add };
}

/** The newest step on the facilitators' undo list, once it is there. */
async function lastStep(fac: TestClient, kind: UndoEntry['kind']): Promise<UndoEntry> {
  await until(() => fac.self?.undo?.[0]?.kind === kind, `a ${kind} step`);
  return fac.self!.undo![0];
}

const undo = async (fac: TestClient, kind: UndoEntry['kind']) => fac.do({ type: 'undo', seq: (await lastStep(fac, kind)).seq });
const texts = (c: TestClient) =>
  c
    .board()
    .notes.map((n) => n.text)
    .sort();

describe('undo', () => {
  it('undoes a hide, a show-again, a removal, a move and a rewording, each as it was', async () => {
    const { fac, a, add } = await board();
    const id = await add(a, 'Consultants overrule care workers');
    await fac.do({ type: 'note.hide', noteId: id, hidden: true });
    expect((await lastStep(fac, 'hide')).text).toBe('Consultants overrule care workers');
    await undo(fac, 'hide');
    await until(() => a.board().notes.length === 1, 'back after the hide');
    await until(() => (fac.self?.moderated ?? []).length === 0, 'no longer hidden');

    await fac.do({ type: 'note.hide', noteId: id, hidden: true });
    await fac.do({ type: 'note.hide', noteId: id, hidden: false });
    await undo(fac, 'show');
    await until(() => a.board().notes.length === 0 && fac.self!.moderated!.length === 1, 'hidden again');
    await fac.do({ type: 'note.hide', noteId: id, hidden: false });

    await fac.do({ type: 'note.delete', noteId: id });
    await until(() => a.self!.notes.length === 0, 'removed, also from its author');
    await undo(fac, 'remove');
    await until(() => a.board().notes.length === 1, 'back after the removal');
    // Still its author's: "this note is yours", editable by them.
    await until(() => a.self!.notes[0]?.id === id, 'the author has it back');
    await a.do({ type: 'note.edit', noteId: id, text: 'Consultants overrule the care workers' });

    await fac.do({ type: 'note.move', noteId: id, boneId: 'processes' });
    await undo(fac, 'move');
    await until(() => a.board().notes[0].boneId === 'people', 'moved back');

    await fac.do({ type: 'note.edit', noteId: id, text: 'Senior clinicians overrule care staff' });
    await undo(fac, 'edit');
    await until(() => a.board().notes[0].text === 'Consultants overrule the care workers', 'reworded back');
    // Every step undone has left the list.
    await until(() => (fac.self?.undo ?? []).every((s) => s.kind !== 'edit' && s.kind !== 'move'), 'the list');
  });

  it('an undone merge brings back the sources, their authors and their words', async () => {
    const { fac, a, b, c, add } = await board();
    const target = await add(a, 'Doctors dominate meetings');
    const s1 = await add(b, 'Consultants dominate the meetings');
    const s2 = await add(c, 'Medics talk over everyone', 'structures');
    await fac.do({ type: 'note.merge', noteId: target, sourceIds: [s1, s2], text: 'Senior clinicians dominate meetings' });
    await until(() => a.board().notes.length === 1 && b.self!.notes[0]?.id === target, 'merged');
    await undo(fac, 'merge');
    await until(() => a.board().notes.length === 3, 'the sources are back');
    expect(texts(a)).toEqual(['Consultants dominate the meetings', 'Doctors dominate meetings', 'Medics talk over everyone']);
    const back = a.board().notes.find((n) => n.id === target)!;
    expect(back).toMatchObject({ raisedBy: 1, merged: false });
    expect(a.board().notes.find((n) => n.id === s2)!.boneId).toBe('structures');
    await until(() => b.self!.notes.map((n) => n.id).join() === s1 && c.self!.notes.map((n) => n.id).join() === s2, 'authors');
    // Their own notes again: editable by their authors (a merged note is not).
    await b.do({ type: 'note.edit', noteId: s1, text: 'Consultants dominate meetings' });
    await until(() => a.self!.notes.map((n) => n.id).join() === target, 'the target is only its own author’s');
  });

  it('an undone merge gives each voter their dots back on the sources, unless they have voted since', async () => {
    const { fac, a, b, c, add } = await board();
    const keep = await add(a, 'Keep');
    const gone = await add(a, 'Merged away');
    const other = await add(a, 'Other');
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await b.do({ type: 'vote.change', noteId: gone, delta: 2 });
    await c.do({ type: 'vote.change', noteId: gone, delta: 1 });
    await c.do({ type: 'vote.change', noteId: other, delta: 1 });
    // Back to review with the dots down; merging gives the source's dots back.
    await fac.do({ type: 'phase.set', phase: 'review' });
    await fac.do({ type: 'note.merge', noteId: keep, sourceIds: [gone] });
    await until(() => b.self?.dotsLeft === 5 && c.self?.dotsLeft === 4, 'dots given back');
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await c.do({ type: 'vote.change', noteId: other, delta: 1 }); // c votes again; b does not
    await fac.do({ type: 'phase.set', phase: 'review' });
    await undo(fac, 'merge');
    await until(() => a.board().notes.length === 3, 'sources back');
    await until(() => b.self?.ballot[gone] === 2, 'b’s dots back on the source');
    expect(b.self!.dotsLeft).toBe(3);
    expect(c.self!.ballot).toEqual({ [other]: 2 });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    expect(fac.board().tally!.notes[gone]).toEqual({ dots: 2, supporters: 1 });
  });

  it('undoes decisions on held notes in the moderation view', async () => {
    const { fac, a, b, c, add } = await board(true);
    const n = [await add(a, 'Held one'), await add(b, 'Held two'), await add(c, 'Held three')];
    await until(() => (fac.self?.review ?? []).length === 3, 'batch');
    const held = (id: string) => fac.self!.review!.find((r) => r.id === id)!;
    await fac.do({ type: 'note.hide', noteId: n[0], hidden: true });
    await fac.do({ type: 'note.edit', noteId: n[1], text: 'Reworded two' });
    await fac.do({ type: 'note.merge', noteId: n[1], sourceIds: [n[2]] });
    await until(() => held(n[2]).into === n[1], 'merged');
    // Each step says what it did (issue 24: the list said only "Moderated").
    await undo(fac, 'merge');
    await until(() => held(n[2]).into === null, 'merge undone');
    await undo(fac, 'edit');
    await until(() => held(n[1]).text === 'Held two', 'rewording undone');
    await undo(fac, 'holdBack');
    await until(() => !held(n[0]).held, 'held back undone');
    await fac.do({ type: 'notes.reveal' });
    await until(() => a.board().notes.length === 3, 'all three published');
  });

  it('refuses what it cannot undo, with a clear error, and changes nothing', async () => {
    const { w, fac, a, add } = await board();
    const id = await add(a, 'A note');
    await fac.do({ type: 'note.move', noteId: id, boneId: 'processes' });
    const moved = await lastStep(fac, 'move');
    await fac.do({ type: 'note.move', noteId: id, boneId: 'structures' });
    expect(await fac.send({ type: 'undo', seq: moved.seq })).toMatchObject({
      ok: false,
      code: 'changed',
      message: 'That step cannot be undone any more: the note has moved since.',
    });
    expect(a.board().notes[0].boneId).toBe('structures');
    await undo(fac, 'move');
    await until(() => a.board().notes[0].boneId === 'processes', 'the later move undone');
    // Now the first one holds again.
    await fac.do({ type: 'undo', seq: moved.seq });
    await until(() => a.board().notes[0].boneId === 'people', 'the first move undone');
    expect(await fac.send({ type: 'undo', seq: moved.seq })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: `That request was not understood: there is no step ${moved.seq} to undo (it was undone already, or is too old).`,
    });
    expect(await fac.send({ type: 'undo', seq: 0 })).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringContaining('seq'),
    });
    expect(await fac.send({ type: 'undo', seq: 1.5 } as never)).toMatchObject({ ok: false, code: 'bad_request' });
    await fac.do({ type: 'note.hide', noteId: id, hidden: true });
    const hide = await lastStep(fac, 'hide');
    await fac.do({ type: 'note.hide', noteId: id, hidden: false });
    expect(await fac.send({ type: 'undo', seq: hide.seq })).toMatchObject({
      ok: false,
      code: 'changed',
      message: expect.stringContaining('back on the board'),
    });
    expect(await a.send({ type: 'undo', seq: hide.seq })).toMatchObject({ ok: false, code: 'forbidden' });
    const screen = await TestClient.screen(server.url, w.code);
    expect(await screen.send({ type: 'undo', seq: hide.seq })).toMatchObject({ ok: false, code: 'forbidden' });
    for (const phase of ['review', 'vote', 'reveal', 'act', 'closed'] as const) await fac.do({ type: 'phase.set', phase });
    expect(await fac.send({ type: 'undo', seq: hide.seq })).toMatchObject({ ok: false, code: 'closed' });
    // Closing forgets the steps, like every other private fact.
    const count = 'SELECT COUNT(*) FROM undo_steps WHERE workshop_id = (SELECT id FROM workshops WHERE code = ?)';
    expect(server.store.db.prepare(count).pluck().get(w.code)).toBe(0);
  });
});
