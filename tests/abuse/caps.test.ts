import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS_PER_WORKSHOP,
  LINKS_PER_WORKSHOP,
  NOTES_ADDED_PER_PERSON,
  NOTES_PER_PERSON,
  NOTES_PER_WORKSHOP,
} from '../../shared/limits.ts';
import * as Y from 'yjs';
import { bigBoard } from '../../bench/export-board.ts';
import { IN_FLIGHT_PER_ACTOR } from '../../server/workshop/workshop.ts';
import { connectSocket, createWorkshop, removeDir, startServer } from '../support/server.ts';
import { TestClient, until } from '../support/client.ts';
import { useTestServer } from '../support/use-server.ts';

/** Caps a real away-day never meets, each refused with a clear error that changes nothing. */
const server = useTestServer({ joinTimeoutMs: 300 });

async function brainstorm() {
  const w = await createWorkshop(server.url, { title: 'Caps', silent: false });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  return { w, fac };
}

describe('caps', () => {
  it(`one person writes at most ${NOTES_PER_PERSON} notes`, async () => {
    const { w, fac } = await brainstorm();
    const p = await TestClient.participant(server.url, w.code);
    // Two tabs of the same person, so no one socket's command allowance runs out first.
    const tab2 = await TestClient.participant(server.url, w.code, p.token);
    for (let i = 0; i < NOTES_PER_PERSON; i++) await [p, tab2][i % 2].do({ type: 'note.add', boneId: 'people', text: `Note ${i}` });
    const res = await p.send({ type: 'note.add', boneId: 'people', text: 'One too many' });
    expect(res).toEqual({
      ok: false,
      code: 'limit_reached',
      message: `That is the limit: one person can write at most ${NOTES_PER_PERSON} notes.`,
    });
    await fac.sync();
    expect(fac.board().notes).toHaveLength(NOTES_PER_PERSON);
    // Someone else still can.
    const q = await TestClient.participant(server.url, w.code);
    expect((await q.send({ type: 'note.add', boneId: 'people', text: 'Mine' })).ok).toBe(true);
  });

  it(`one person adding and taking back notes adds at most ${NOTES_ADDED_PER_PERSON} in all: the document stays small`, async () => {
    const { w, fac } = await brainstorm();
    const tabs = [await TestClient.participant(server.url, w.code)];
    for (let i = 1; i < 10; i++) tabs.push(await TestClient.participant(server.url, w.code, tabs[0].token));
    await fac.sync();
    const docBytes = () => Y.encodeStateAsUpdate(fac.doc).byteLength;
    const doc0 = docBytes();
    let refused: unknown = null;
    for (let i = 0; i < NOTES_ADDED_PER_PERSON + 20 && !refused; i++) {
      const tab = tabs[i % tabs.length];
      const r = await tab.send({ type: 'note.add', boneId: 'people', text: `Churn ${i}` });
      if (!r.ok) refused = r;
      else expect((await tab.send({ type: 'note.delete', noteId: r.noteId! })).ok).toBe(true);
    }
    expect(refused).toEqual({
      ok: false,
      code: 'limit_reached',
      message: `That is the limit: one person can add at most ${NOTES_ADDED_PER_PERSON} notes in all, taken back ones included.`,
    });
    await fac.sync();
    expect(fac.board().notes).toHaveLength(0);
    const doc1 = docBytes();
    console.log(`churn: document ${doc0} → ${doc1} bytes after ${NOTES_ADDED_PER_PERSON} notes added and taken back`);
    // A tombstone is a few dozen bytes: 100 of them, never 1,200.
    expect(doc1 - doc0).toBeLessThan(NOTES_ADDED_PER_PERSON * 64);
    // Someone else still can.
    const q = await TestClient.participant(server.url, w.code);
    expect((await q.send({ type: 'note.add', boneId: 'people', text: 'Mine' })).ok).toBe(true);
    for (const c of [fac, q, ...tabs]) c.close();
  });

  it(`a workshop holds at most ${ACTIONS_PER_WORKSHOP} actions and ${LINKS_PER_WORKSHOP} co-facilitator links`, async () => {
    const { w, fac } = await brainstorm();
    const links = [];
    for (let i = 0; i < LINKS_PER_WORKSHOP; i++) links.push((await fac.do({ type: 'cofacilitator.create' })).link!);
    expect(await fac.send({ type: 'cofacilitator.create' })).toEqual({
      ok: false,
      code: 'limit_reached',
      message: `That is the limit: a workshop has at most ${LINKS_PER_WORKSHOP} co-facilitator links.`,
    });
    for (const phase of ['review', 'vote', 'reveal', 'act'] as const) await fac.do({ type: 'phase.set', phase });
    // Eight co-facilitators add 25 actions each, within one socket's burst and one person's
    // commands in flight apiece.
    const cos = await Promise.all(links.slice(0, 8).map((l) => TestClient.facilitator(server.url, w.code, l.key)));
    await Promise.all(
      cos.map((c, n) =>
        Promise.all(Array.from({ length: 25 }, (_, i) => c.do({ type: 'action.add', what: `Action ${n}-${i}`, who: '', when: '' }))),
      ),
    );
    expect(await fac.send({ type: 'action.add', what: 'One too many', who: '', when: '' })).toMatchObject({
      ok: false,
      code: 'limit_reached',
    });
    await fac.sync();
    expect(fac.board().actions).toHaveLength(ACTIONS_PER_WORKSHOP);
    for (const c of cos) c.close();
  });

  it(`one person has at most ${IN_FLIGHT_PER_ACTOR} commands waiting; past that they are told to slow down at once`, async () => {
    const { w } = await brainstorm();
    const p = await TestClient.participant(server.url, w.code);
    const tab2 = await TestClient.participant(server.url, w.code, p.token);
    const results = await Promise.all(
      Array.from({ length: 2 * (IN_FLIGHT_PER_ACTOR + 4) }, (_, i) => [p, tab2][i % 2].send({ type: 'profile.set', group: null })),
    );
    const limited = results.filter((r) => !r.ok && r.code === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(results.filter((r) => r.ok).length + limited).toBe(results.length);
  });

  it('a connection that never joins is closed', async () => {
    const s = connectSocket(server.url);
    await new Promise<void>((r) => s.on('connect', () => r()));
    await until(() => s.disconnected, 'closed for not joining', 3000);
  });
});

describe('the store', () => {
  it('keeps its write-ahead log bounded under a stream of writes', async () => {
    const small = await startServer({ walLimitBytes: 256 * 1024 });
    try {
      const w = await createWorkshop(small.url, { title: 'WAL', silent: false });
      const fac = await TestClient.facilitator(small.url, w.code, w.facilitatorKey);
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const people = await Promise.all(Array.from({ length: 30 }, () => TestClient.participant(small.url, w.code)));
      // About 3 MB of writes: notes, then edits of every note, twice.
      const long = 'x'.repeat(250);
      const ids = await Promise.all(
        people.map(async (p, i) => (await p.do({ type: 'note.add', boneId: 'people', text: `${i} ${long}` })).noteId!),
      );
      for (let round = 0; round < 12; round++) {
        await Promise.all(people.map((p, i) => p.do({ type: 'note.edit', noteId: ids[i], text: `${round} ${i} ${long}` })));
      }
      const wal = () => statSync(`${small.dbFile}-wal`).size;
      await until(() => wal() <= 256 * 1024, `the WAL back under its limit (${wal()} bytes)`, 5000);
      for (const c of [fac, ...people]) c.close();
    } finally {
      await small.stop();
      removeDir(small.dataDir);
    }
  });

  it('health reads the database: 503 when it cannot', async () => {
    const s = await startServer();
    try {
      expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ ok: true });
      s.store.db.close();
      const res = await fetch(`${s.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ ok: false, code: 'unavailable' });
    } finally {
      s.http.closeAllConnections();
      s.http.close();
      removeDir(s.dataDir);
    }
  });

  it('a damaged database file is found at start, not by every request failing', async () => {
    const { writeFileSync, readFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { SqliteStore } = await import('../../server/store/sqlite.ts');
    const s = await startServer();
    await createWorkshop(s.url, { title: 'To be damaged' });
    await s.stop();
    const bytes = readFileSync(s.dbFile);
    // Scribble over the header of every page after the first: the b-trees no longer hold.
    for (let page = 1; page * 4096 < bytes.length; page++) bytes.fill(0xa5, page * 4096, page * 4096 + 12);
    const dir = mkdtempSync(join(tmpdir(), 'fishbone-damaged-'));
    writeFileSync(join(dir, 'fishbone.sqlite'), bytes);
    expect(() => new SqliteStore(join(dir, 'fishbone.sqlite'))).toThrow(/damaged|malformed|corrupt/i);
    removeDir(dir);
    removeDir(s.dataDir);
  });
});

describe('memory', () => {
  it('workshops loaded by anonymous GETs are let go: at most the idle limit stays in memory', async () => {
    const s = await startServer({ registry: { maxIdle: 20 } });
    try {
      const codes = await Promise.all(Array.from({ length: 60 }, (_, i) => createWorkshop(s.url, { title: `W${i}` }).then((w) => w.code)));
      for (const code of codes) expect((await fetch(`${s.url}/api/workshops/${code}`)).status).toBe(200);
      expect(s.app.registry.openCount).toBeLessThanOrEqual(20);
    } finally {
      await s.stop();
      removeDir(s.dataDir);
    }
  });
});

describe('proposals from phones', () => {
  it('one person proposes at most 20 actions', async () => {
    const { w, fac } = await brainstorm();
    const p = await TestClient.participant(server.url, w.code);
    await p.do({ type: 'note.add', boneId: 'people', text: 'A barrier' });
    for (const phase of ['review', 'vote', 'reveal', 'act'] as const) await fac.do({ type: 'phase.set', phase });
    for (let i = 0; i < 20; i++) await p.do({ type: 'proposal.add', text: `Proposal ${i}` });
    expect(await p.send({ type: 'proposal.add', text: 'One too many' })).toEqual({
      ok: false,
      code: 'limit_reached',
      message: 'That is the limit: one person can propose at most 20 actions.',
    });
  });
});

describe('imports', () => {
  const importing = (body: unknown) =>
    fetch(`${server.url}/api/workshops/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const count = () => server.store.db.prepare('SELECT count(*) AS n FROM workshops').get() as { n: number };

  it(`holds the caps of a workshop: at most ${NOTES_PER_WORKSHOP} notes and ${ACTIONS_PER_WORKSHOP} actions, refused whole`, async () => {
    const before = count().n;
    const tooManyNotes = await importing(bigBoard(NOTES_PER_WORKSHOP + 1));
    expect(tooManyNotes.status).toBe(400);
    expect(await tooManyNotes.json()).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringContaining(`notes: at most ${NOTES_PER_WORKSHOP} notes, the cap of a workshop`),
    });
    const board = bigBoard(10);
    const actions = Array.from({ length: ACTIONS_PER_WORKSHOP + 1 }, (_, i) => ({
      id: `act${i}`,
      noteId: null,
      what: `Action ${i}`,
      who: '',
      when: '',
      order: i,
    }));
    const tooManyActions = await importing({ ...board, actions });
    expect(tooManyActions.status).toBe(400);
    expect((await tooManyActions.json()).message).toContain(`actions: at most ${ACTIONS_PER_WORKSHOP} actions`);
    expect(count().n).toBe(before);
    // At the caps it is a workshop like any other.
    const atCaps = await importing({ ...bigBoard(NOTES_PER_WORKSHOP), actions: actions.slice(0, ACTIONS_PER_WORKSHOP) });
    expect(atCaps.status).toBe(201);
    expect(count().n).toBe(before + 1);
  });
});
