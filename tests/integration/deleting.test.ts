import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountStoreFor } from '../../server/auth/accounts-for.ts';
import { Leases } from '../../server/cluster/lease.ts';
import { PostgresStore } from '../../server/store/postgres.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/store.ts';
import { pastReleases, until } from '../support/client.ts';
import { springThenAutumn } from '../support/partnership.ts';
import { createTestDatabase, query, type TestDatabase } from '../support/postgres.ts';
import { removeDir, startServerOn, type TestServer } from '../support/server.ts';

/**
 * "Deleting a workshop removes every trace" (docs/THREAT-MODEL.md), on both stores. The tables
 * are read from the schema itself, so a table added later is checked without anyone editing this
 * file: every table holds workshop data (a workshop_id column, or the workshops table itself)
 * unless it is listed below with the reason it holds none. Before the delete, the test makes sure
 * each of them has rows of this workshop, so "nothing left" is never "nothing was there".
 */
const NOT_WORKSHOP_DATA: Record<string, string> = {
  schema_version: 'the version of the schema, one number',
  accounts: "a facilitator's sign-in identity (issuer and subject), not any workshop's",
  sessions: "a facilitator's signed-in browser sessions",
  partnerships: "a partnership's title: it outlives the workshops run in it",
  partnership_keys: "the partnership's keys (hashes)",
};

interface Schema {
  name: string;
  open(): Promise<{ store: Store; dataDir?: string; db?: TestDatabase }>;
  /** Every table and its columns, from the database's own catalogue. */
  tables(s: Opened): Promise<Map<string, string[]>>;
  count(s: Opened, table: string, column: string, id: string): Promise<number>;
  /** What only this store keeps of a workshop, filled as the product would (PostgreSQL: a node's lease). */
  fillOwnTables(s: Opened, workshopId: string): Promise<void>;
}
type Opened = { store: Store; dataDir?: string; db?: TestDatabase };

