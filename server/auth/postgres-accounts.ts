import type pg from 'pg';
import { newId } from '../workshop/keys.ts';
import { LISTED_WORKSHOPS, type AccountStore, type AccountWorkshop, type SessionRow } from './account-store.ts';

/** BIGINT columns come back as strings. */
const ms = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** The account tables in PostgreSQL: the same as SQLite's, shared by every node. */
export class PostgresAccounts implements AccountStore {
  constructor(private readonly pool: pg.Pool) {}

  async account(issuer: string, subject: string, now: number): Promise<string> {
    // An upsert that always returns the row: two nodes signing the same person in at once agree.
    const r = await this.pool.query<{ id: string }>(
      `INSERT INTO accounts (id, issuer, subject, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (issuer, subject) DO UPDATE SET issuer = excluded.issuer RETURNING id`,
      [newId(), issuer, subject, now],
    );
    return r.rows[0].id;
  }

  async startSession(tokenHash: string, row: SessionRow): Promise<void> {
    await this.pool.query(
      'INSERT INTO sessions (token_hash, account_id, name, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [tokenHash, row.accountId, row.name, row.email, row.createdAt, row.expiresAt],
    );
  }

  async session(tokenHash: string, now: number): Promise<SessionRow | null> {
    const r = await this.pool.query<{ account_id: string; name: string; email: string; created_at: string; expires_at: string }>({
      name: 'session-by-token',
      text: 'SELECT account_id, name, email, created_at, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2',
      values: [tokenHash, now],
    });
    const row = r.rows[0];
    if (!row) return null;
    return { accountId: row.account_id, name: row.name, email: row.email, createdAt: ms(row.created_at)!, expiresAt: ms(row.expires_at)! };
  }

  async endSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  async endExpired(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async linkWorkshop(accountId: string, workshopId: string, now: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO account_workshops (account_id, workshop_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [accountId, workshopId, now],
    );
  }

  async workshops(accountId: string): Promise<AccountWorkshop[]> {
    const r = await this.pool.query<{ code: string; title: string; phase: string; created_at: string; closed_at: string | null }>(
      `SELECT w.code, w.title, w.phase, w.created_at, w.closed_at
       FROM account_workshops a JOIN workshops w ON w.id = a.workshop_id
       WHERE a.account_id = $1 ORDER BY w.created_at DESC LIMIT ${LISTED_WORKSHOPS}`,
      [accountId],
    );
    return r.rows.map((w) => ({ code: w.code, title: w.title, phase: w.phase, createdAt: ms(w.created_at)!, closedAt: ms(w.closed_at) }));
  }

  async workshopOf(accountId: string, code: string): Promise<string | null> {
    const r = await this.pool.query<{ id: string }>(
      'SELECT w.id FROM account_workshops a JOIN workshops w ON w.id = a.workshop_id WHERE a.account_id = $1 AND w.code = $2',
      [accountId, code],
    );
    return r.rows[0]?.id ?? null;
  }
}
