import * as Y from 'yjs';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA_VERSION } from '../../server/store/migrations/postgres.ts';
import { PostgresStore } from '../../server/store/postgres.ts';
import { docParts } from '../../shared/doc.ts';
import type { Batch, Store } from '../../server/store/store.ts';
import { createWorkshop as makeWorkshop } from '../../server/workshop/create.ts';
import { PrivateState } from '../../server/workshop/private-state.ts';
import { TestClient, until } from '../support/client.ts';
import { createTestDatabase, query, type TestDatabase } from '../support/postgres.ts';
import { createWorkshop, removeDir, startServer, startServerOn, type TestServer } from '../support/server.ts';

const dbs: TestDatabase[] = [];
const servers: Array<TestServer<Store>> = [];
afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const s of servers) if (s.dataDir) removeDir(s.dataDir);
  for (const db of dbs) await db.drop();
});

async function newDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  dbs.push(db);
  return db;
}

/** What a store gives back, rebuilt the way a server loading it rebuilds it. */
async function reloaded(store: Store, id: string) {
  const loaded = (await store.load(id))!;
  const doc = new Y.Doc();
  for (const u of loaded.updates) Y.applyUpdate(doc, u);
  docParts(doc); // toJSON shows only the parts asked for
  return { row: loaded.row, doc: doc.toJSON(), private: PrivateState.replay(loaded.ops) };
}

/** Private state as facts: a person with no notes left (an empty set in memory) is no fact. */
const facts = (p: PrivateState) =>
  Object.fromEntries(
    Object.entries(p).map(([k, v]) => [
      k,
      v instanceof Map ? new Map([...v].filter(([, x]) => !((x instanceof Set || x instanceof Map) && x.size === 0))) : v,
    ]),
  );