const SCHEMAS: Schema[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'fishbone-deleting-'));
      return { store: new SqliteStore(join(dataDir, 'fishbone.sqlite')), dataDir };
    },
    async tables(s) {
      const db = (s.store as SqliteStore).db;
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[];
      return new Map(names.map((t) => [t, (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name)]));
    },
    async count(s, table, column, id) {
      return (s.store as SqliteStore).db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${column} = ?`).pluck().get(id) as number;
    },
    fillOwnTables: async () => {},
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const db = await createTestDatabase();
      return { store: await PostgresStore.open(db.url), db };
    },
    async tables(s) {
      const rows = await query<{ table_name: string; column_name: string }>(
        s.db!,
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
      );
      const out = new Map<string, string[]>();
      for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
      return out;
    },
    async count(s, table, column, id) {
      const [r] = await query<{ n: string }>(s.db!, `SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = $1`, [id]);
      return Number(r.n);
    },
    async fillOwnTables(s, workshopId) {
      // One node of a cluster owns the workshop (server/cluster/lease.ts; the cluster tests run it whole).
      const lease = new Leases(s.db!.url, { nodeId: 'node-a', nodeUrl: 'http://a', leaseMs: 60_000, claimWaitMs: 100 });
      await lease.claim(workshopId);
      await lease.close();
    },
  },
];

describe.each(SCHEMAS)('deleting a workshop ($name)', (schema) => {
  const clock = { at: Date.parse('2027-01-04T09:00:00Z'), since: Date.now() };
  const setDay = (day: number) => Object.assign(clock, { at: day, since: Date.now() });
  let opened: Opened;
  let server: TestServer<Store>;
  beforeAll(async () => {
    opened = await schema.open();
    server = await startServerOn(opened.store, { now: () => clock.at + (Date.now() - clock.since) });
  });
  afterAll(async () => {
    await server?.stop();
    if (opened?.dataDir) removeDir(opened.dataDir);
    await opened?.db?.drop();
  });

  /** The workshop tables, from the schema, and the column naming a row's workshop. */
  async function workshopTables(): Promise<Map<string, string>> {
    const tables = await schema.tables(opened);
    const keyOf = (t: string) => (t === 'workshops' ? 'id' : tables.get(t)!.includes('workshop_id') ? 'workshop_id' : null);
    const neither = [...tables.keys()].filter((t) => !keyOf(t) && !(t in NOT_WORKSHOP_DATA));
    expect(neither, 'tables with no workshop_id, not listed in NOT_WORKSHOP_DATA').toEqual([]);
    for (const t of Object.keys(NOT_WORKSHOP_DATA)) if (tables.has(t)) expect(keyOf(t), `${t} is listed as not workshop data`).toBeNull();
    return new Map([...tables.keys()].flatMap((t) => (keyOf(t) ? [[t, keyOf(t)!] as [string, string]] : [])));
  }

  /** Delete a workshop as its facilitator; the tables that held its rows just before, and those still holding any after. */
  async function deleteAndCount(tables: Map<string, string>, w: { code: string; facilitatorKey: string }) {
    const id = (await server.store.findIdByCode(w.code))!;
    // Sign-in's link from an account to the workshops it made (the sign-in flow is in sign-in.test.ts).
    const accounts = accountStoreFor(server.store);
    await accounts.linkWorkshop(await accounts.account('https://id.example', 'ada', Date.now()), id, Date.now());
    await schema.fillOwnTables(opened, id);
    const held: string[] = [];
    for (const [t, col] of tables) if ((await schema.count(opened, t, col, id)) > 0) held.push(t);
    const res = await fetch(`${server.url}/api/workshops/${w.code}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${w.facilitatorKey}` },
    });
    expect(res.status).toBe(200);
    const left: string[] = [];
    for (const [t, col] of tables) if ((await schema.count(opened, t, col, id)) > 0) left.push(t);
    return { held, left };
  }

  it('every table is workshop data or listed as not; deleting in the brainstorm and in Act leaves none of its rows, and between them every table had some', async () => {
    const tables = await workshopTables();
    // The 15, and the partnership's and sign-in's links to a workshop: the count only grows.
    expect(tables.size).toBeGreaterThanOrEqual(17);

    // Mid-brainstorm, the autumn workshop of a partnership: notes held for review, someone finished.
    const day1 = await springThenAutumn(server.url, setDay, 2027);
    {
      const { f2: fac, autumn: ps, screen, last } = day1;
      for (const p of ps.slice(0, 3)) await p.do({ type: 'since.rate', barrierId: last.top[0].id, answer: 'better' });
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const { noteId } = await ps[3].do({ type: 'note.add', boneId: 'people', text: 'Said out loud' });
      await fac.do({ type: 'note.hide', noteId: noteId!, hidden: true }); // moderated, with its undo step
      await fac.do({ type: 'settings.set', hold: true });
      for (const p of ps.slice(0, 3)) await p.do({ type: 'note.add', boneId: 'processes', text: 'Held for review' });
      await ps[4].do({ type: 'finished.set', phase: 'brainstorm', finished: true });
      await pastReleases([fac, ...ps, screen]); // the held notes reach the moderation view
    }
    const brainstorm = await deleteAndCount(tables, day1.w2);
    day1.close();
    expect(brainstorm.left, 'tables still holding a workshop deleted in its brainstorm').toEqual([]);

    // In Act, the next year's: groups, two rounds of votes, a proposal, an answer, a co-facilitator.
    const day2 = await springThenAutumn(server.url, setDay, 2028);
    {
      const { f2: fac, autumn: ps, screen, last } = day2;
      for (const p of ps.slice(0, 3)) await p.do({ type: 'since.rate', barrierId: last.top[0].id, answer: 'worse' });
      await fac.do({ type: 'cofacilitator.create' });
      await fac.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
      await ps[0].do({ type: 'profile.set', group: 'NHS' });
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const ids: string[] = [];
      for (const [i, p] of ps.entries()) ids.push((await p.do({ type: 'note.add', boneId: 'people', text: `Barrier ${i}` })).noteId!);
      await fac.do({ type: 'phase.set', phase: 'vote' });
      for (const p of ps) await p.do({ type: 'vote.change', noteId: ids[0], delta: 2 });
      await ps[1].do({ type: 'vote.change', noteId: ids[1], delta: 1 });
      await fac.do({ type: 'phase.set', phase: 'reveal' });
      await fac.do({ type: 'round.start', top: 2 });
      await until(() => ps[2].board().meta.round === 2, 'round 2');
      await ps[2].do({ type: 'vote.change', noteId: ids[0], delta: 1 });
      await fac.do({ type: 'phase.set', phase: 'reveal' });
      await fac.do({ type: 'phase.set', phase: 'act' });
      await ps[3].do({ type: 'proposal.add', text: 'Meet monthly' });
      await ps[4].do({ type: 'control.answer', noteId: ids[0], answer: 'control' }); // the top barrier
      await fac.do({ type: 'note.hide', noteId: ids[4], hidden: true });
      await Promise.all([fac, ...ps, screen].map((c) => c.sync()));
    }
    const act = await deleteAndCount(tables, day2.w2);
    day2.close();
    expect(act.left, 'tables still holding a workshop deleted in Act').toEqual([]);

    const neverFilled = [...tables.keys()].filter((t) => !brainstorm.held.includes(t) && !act.held.includes(t));
    expect(neverFilled, 'workshop tables neither workshop had rows in: fill them, or the delete of them is untested').toEqual([]);
  });
});
