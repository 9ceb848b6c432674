import type Database from 'better-sqlite3';

/**
 * The SQLite schema step of partnerships (issue 26), numbered where server/store/migrations/
 * sqlite.ts lists it. Like every step, harmless where its tables are there already.
 *
 * `partnership_workshops.workshop_id` has no foreign key on purpose: the entry (aggregates only)
 * outlives its workshop. `since_answers` is private, like `control_answers`: deleted at closing.
 */
export const SQLITE_PARTNERSHIPS = {
  what: 'partnerships: series of workshops, their keys and history; "since last time" answers',
  up: (db: Database.Database) =>
    db.exec(`
CREATE TABLE IF NOT EXISTS partnerships (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL, account_id TEXT);
CREATE TABLE IF NOT EXISTS partnership_keys (
  id TEXT PRIMARY KEY, partnership_id TEXT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS partnership_keys_partnership ON partnership_keys (partnership_id);
CREATE TABLE IF NOT EXISTS partnership_workshops (
  partnership_id TEXT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE, entry_id TEXT NOT NULL,
  workshop_id TEXT UNIQUE, created_at INTEGER NOT NULL, summary TEXT NOT NULL,
  PRIMARY KEY (partnership_id, entry_id));
CREATE TABLE IF NOT EXISTS since_answers (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  barrier_id TEXT NOT NULL, answer TEXT NOT NULL, PRIMARY KEY (workshop_id, participant_id, barrier_id));`),
};
