import type pg from 'pg';
import type { WorkshopSummary } from '../../shared/partnership/series.ts';
import type { LoadedPartnership, PartnershipEntry, PartnershipRow, PartnershipStore } from './partnerships.ts';
import type { KeyRow } from './key-row.ts';

/** Partnerships in PostgreSQL: the same tables as SQLite's (migrations/postgres-partnerships.ts). */
export class PostgresPartnerships implements PartnershipStore {
  constructor(private readonly pool: pg.Pool) {}

  async #inTransaction(fn: (c: pg.PoolClient) => Promise<void>, begin = 'BEGIN'): Promise<void> {
    const c = await this.pool.connect();
    try {
      await c.query(begin);
      await fn(c);
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  static #entry(partnershipId: string, e: PartnershipEntry): [string, unknown[]] {
    const { code: _code, ...summary } = e.summary;
    return [
      'INSERT INTO partnership_workshops (partnership_id, entry_id, workshop_id, created_at, summary) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [partnershipId, e.entryId, e.workshopId, e.createdAt, JSON.stringify(summary)],
    ];
  }

  async create(row: PartnershipRow, owner: KeyRow, entries: PartnershipEntry[]): Promise<void> {
    await this.#inTransaction(async (c) => {
      await c.query('INSERT INTO partnerships (id, title, created_at, account_id) VALUES ($1, $2, $3, $4)', [
        row.id,
        row.title,
        row.createdAt,
        row.accountId,
      ]);
      await this.#insertKey(c, row.id, owner);
      for (const e of entries) await c.query(...PostgresPartnerships.#entry(row.id, e));
    });
  }

  #insertKey(c: pg.Pool | pg.PoolClient, partnershipId: string, k: KeyRow) {
    return c.query(
      'INSERT INTO partnership_keys (id, partnership_id, key_hash, kind, created_at, revoked) VALUES ($1, $2, $3, $4, $5, $6)',
      [k.id, partnershipId, k.keyHash, k.kind, k.createdAt, k.revoked],
    );
  }

  async load(id: string): Promise<LoadedPartnership | null> {
    let out: LoadedPartnership | null = null;
    // One snapshot: the keys and entries belong to the same moment as the row.
    await this.#inTransaction(async (c) => {
      const [r] = (
        await c.query<{ id: string; title: string; created_at: string; account_id: string | null }>(
          'SELECT id, title, created_at, account_id FROM partnerships WHERE id = $1',
          [id],
        )
      ).rows;
      if (!r) return;
      const keys = (
        await c.query<{ id: string; key_hash: string; kind: KeyRow['kind']; created_at: string; revoked: boolean }>(
          'SELECT id, key_hash, kind, created_at, revoked FROM partnership_keys WHERE partnership_id = $1 ORDER BY created_at, id',
          [id],
        )
      ).rows.map((k): KeyRow => ({ id: k.id, keyHash: k.key_hash, kind: k.kind, createdAt: Number(k.created_at), revoked: k.revoked }));
      const entries = (
        await c.query<{ entry_id: string; workshop_id: string | null; created_at: string; summary: string; code: string | null }>(
          `SELECT e.entry_id, e.workshop_id, e.created_at, e.summary, w.code FROM partnership_workshops e
           LEFT JOIN workshops w ON w.id = e.workshop_id WHERE e.partnership_id = $1 ORDER BY e.created_at, e.entry_id`,
          [id],
        )
      ).rows.map((e): PartnershipEntry => ({
        entryId: e.entry_id,
        workshopId: e.workshop_id,
        createdAt: Number(e.created_at),
        summary: { ...(JSON.parse(e.summary) as WorkshopSummary), code: e.code },
      }));
      out = { row: { id: r.id, title: r.title, createdAt: Number(r.created_at), accountId: r.account_id }, keys, entries };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    return out;
  }

  async addEntry(partnershipId: string, entry: PartnershipEntry): Promise<boolean> {
    const r = await this.pool.query(...PostgresPartnerships.#entry(partnershipId, entry));
    return r.rowCount === 1;
  }

  async ofWorkshop(workshopId: string): Promise<string | null> {
    const r = await this.pool.query<{ partnership_id: string }>('SELECT partnership_id FROM partnership_workshops WHERE workshop_id = $1', [
      workshopId,
    ]);
    return r.rows[0]?.partnership_id ?? null;
  }

  async removeWorkshop(workshopId: string): Promise<void> {
    await this.pool.query('DELETE FROM partnership_workshops WHERE workshop_id = $1', [workshopId]);
  }

  async addKey(partnershipId: string, key: KeyRow): Promise<void> {
    await this.#insertKey(this.pool, partnershipId, key);
  }

  async revokeKey(partnershipId: string, keyId: string): Promise<void> {
    await this.pool.query('UPDATE partnership_keys SET revoked = true WHERE partnership_id = $1 AND id = $2', [partnershipId, keyId]);
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('DELETE FROM partnerships WHERE id = $1', [id]);
  }
}
