import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PostgresStore } from '../../server/store/postgres.ts';
import { PrivateState } from '../../server/workshop/private-state.ts';
import { CHANGE_ANSWERS } from '../../shared/partnership/series.ts';
import { docParts } from '../../shared/doc.ts';
import { until } from '../support/client.ts';
import { getPartnership, partnershipFile, springThenAutumn } from '../support/partnership.ts';
import { createTestDatabase, query, type TestDatabase } from '../support/postgres.ts';
import { startServerOn, type TestServer } from '../support/server.ts';

/**
 * Partnerships on PostgreSQL (issue 26): the same schema step, the same behaviour as on SQLite.
 * Each workshop's summary is written in its own group commit (fenced by its lease on several
 * nodes); the "since last time" answers load back as they were and go at closing.
 */

const clock = { at: Date.parse('2027-01-04T09:00:00Z'), since: Date.now() };
const setDay = (day: number) => Object.assign(clock, { at: day, since: Date.now() });
let db: TestDatabase;
let server: TestServer<PostgresStore>;

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

describe('a partnership on PostgreSQL', () => {
  it('runs two workshops, keeps their outcomes, loads the private answers back, forgets them at closing, and moves to another server', async () => {
    db = await createTestDatabase();
    server = await startServerOn(await PostgresStore.open(db.url), { now: () => clock.at + (Date.now() - clock.since) });
    const s = await springThenAutumn(server.url, setDay, 2027);
    for (const [i, p] of s.autumn.entries()) await p.do({ type: 'since.rate', barrierId: s.last.top[0].id, answer: CHANGE_ANSWERS[i % 3] });
    await s.f2.do({ type: 'since.status', actionId: s.last.actions[1].id, status: 'progress' });
    await s.f2.do({ type: 'since.carry', actionId: s.last.actions[1].id });

    // What the store would load is what the server holds: the answers too.
    const w = (await server.app.registry.find(s.w2.code))!;
    await w.run(() => ({ ok: true }));
    const loaded = (await server.store.load(w.id))!;
    const doc = new Y.Doc();
    for (const u of loaded.updates) Y.applyUpdate(doc, u);
    docParts(doc);
    expect(doc.toJSON()).toEqual(w.doc.toJSON());
    expect(PrivateState.replay(loaded.ops).since).toEqual(w.private.since);
    expect(w.private.since.size).toBe(5);

    const view = await getPartnership(server.url, s.p);
    expect(view.workshops.map((x) => [x.title, x.phase])).toEqual([
      ['Spring away-day', 'closed'],
      ['Autumn away-day', 'lobby'],
    ]);
    expect(view.workshops[0].actions.map((a) => a.status)).toEqual([null, 'progress', null]);
    expect(view.workshops[1].actions.map((a) => a.what)).toEqual(['Agree a data-sharing protocol']);

    await s.f2.do({ type: 'since.show' });
    await s.f2.do({ type: 'phase.set', phase: 'closed' });
    expect(await query(db, 'SELECT * FROM since_answers')).toEqual([]);
    await until(() => s.autumn.every((p) => p.self?.since === undefined), 'own answers forgotten');
    expect((await getPartnership(server.url, s.p)).workshops[1].since?.ratings?.barriers[s.last.top[0].id]).toEqual({
      better: 2,
      same: 2,
      worse: 1,
    });

    // Its JSON export moves it: a new partnership here with the same history, the next workshop starting from the last.
    const file = await (await partnershipFile(server.url, s.p, 'partnership.json')).text();
    const res = await fetch(`${server.url}/api/partnerships/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: file,
    });
    expect(res.status).toBe(201);
    const moved = (await res.json()) as { id: string; key: string };
    const again = await getPartnership(server.url, moved);
    expect(again.workshops.map((x) => [x.title, x.code, x.date])).toEqual(view.workshops.map((x) => [x.title, null, x.date]));
    expect(again.actions).toEqual((await getPartnership(server.url, s.p)).actions);
    s.close();
  });
});
