import { describe, expect, it } from 'vitest';
import { ok } from '../../server/workshop/result.ts';
import type { Batch } from '../../server/store/store.ts';
import { TestClient, until } from '../support/client.ts';
import { cmdId, createWorkshop } from '../support/server.ts';
import { useTestServer } from '../support/use-server.ts';

const server = useTestServer();

/** A non-silent workshop in the brainstorm phase with one participant. */
async function brainstorm() {
  const w = await createWorkshop(server.url, { title: 'Unit of work', silent: false });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  const alice = await TestClient.participant(server.url, w.code);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const open = (await server.app.registry.find(w.code))!;
  return { w, fac, alice, open };
}

/**
 * Make the store's next commit fail (after `delayMs`), as a full disk or a lost database
 * connection would. The one seam these tests fake: nothing else here is mocked.
 */
function failNextCommit(delayMs = 0): () => number {
  const real = server.store.commit.bind(server.store);
  let failed = 0;
  server.store.commit = (_id: string, _batch: Batch) => {
    server.store.commit = real;
    failed++;
    return new Promise((_, reject) => setTimeout(() => reject(new Error('disk I/O error')), delayMs));
  };
  return () => failed;
}

describe('a change the store could not take', () => {
  it('is answered "unavailable" (not a refusal), the workshop reloads, and the same id then applies once', async () => {
    const { w, alice, open } = await brainstorm();
    const id = cmdId();
    const failed = failNextCommit();
    const first = await alice.send({ type: 'note.add', boneId: 'people', text: 'Saved on the second try' }, id);
    expect(failed()).toBe(1);
    expect(first).toMatchObject({ ok: false, code: 'unavailable' });
    // Every socket is dropped so it rejoins a copy loaded from the store, not the one ahead of it.
    await until(() => alice.socket.disconnected, 'alice disconnected');
    await alice.reconnect();
    const fresh = await server.app.registry.find(w.code);
    expect(fresh).not.toBe(open);
    expect(alice.board().notes).toHaveLength(0);
    const again = await alice.send({ type: 'note.add', boneId: 'people', text: 'Saved on the second try' }, id);
    expect(again.ok).toBe(true);
    const retried = await alice.send({ type: 'note.add', boneId: 'people', text: 'Saved on the second try' }, id);
    expect(retried).toEqual(again);
    expect(alice.board().notes.map((n) => n.text)).toEqual(['Saved on the second try']);
  });
});

describe('a change that throws half way', () => {
  // Moved below: the queued-behind case fails in the store, not in a handler.
  it('leaves no trace: the workshop is dropped and reloaded from the store, its sockets rejoin', async () => {
    const { w, fac, alice, open } = await brainstorm();
    const { noteId } = await alice.do({ type: 'note.add', boneId: 'people', text: 'Before the fault' });
    const result = await open.run(() => {
      open.parts.notes.set('half-way', {
        id: 'half-way',
        boneId: 'people',
        subBoneId: null,
        text: 'Half written',
        pick: null,
        raisedBy: 1,
        merged: false,
      });
      if (open.parts.notes.size > 0) throw new Error('a handler fault');
      return ok();
    });
    expect(result).toMatchObject({ ok: false, code: 'internal' });
    expect(open.broken).toBe(true);
    await until(() => fac.socket.disconnected && alice.socket.disconnected, 'sockets dropped');
    const fresh = (await server.app.registry.find(w.code))!;
    expect(fresh).not.toBe(open);
    expect([...fresh.parts.notes.keys()]).toEqual([noteId]);
    await alice.reconnect();
    expect(alice.self!.notes.map((n) => n.id)).toEqual([noteId]);
    // The replica that had seen nothing of the fault matches the store.
    expect(alice.board().notes.map((n) => n.text)).toEqual(['Before the fault']);
  });

  it('a change queued behind a failed one is not lost: it is answered "unavailable" and applies after the reload', async () => {
    const { w, fac, alice } = await brainstorm();
    failNextCommit(300);
    const failing = fac.send({ type: 'timer.start', minutes: 5 });
    const id = cmdId();
    const behind = await alice.send({ type: 'note.add', boneId: 'people', text: 'Queued behind' }, id);
    expect(await failing).toMatchObject({ ok: false, code: 'unavailable' });
    expect(behind).toMatchObject({ ok: false, code: 'unavailable' });
    await until(() => alice.socket.disconnected, 'alice disconnected');
    await alice.reconnect();
    expect((await alice.send({ type: 'note.add', boneId: 'people', text: 'Queued behind' }, id)).ok).toBe(true);
    expect((await server.app.registry.find(w.code))!.parts.notes.size).toBe(1);
  });
});
