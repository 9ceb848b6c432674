import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../server/store/postgres.ts';
import { PRIVATE_TABLES, PURGED } from '../../server/store/private-tables.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { createTestDatabase, query, type TestDatabase } from '../support/postgres.ts';

/** Each private table's definition (server/store/private-tables.ts) against the schema both stores' migrations make. */
const expected = PRIVATE_TABLES.map((t) => ({ table: t.name, columns: [t.workshopColumn, ...Object.keys(t.columns)].sort() }));
const key = (t: (typeof PRIVATE_TABLES)[number]) => [t.workshopColumn, ...t.key].sort();

const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe('the private tables, defined once', () => {
  it("name columns and keys a migrated SQLite file has; purging names every table that references a workshop's people", async () => {
    const store = new SqliteStore(':memory:');
    try {
      const got = PRIVATE_TABLES.map((t) => {
        const info = store.db.prepare(`PRAGMA table_info(${t.name})`).all() as Array<{ name: string; pk: number }>;
        const names = new Set(info.map((c) => c.name));
        return { table: t.name, columns: [t.workshopColumn, ...Object.keys(t.columns)].filter((c) => names.has(c)).sort() };
      });
      expect(got).toEqual(expected);
      for (const t of PRIVATE_TABLES.filter((t) => t.key.length > 0)) {
        const info = store.db.prepare(`PRAGMA table_info(${t.name})`).all() as Array<{ name: string; pk: number }>;
        expect(
          info
            .filter((c) => c.pk > 0)
            .map((c) => c.name)
            .sort(),
          t.name,
        ).toEqual(key(t));
      }
      // Every table with a participant_id column is one closing empties (the keys and the partnership's outcome have none).
      const withPeople = PRIVATE_TABLES.filter((t) => 'participant_id' in t.columns).map((t) => t.name);
      expect(PURGED).toEqual(expect.arrayContaining(withPeople));
    } finally {
      await store.close();
    }
  });

  it('name columns and keys a migrated PostgreSQL database has', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    const store = await PostgresStore.open(db.url);
    await store.close();
    const rows = await query<{ table_name: string; column_name: string }>(
      db,
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const got = PRIVATE_TABLES.map((t) => {
      const names = new Set(rows.filter((r) => r.table_name === t.name).map((r) => r.column_name));
      return { table: t.name, columns: [t.workshopColumn, ...Object.keys(t.columns)].filter((c) => names.has(c)).sort() };
    });
    expect(got).toEqual(expected);
    const pks = await query<{ table_name: string; column_name: string }>(
      db,
      `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
       WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'`,
    );
    for (const t of PRIVATE_TABLES.filter((t) => t.key.length > 0))
      expect(
        pks
          .filter((r) => r.table_name === t.name)
          .map((r) => r.column_name)
          .sort(),
        t.name,
      ).toEqual(key(t));
  });
});
