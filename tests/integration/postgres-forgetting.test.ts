import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PURGED } from '../../server/store/postgres-ops.ts';
import { PostgresStore } from '../../server/store/postgres.ts';
import type { PrivateOp } from '../../server/store/store.ts';
import { createWorkshop } from '../../server/workshop/create.ts';
import { createTestDatabase, query, type TestDatabase } from '../support/postgres.ts';
import { sleep } from '../support/wait.ts';

/**
 * Forgetting the bytes on PostgreSQL (issue 25): after a workshop closes (or is deleted), its
 * private facts must be gone from the table and index files, not only from the tables. Read as a
 * later reader of the database's files would: the raw files of every private table and index,
 * after a checkpoint has written the shared buffers out.
 */
const dbs: TestDatabase[] = [];
const stores: PostgresStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  for (const db of dbs) await db.drop();
});

/** Every file of the private tables and their indexes, as the server's data directory holds them now. */
async function privateFiles(db: TestDatabase): Promise<string[]> {
  await query(db, 'CHECKPOINT');
  const [{ dir }] = await query<{ dir: string }>(db, 'SELECT current_setting($1) AS dir', ['data_directory']);
  const rows = await query<{ path: string }>(
    db,
    `SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c
     WHERE c.oid IN (SELECT unnest(ARRAY[$1::regclass[]]) UNION SELECT indexrelid FROM pg_index WHERE indrelid = ANY($1::regclass[]))`,
    [PURGED],
  );
  return rows.map((r) => join(dir, r.path));
}

const holds = (files: string[], needle: string) => files.filter((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(needle)));

describe('forgetting on PostgreSQL', () => {
  it('leaves no private fact of a closed workshop in the table or index files once the sweep has run', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    // Sweeps only when asked, so the test sees the files before and after.
    const store = await PostgresStore.open(db.url, { forget: { delayMs: 3_600_000 } });
    stores.push(store);
    const closing = (await createWorkshop(store, { title: 'Closing', template: 'barriers', silent: true }, Date.now())).row.id;
    const staying = (await createWorkshop(store, { title: 'Staying', template: 'barriers', silent: true }, Date.now())).row.id;
    const facts = (w: string, who: string): PrivateOp[] => [
      { t: 'participant', participantId: who },
      { t: 'group', participantId: who, group: 'Adult social care' },
      { t: 'author', noteId: `note-${who}`, participantId: who },
      { t: 'hidden.put', row: { noteId: `held-${who}`, boneId: 'people', subBoneId: null, text: `Held words of ${who}`, pick: null } },
      { t: 'ballot', participantId: who, noteId: `note-${w}`, dots: 3 },
      { t: 'voted', participantId: who },
      { t: 'answer', participantId: who, noteId: `note-${w}`, answer: 'control' },
      { t: 'finished', participantId: who, phase: 'vote', finished: true },
    ];
    await store.commit(closing, { docUpdate: null, docSnapshot: null, ops: facts(closing, 'pid-forget-me-0001') });
    await store.commit(staying, { docUpdate: null, docSnapshot: null, ops: facts(staying, 'pid-keep-me-0002') });

    const before = await privateFiles(db);
    expect(holds(before, 'pid-forget-me-0001').length).toBeGreaterThan(0);
    // Closing deletes the rows; their bytes stay in the pages (dead tuples, then free space).
    await store.commit(closing, { docUpdate: null, docSnapshot: null, ops: [{ t: 'purge', closedAt: Date.now() }] });
    const deleted = await privateFiles(db);
    expect(holds(deleted, 'pid-forget-me-0001').length).toBeGreaterThan(0);
    expect(holds(deleted, 'Held words of pid-forget-me-0001').length).toBeGreaterThan(0);

    let report = await store.forgetting.sweep();
    expect(report.skipped).toEqual([]);
    expect(Object.keys(report.tables).sort()).toEqual([...PURGED].sort());
    console.log(`forgetting sweep: ${JSON.stringify(report.tables)} ms per table`);
    // A transaction open anywhere at that moment (another test's, on a busy machine) can make a
    // rewrite keep deleted rows; PostgreSQL says so, and the store sweeps those tables again.
    for (let i = 0; report.kept.length && i < 20; i++) {
      await sleep(500);
      report = await store.forgetting.sweep();
    }
    expect(report.kept).toEqual([]);
    const after = await privateFiles(db);
    expect(holds(after, 'pid-forget-me-0001')).toEqual([]);
    expect(holds(after, 'Held words of pid-forget-me-0001')).toEqual([]);
    // The old files are unlinked, not left beside the new ones.
    expect(deleted.filter((f) => !after.includes(f) && existsSync(f))).toEqual([]);
    // The open workshop's facts are all still there.
    expect(holds(after, 'pid-keep-me-0002').length).toBeGreaterThan(0);
    const loaded = (await store.load(staying))!;
    expect(loaded.ops.filter((op) => 'participantId' in op && op.participantId === 'pid-keep-me-0002').length).toBeGreaterThan(3);
  });

  it('after a delete too, and a close is swept by itself once the delay has passed', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const store = await PostgresStore.open(db.url, { forget: { delayMs: 200, minIntervalMs: 0 } });
    stores.push(store);
    const id = (await createWorkshop(store, { title: 'Deleted', template: 'barriers', silent: true }, Date.now())).row.id;
    await store.commit(id, {
      docUpdate: null,
      docSnapshot: null,
      ops: [
        { t: 'participant', participantId: 'pid-deleted-0003' },
        { t: 'author', noteId: 'n1', participantId: 'pid-deleted-0003' },
      ],
    });
    await store.deleteWorkshop(id);
    const t0 = Date.now();
    for (;;) {
      if (holds(await privateFiles(db), 'pid-deleted-0003').length === 0) break;
      if (Date.now() - t0 > 20_000)
        throw new Error(`the sweep did not run within 10 s of the delete: ${holds(await privateFiles(db), 'pid-deleted-0003').join(', ')}`);
      await sleep(200);
    }
  });

  it('a transaction open elsewhere during the sweep: the rewrite keeps the rows, says so, and the next sweep removes them', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const store = await PostgresStore.open(db.url, { forget: { delayMs: 3_600_000 } });
    stores.push(store);
    const id = (await createWorkshop(store, { title: 'Held open', template: 'barriers', silent: true }, Date.now())).row.id;
    await store.commit(id, {
      docUpdate: null,
      docSnapshot: null,
      ops: [
        { t: 'participant', participantId: 'pid-held-open-0004' },
        { t: 'author', noteId: 'n1', participantId: 'pid-held-open-0004' },
      ],
    });
    // Another client's transaction, with a write of its own, open from before the close.
    const other = new pg.Client({ connectionString: db.adminUrl });
    await other.connect();
    await other.query('BEGIN');
    await other.query('CREATE TEMP TABLE busy (x int)');
    await other.query('INSERT INTO busy VALUES (1)');
    try {
      await store.commit(id, { docUpdate: null, docSnapshot: null, ops: [{ t: 'purge', closedAt: Date.now() }] });
      const held = await store.forgetting.sweep();
      expect(held.kept).toContain('participants');
      expect(holds(await privateFiles(db), 'pid-held-open-0004').length).toBeGreaterThan(0);
    } finally {
      await other.query('COMMIT');
      await other.end();
    }
    const report = await store.forgetting.sweep();
    expect(report.kept).toEqual([]);
    expect(holds(await privateFiles(db), 'pid-held-open-0004')).toEqual([]);
  });
});
