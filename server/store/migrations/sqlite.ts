import type Database from 'better-sqlite3';
import { log } from '../../log/logger.ts';
import { SQLITE_PARTNERSHIPS } from './sqlite-partnerships.ts';

/**
 * The SQLite schema as numbered steps. A file records the last step it has in `schema_version`;
 * opening it runs the steps after that, each in one transaction with its new number.
 *
 * Files made before the schema had a version (no `schema_version` table) are at some unknown
 * step, so every step here is written to be harmless when its change is already there (CREATE
 * ... IF NOT EXISTS, a column added only when missing) and such a file runs them all.
 * A new step goes at the end; a step that has shipped is never edited.
 */
interface Step {
  version: number;
  what: string;
  up(db: Database.Database): void;
}

const addColumn = (db: Database.Database, table: string, column: string, type: string): void => {
  const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
};

export const SQLITE_STEPS: Step[] = [
  {
    version: 1,
    what: 'workshops, keys, document updates and the private tables',
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS workshops (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL, template TEXT NOT NULL,
  phase TEXT NOT NULL, created_at INTEGER NOT NULL, server_client_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS facilitator_keys (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS doc_updates (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, seq INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (workshop_id, seq));
CREATE TABLE IF NOT EXISTS participants (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, participant_id));
CREATE TABLE IF NOT EXISTS note_authors (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id, participant_id));
CREATE TABLE IF NOT EXISTS hidden_notes (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, bone_id TEXT NOT NULL,
  sub_bone_id TEXT, text TEXT NOT NULL, pick TEXT, PRIMARY KEY (workshop_id, note_id));
CREATE TABLE IF NOT EXISTS ballots (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, note_id TEXT NOT NULL,
  dots INTEGER NOT NULL CHECK (dots > 0), PRIMARY KEY (workshop_id, participant_id, note_id));
CREATE TABLE IF NOT EXISTS commands (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, actor TEXT NOT NULL, command_id TEXT NOT NULL,
  result TEXT NOT NULL, PRIMARY KEY (workshop_id, actor, command_id));`),
  },
  {
    version: 2,
    what: 'closing (closed_at, the group breakdown) and participant groups',
    up: (db) => {
      addColumn(db, 'workshops', 'closed_at', 'INTEGER');
      addColumn(db, 'workshops', 'breakdown', 'TEXT');
      addColumn(db, 'participants', 'group_name', 'TEXT');
    },
  },
  {
    version: 3,
    what: 'notes a facilitator hid (moderation)',
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS moderated_notes (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id));`),
  },
  {
    version: 4,
    what: 'the hybrid day: who has finished, action proposals from phones, control answers',
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS finished (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, phase TEXT NOT NULL,
  PRIMARY KEY (workshop_id, participant_id, phase));
CREATE TABLE IF NOT EXISTS proposals (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, proposal_id TEXT NOT NULL,
  participant_id TEXT NOT NULL, text TEXT NOT NULL, state TEXT NOT NULL, ord INTEGER NOT NULL,
  PRIMARY KEY (workshop_id, proposal_id));
CREATE TABLE IF NOT EXISTS control_answers (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, note_id TEXT NOT NULL,
  answer TEXT NOT NULL, PRIMARY KEY (workshop_id, participant_id, note_id));`),
  },
  {
    version: 5,
    what: "the facilitator's controls: held notes' reviews, who voted this round, undoable steps",
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS note_reviews (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id));
CREATE TABLE IF NOT EXISTS round_voters (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, participant_id));
CREATE TABLE IF NOT EXISTS undo_steps (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, seq INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, seq));`),
  },
  {
    version: 6,
    what: "facilitators' sign-in (server/auth/): accounts, sessions, and which workshops each account created",
    up: (db) =>
      db.exec(`
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, issuer TEXT NOT NULL, subject TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (issuer, subject));
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL, email TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS account_workshops (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, created_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, workshop_id));
CREATE INDEX IF NOT EXISTS account_workshops_workshop ON account_workshops (workshop_id);`),
  },
  { version: 7, ...SQLITE_PARTNERSHIPS },
];

export const SQLITE_SCHEMA_VERSION = SQLITE_STEPS[SQLITE_STEPS.length - 1].version;

/** The file's schema step, 0 for a file without a version (new, or made before versions). */
export function sqliteSchemaVersion(db: Database.Database): number {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!hasTable) return 0;
  return (db.prepare('SELECT version FROM schema_version').pluck().get() as number | undefined) ?? 0;
}

/** Bring a file up to the latest step. A file from a newer server is left alone and said so. */
export function migrateSqlite(db: Database.Database): void {
  const from = sqliteSchemaVersion(db);
  if (from > SQLITE_SCHEMA_VERSION) {
    log.warn(
      { schema: from, known: SQLITE_SCHEMA_VERSION },
      'the database schema is newer than this server knows; steps only add, so running on',
    );
    return;
  }
  for (const step of SQLITE_STEPS) {
    if (step.version <= from) continue;
    db.transaction(() => {
      step.up(db);
      db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      db.exec('DELETE FROM schema_version');
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(step.version);
    })();
  }
}