/** The server's live copy must equal what its store would load: every private fact and the document. */
async function expectStoreEqualsMemory(server: TestServer<Store>, code: string): Promise<void> {
  const w = (await server.app.registry.find(code))!;
  // A release of the disclosure gate (on its clock) can commit between the load and the read of
  // the live copy: compare again a few times; a fact the store lost stays different.
  for (let attempt = 1; ; attempt++) {
    await w.run(() => ({ ok: true })); // after every queued change
    const back = await reloaded(server.store, w.id);
    try {
      expect(back.doc).toEqual(w.doc.toJSON());
      expect(facts(back.private)).toEqual(facts(w.private));
      expect(back.row).toEqual(w.row);
      return;
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A workshop that writes every kind of private fact: groups, hidden notes, moderation, ballots, keys, the breakdown, the close. */
async function everyKindOfChange(server: TestServer<Store>): Promise<void> {
  const w = await createWorkshop(server.url, { title: 'Every op', silent: true });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
  const link = (await fac.do({ type: 'cofacilitator.create' })).link!;
  await fac.do({ type: 'cofacilitator.revoke', linkId: link.id });
  const people = await Promise.all([0, 1, 2, 3].map(() => TestClient.participant(server.url, w.code)));
  for (const p of people.slice(0, 3)) await p.do({ type: 'profile.set', group: 'NHS' });
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const notes: string[] = [];
  for (const [i, p] of people.entries()) notes.push((await p.do({ type: 'note.add', boneId: 'people', text: `Hidden ${i}` })).noteId!);
  await people[3].do({ type: 'note.delete', noteId: notes[3] });
  await people[0].do({ type: 'note.edit', noteId: notes[0], text: 'Hidden 0, edited' });
  await expectStoreEqualsMemory(server, w.code);
  await fac.do({ type: 'notes.reveal' });
  await fac.do({ type: 'phase.set', phase: 'review' });
  await fac.do({ type: 'note.hide', noteId: notes[2], hidden: true });
  await fac.do({ type: 'note.merge', noteId: notes[0], sourceIds: [notes[1]] });
  await fac.do({ type: 'phase.set', phase: 'vote' });
  for (const p of people.slice(0, 3)) await p.do({ type: 'vote.change', noteId: notes[0], delta: 2 });
  await people[0].do({ type: 'vote.change', noteId: notes[0], delta: -2 });
  await fac.do({ type: 'note.hide', noteId: notes[2], hidden: false });
  await people[1].do({ type: 'vote.change', noteId: notes[2], delta: 1 });
  await fac.do({ type: 'note.delete', noteId: notes[2] });
  await expectStoreEqualsMemory(server, w.code);
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  await until(() => fac.self?.breakdown !== undefined, 'the breakdown');
  await fac.do({ type: 'phase.set', phase: 'act' });
  await fac.do({ type: 'act.tag', noteId: notes[0], tag: 'control' });
  await fac.do({ type: 'action.add', noteId: notes[0], what: 'Meet monthly', who: 'Chairs', when: 'March' });
  await expectStoreEqualsMemory(server, w.code);
  await fac.do({ type: 'phase.set', phase: 'closed' });
  await expectStoreEqualsMemory(server, w.code);
  [fac, ...people].forEach((c) => c.close());
}

describe('the PostgreSQL store', () => {
  it('creates its tables as a database owner that is not a superuser, and a second open finds nothing to do', async () => {
    const db = await newDatabase();
    const [a, b] = await Promise.all([PostgresStore.open(db.url), PostgresStore.open(db.url)]);
    const [{ version }] = await query<{ version: number }>(db, 'SELECT version FROM schema_version');
    expect(version).toBe(POSTGRES_SCHEMA_VERSION);
    const owners = await query<{ tableowner: string }>(db, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'");
    expect(owners).toEqual([{ tableowner: 'fishbone_app' }]);
    await a.close();
    await b.close();
  });

  it('keeps exactly what the live server holds, for every kind of change, as SQLite does', async () => {
    const db = await newDatabase();
    const pgServer = (await startServerOn(await PostgresStore.open(db.url))) as TestServer<Store>;
    const sqliteServer = (await startServer()) as TestServer<Store>;
    servers.push(pgServer, sqliteServer);
    await everyKindOfChange(pgServer);
    await everyKindOfChange(sqliteServer);
  });

  it('commits a group of batches together, and one bad batch fails alone', async () => {
    const db = await newDatabase();
    const store = await PostgresStore.open(db.url);
    const [a, b] = await Promise.all([
      makeWorkshop(store, { title: 'A', template: 'barriers', silent: true }, 1),
      makeWorkshop(store, { title: 'B', template: 'barriers', silent: true }, 1),
    ]);
    const participant = (participantId: string): Batch => ({
      docUpdate: null,
      docSnapshot: null,
      ops: [{ t: 'participant', participantId }],
    });
    const duplicateKey: Batch = {
      docUpdate: null,
      docSnapshot: null,
      ops: [{ t: 'key.add', row: { id: 'same-id', keyHash: 'h', kind: 'co', createdAt: 1, revoked: false } }],
    };
    // The same turn of the event loop: one group, one transaction.
    const results = await Promise.allSettled([
      store.commit(a.row.id, participant('first')),
      store.commit(a.row.id, duplicateKey),
      store.commit(b.row.id, duplicateKey),
      store.commit(b.row.id, participant('second')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const rows = await query<{ participant_id: string }>(db, 'SELECT participant_id FROM participants ORDER BY participant_id');
    expect(rows.map((r) => r.participant_id)).toEqual(['first', 'second']);
    // The writer goes on as before.
    await store.commit(b.row.id, participant('third'));
    expect(await query(db, 'SELECT 1 FROM participants')).toHaveLength(3);
    await store.close();
  });

  it('answers each command id once across a restart, and the workshop keeps its one Yjs writer', async () => {
    const db = await newDatabase();
    let server = (await startServerOn(await PostgresStore.open(db.url))) as TestServer<Store>;
    servers.push(server);
    const w = await createWorkshop(server.url, { title: 'Restart', silent: false });
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const alice = await TestClient.participant(server.url, w.code);
    const first = await alice.send({ type: 'note.add', boneId: 'people', text: 'Once' }, 'note-once-0001');
    expect(first.ok).toBe(true);
    alice.close();
    fac.close();
    await server.stop();
    server = (await startServerOn(await PostgresStore.open(db.url))) as TestServer<Store>;
    servers.push(server);
    const back = await TestClient.participant(server.url, w.code, alice.token);
    expect(await back.send({ type: 'note.add', boneId: 'people', text: 'Once' }, 'note-once-0001')).toEqual(first);
    await back.do({ type: 'note.add', boneId: 'people', text: 'Twice' });
    expect(
      back
        .board()
        .notes.map((n) => n.text)
        .sort(),
    ).toEqual(['Once', 'Twice']);
    expect([...Y.decodeStateVector(Y.encodeStateVector(back.doc)).keys()]).toHaveLength(1);
    back.close();
  });
});
