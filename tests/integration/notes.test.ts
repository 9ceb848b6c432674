import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { TestClient, until } from '../support/client.ts';
import { cmdId, createWorkshop, removeDir, startServer } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';
import { expectRefused } from '../support/refused.ts';
import { room } from '../support/room.ts';

const server = useTestServer();

/** A non-silent workshop in the brainstorm phase, with a facilitator and two participants. */
async function brainstorm() {
  const { w, fac, people } = await room(server.url, { people: 2, phase: 'brainstorm', body: { title: 'Notes', silent: false } });
  const [alice, bob] = people;
  return { w, fac, alice, bob };
}

describe('placing notes', () => {
  it('a note added on one phone appears on every replica, and only its author is told it is theirs', async () => {
    const { fac, alice, bob } = await brainstorm();
    const res = await alice.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Consultants talk over everyone' });
    for (const c of [fac, alice, bob]) await until(() => c.board().notes.length === 1, 'note on every replica');
    expect(bob.board().notes[0]).toMatchObject({
      id: res.noteId,
      boneId: 'people',
      subBoneId: 'roles',
      text: 'Consultants talk over everyone',
      raisedBy: 1,
    });
    await until(() => alice.self?.notes.length === 1, 'self view');
    expect(alice.self!.notes[0].id).toBe(res.noteId);
    await bob.sync(); // a private view sent to the wrong person would have arrived by now
    expect(bob.self!.notes).toEqual([]);
    expect(bob.received.filter((r) => r.event === 'self')).toEqual([]);
  });

  it('the author edits and deletes their own note; nobody else can', async () => {
    const { fac, alice, bob } = await brainstorm();
    const { noteId } = await alice.do({ type: 'note.add', boneId: 'structures', text: 'Too many boards' });
    await expectRefused(bob, [fac, alice], { type: 'note.edit', noteId: noteId!, text: 'hijacked' }, 'not_owner');
    await expectRefused(bob, [fac, alice], { type: 'note.delete', noteId: noteId! }, 'not_owner');
    await alice.do({ type: 'note.edit', noteId: noteId!, text: 'Partnership fatigue: too many boards' });
    await until(() => fac.board().notes[0]?.text === 'Partnership fatigue: too many boards', 'edit reaches facilitator');
    await alice.do({ type: 'note.delete', noteId: noteId! });
    await until(() => fac.board().notes.length === 0 && bob.board().notes.length === 0, 'delete reaches everyone');
  });

  it('the facilitator edits, moves and removes any note', async () => {
    const { fac, alice } = await brainstorm();
    const { noteId } = await alice.do({ type: 'note.add', boneId: 'people', subBoneId: 'skills', text: 'Budgets split across agencies' });
    await fac.do({ type: 'note.move', noteId: noteId!, boneId: 'resources', subBoneId: 'money' });
    await fac.do({ type: 'note.edit', noteId: noteId!, text: 'Separate budgets' });
    await until(() => alice.board().notes[0]?.boneId === 'resources' && alice.board().notes[0]?.text === 'Separate budgets', 'move+edit');
    expect(alice.board().notes[0].subBoneId).toBe('money');
    await fac.do({ type: 'note.delete', noteId: noteId! });
    await until(() => alice.board().notes.length === 0, 'removed');
    await until(() => alice.self?.notes.length === 0, 'author told it is gone');
  });

  it('a reload with the same token is the same participant: their notes stay theirs', async () => {
    const { w, alice } = await brainstorm();
    const { noteId } = await alice.do({ type: 'note.add', boneId: 'processes', text: 'No agreed outcomes' });
    alice.close();
    const again = await TestClient.participant(server.url, w.code, alice.token);
    expect(again.self!.notes.map((n) => n.id)).toEqual([noteId]);
    await again.do({ type: 'note.edit', noteId: noteId!, text: 'No agreed outcomes at all' });
  });

  it('a retried command id is applied once and answered with the first answer', async () => {
    const { fac, alice } = await brainstorm();
    const id = cmdId();
    const first = await alice.send({ type: 'note.add', boneId: 'processes', text: 'Poor communication' }, id);
    const second = await alice.send({ type: 'note.add', boneId: 'processes', text: 'Poor communication' }, id);
    expect(second).toEqual(first);
    // also across a reconnect, from a new socket
    await alice.reconnect();
    const third = await alice.send({ type: 'note.add', boneId: 'processes', text: 'Poor communication' }, id);
    expect(third).toEqual(first);
    await until(() => fac.board().notes.length === 1, 'one note');
    await fac.sync();
    expect(fac.board().notes).toHaveLength(1);
  });

  it('a reconnecting client receives only the missing delta, computed from its state vector', async () => {
    const { fac, alice, bob } = await brainstorm();
    for (let i = 0; i < 20; i++) await alice.do({ type: 'note.add', boneId: 'structures', text: `Barrier number ${i}` });
    await until(() => bob.board().notes.length === 20, 'bob caught up');
    bob.socket.disconnect();
    await fac.do({ type: 'note.add', boneId: 'environment', text: 'Short-term funding' });
    const full = Y.encodeStateAsUpdate(fac.doc).byteLength;
    const rejoin = await bob.reconnect();
    expect(rejoin.update.byteLength).toBeLessThan(full / 4);
    expect(bob.board().notes).toHaveLength(21);
    expect(Y.encodeStateVector(bob.doc)).toEqual(Y.encodeStateVector(fac.doc));
  });

  it('quick-picks: the same common barrier from several people is one note raised by each of them', async () => {
    const { fac, alice, bob } = await brainstorm();
    const a = await alice.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', pick: 'roles-1' });
    const b = await bob.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', pick: 'roles-1' });
    expect(b.noteId).toBe(a.noteId);
    await until(() => fac.board().notes[0]?.raisedBy === 2, 'raised by 2');
    expect(fac.board().notes[0].text).toBe('Power and hierarchy');
    expect(fac.board().notes).toHaveLength(1);
  });

  it('the public summary and head count are counts, not names', async () => {
    const { w, fac, alice } = await brainstorm();
    await alice.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'x' });
    const res = await fetch(`${server.url}/api/workshops/${w.code}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ code: w.code, title: 'Notes', template: 'barriers', phase: 'brainstorm', noteCount: 1 });
    expect(body.bones.map((b: { id: string }) => b.id)).toEqual(['people', 'structures', 'processes', 'resources', 'environment']);
    await until(() => fac.stats?.connected.participants === 2, 'head count of 2');
  });

  it('an idle workshop is unloaded from memory and comes back whole from the store', async () => {
    const quick = await startServer({ registry: { idleMs: 50 } });
    try {
      const w = await createWorkshop(quick.url, { title: 'Idle', silent: false });
      const fac = await TestClient.facilitator(quick.url, w.code, w.facilitatorKey);
      const alice = await TestClient.participant(quick.url, w.code);
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const { noteId } = await alice.do({ type: 'note.add', boneId: 'processes', text: 'Kept while unloaded' });
      const open = await quick.app.registry.find(w.code);
      [fac, alice].forEach((c) => c.close());
      await until(() => open!.presence.size === 0, 'all gone');
      await until(() => quick.app.registry.openCount === 0, 'unloaded');
      const back = await TestClient.participant(quick.url, w.code, alice.token);
      expect(await quick.app.registry.find(w.code)).not.toBe(open);
      expect(back.board().notes.map((n) => n.id)).toEqual([noteId]);
      expect(back.self!.notes.map((n) => n.id)).toEqual([noteId]);
      back.close();
    } finally {
      await quick.stop();
      removeDir(quick.dataDir);
    }
  });
});
