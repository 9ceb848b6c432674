import type Database from 'better-sqlite3';
import { newId } from '../workshop/keys.ts';
import { LISTED_WORKSHOPS, type AccountStore, type AccountWorkshop, type SessionRow } from './account-store.ts';

/** The account tables in the SQLite file (server/auth/account-store.ts says what they hold). */
export class SqliteAccounts implements AccountStore {
  readonly #s;

  constructor(db: Database.Database) {
    this.#s = {
      findAccount: db.prepare('SELECT id FROM accounts WHERE issuer = ? AND subject = ?').pluck(),
      insertAccount: db.prepare('INSERT OR IGNORE INTO accounts (id, issuer, subject, created_at) VALUES (?, ?, ?, ?)'),
      insertSession: db.prepare(
        'INSERT INTO sessions (token_hash, account_id, name, email, created_at, expires_at) VALUES (@tokenHash, @accountId, @name, @email, @createdAt, @expiresAt)',
      ),
      session: db.prepare(
        'SELECT account_id AS accountId, name, email, created_at AS createdAt, expires_at AS expiresAt FROM sessions WHERE token_hash = ? AND expires_at > ?',
      ),
      endSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
      endExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      link: db.prepare('INSERT OR IGNORE INTO account_workshops (account_id, workshop_id, created_at) VALUES (?, ?, ?)'),
      workshops: db.prepare(
        `SELECT w.code, w.title, w.phase, w.created_at AS createdAt, w.closed_at AS closedAt
         FROM account_workshops a JOIN workshops w ON w.id = a.workshop_id
         WHERE a.account_id = ? ORDER BY w.created_at DESC LIMIT ${LISTED_WORKSHOPS}`,
      ),
      workshopOf: db
        .prepare('SELECT w.id FROM account_workshops a JOIN workshops w ON w.id = a.workshop_id WHERE a.account_id = ? AND w.code = ?')
        .pluck(),
    };
  }

  async account(issuer: string, subject: string, now: number): Promise<string> {
    this.#s.insertAccount.run(newId(), issuer, subject, now);
    return this.#s.findAccount.get(issuer, subject) as string;
  }

  async startSession(tokenHash: string, row: SessionRow): Promise<void> {
    this.#s.insertSession.run({ tokenHash, ...row });
  }

  async session(tokenHash: string, now: number): Promise<SessionRow | null> {
    return (this.#s.session.get(tokenHash, now) as SessionRow | undefined) ?? null;
  }

  async endSession(tokenHash: string): Promise<void> {
    this.#s.endSession.run(tokenHash);
  }

  async endExpired(now: number): Promise<number> {
    return this.#s.endExpired.run(now).changes;
  }

  async linkWorkshop(accountId: string, workshopId: string, now: number): Promise<void> {
    this.#s.link.run(accountId, workshopId, now);
  }

  async workshops(accountId: string): Promise<AccountWorkshop[]> {
    return this.#s.workshops.all(accountId) as AccountWorkshop[];
  }

  async workshopOf(accountId: string, code: string): Promise<string | null> {
    return (this.#s.workshopOf.get(accountId, code) as string | undefined) ?? null;
  }
}
