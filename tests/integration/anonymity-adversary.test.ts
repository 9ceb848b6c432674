import { describe, expect, it } from 'vitest';
import { TestClient, until } from '../support/client.ts';
import { createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

/**
 * Leaks an adversary found (docs/THREAT-MODEL.md): each test failed before its fix.
 */
const server = useTestServer();

const docsSince = (c: TestClient, mark: number) => c.received.slice(mark).filter((r) => r.event === 'doc').length;

describe('a silent brainstorm', () => {
  it('a quick-pick that matches a note on the board changes nothing anyone can see until the reveal, then joins it', async () => {
    const w = await createWorkshop(server.url, { title: 'Silent picks', silent: true });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    const screen = await TestClient.screen(server.url, w.code);
    const [alice, bob] = await Promise.all([0, 1].map(() => TestClient.participant(server.url, w.code)));
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    // The facilitator's own notes go on the board at once, silent or not.
    const pick = fac.board().meta.catalogue[0];
    const { noteId } = await fac.do({ type: 'note.add', boneId: pick.boneId, subBoneId: pick.subBoneId, pick: pick.id });
    await until(() => alice.board().notes.length === 1 && bob.board().notes.length === 1, 'the facilitator’s note');
    const watchers = [fac, screen, bob];
    const marks = watchers.map((c) => c.received.length);

    const mine = await alice.do({ type: 'note.add', boneId: pick.boneId, subBoneId: pick.subBoneId, pick: pick.id });
    await Promise.all(watchers.map((c) => c.sync()));
    watchers.forEach((c, i) => expect(docsSince(c, marks[i]), 'a document update after a silent pick').toBe(0));
    expect(bob.board().notes[0].raisedBy).toBe(1);
    expect(mine.noteId).not.toBe(noteId);
    expect(alice.self!.notes).toEqual([expect.objectContaining({ id: mine.noteId, hidden: true })]);

    await fac.do({ type: 'notes.reveal' });
    await until(() => bob.board().notes[0]?.raisedBy === 2, 'joined at the reveal');
    expect(bob.board().notes.map((n) => n.id)).toEqual([noteId]);
    await until(() => alice.self!.notes.length === 1 && alice.self!.notes[0].id === noteId, 'alice’s pick is the joined note');
    expect(alice.self!.notes[0].hidden).toBe(false);
  });
});
