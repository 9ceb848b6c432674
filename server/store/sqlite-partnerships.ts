import type Database from 'better-sqlite3';
import type { WorkshopSummary } from '../../shared/partnership/series.ts';
import type { LoadedPartnership, PartnershipEntry, PartnershipRow, PartnershipStore } from './partnerships.ts';
import type { KeyRow } from './key-row.ts';

/** Partnerships in the embedded SQLite file (the tables of migrations/sqlite-partnerships.ts). */
export class SqlitePartnerships implements PartnershipStore {
  readonly #s;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#s = {
      insert: db.prepare('INSERT INTO partnerships (id, title, created_at, account_id) VALUES (?, ?, ?, ?)'),
      get: db.prepare('SELECT id, title, created_at, account_id FROM partnerships WHERE id = ?'),
      del: db.prepare('DELETE FROM partnerships WHERE id = ?'),
      insertKey: db.prepare(
        'INSERT INTO partnership_keys (id, partnership_id, key_hash, kind, created_at, revoked) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      revokeKey: db.prepare('UPDATE partnership_keys SET revoked = 1 WHERE partnership_id = ? AND id = ?'),
      keys: db.prepare(
        'SELECT id, key_hash, kind, created_at, revoked FROM partnership_keys WHERE partnership_id = ? ORDER BY created_at, id',
      ),
      insertEntry: db.prepare(
        'INSERT INTO partnership_workshops (partnership_id, entry_id, workshop_id, created_at, summary) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      // The code comes from the workshop itself, so an entry whose workshop is gone has none.
      entries: db.prepare(
        `SELECT e.entry_id, e.workshop_id, e.created_at, e.summary, w.code FROM partnership_workshops e
         LEFT JOIN workshops w ON w.id = e.workshop_id WHERE e.partnership_id = ? ORDER BY e.created_at, e.entry_id`,
      ),
      ofWorkshop: db.prepare('SELECT partnership_id FROM partnership_workshops WHERE workshop_id = ?').pluck(),
      removeWorkshop: db.prepare('DELETE FROM partnership_workshops WHERE workshop_id = ?'),
    };
  }

  async create(row: PartnershipRow, owner: KeyRow, entries: PartnershipEntry[]): Promise<void> {
    this.#db
      .transaction(() => {
        this.#s.insert.run(row.id, row.title, row.createdAt, row.accountId);
        this.#s.insertKey.run(owner.id, row.id, owner.keyHash, owner.kind, owner.createdAt, 0);
        for (const e of entries) this.#insertEntry(row.id, e);
      })
      .immediate();
  }

  #insertEntry(partnershipId: string, e: PartnershipEntry): boolean {
    const { code: _code, ...summary } = e.summary;
    return this.#s.insertEntry.run(partnershipId, e.entryId, e.workshopId, e.createdAt, JSON.stringify(summary)).changes === 1;
  }

  async load(id: string): Promise<LoadedPartnership | null> {
    const r = this.#s.get.get(id) as { id: string; title: string; created_at: number; account_id: string | null } | undefined;
    if (!r) return null;
    const keys = (
      this.#s.keys.all(id) as Array<{ id: string; key_hash: string; kind: KeyRow['kind']; created_at: number; revoked: number }>
    ).map((k): KeyRow => ({ id: k.id, keyHash: k.key_hash, kind: k.kind, createdAt: k.created_at, revoked: k.revoked === 1 }));
    const entries = (
      this.#s.entries.all(id) as Array<{
        entry_id: string;
        workshop_id: string | null;
        created_at: number;
        summary: string;
        code: string | null;
      }>
    ).map((e): PartnershipEntry => ({
      entryId: e.entry_id,
      workshopId: e.workshop_id,
      createdAt: e.created_at,
      summary: { ...(JSON.parse(e.summary) as WorkshopSummary), code: e.code },
    }));
    return { row: { id: r.id, title: r.title, createdAt: r.created_at, accountId: r.account_id }, keys, entries };
  }

  async addEntry(partnershipId: string, entry: PartnershipEntry): Promise<boolean> {
    return this.#insertEntry(partnershipId, entry);
  }

  async ofWorkshop(workshopId: string): Promise<string | null> {
    return (this.#s.ofWorkshop.get(workshopId) as string | undefined) ?? null;
  }

  async removeWorkshop(workshopId: string): Promise<void> {
    this.#s.removeWorkshop.run(workshopId);
  }

  async addKey(partnershipId: string, key: KeyRow): Promise<void> {
    this.#s.insertKey.run(key.id, partnershipId, key.keyHash, key.kind, key.createdAt, key.revoked ? 1 : 0);
  }

  async revokeKey(partnershipId: string, keyId: string): Promise<void> {
    this.#s.revokeKey.run(partnershipId, keyId);
  }

  async delete(id: string): Promise<void> {
    this.#s.del.run(id);
  }
}
