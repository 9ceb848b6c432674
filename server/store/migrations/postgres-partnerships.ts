/**
 * The PostgreSQL schema step of partnerships (issue 26), numbered where server/store/migrations/
 * postgres.ts lists it: the same tables as SQLite's (sqlite-partnerships.ts), only adding.
 */
export const POSTGRES_PARTNERSHIPS = {
  what: 'partnerships: series of workshops, their keys and history; "since last time" answers',
  sql: `
CREATE TABLE partnerships (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at BIGINT NOT NULL, account_id TEXT);
CREATE TABLE partnership_keys (
  id TEXT PRIMARY KEY, partnership_id TEXT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL, kind TEXT NOT NULL, created_at BIGINT NOT NULL, revoked BOOLEAN NOT NULL DEFAULT false);
CREATE INDEX partnership_keys_partnership ON partnership_keys (partnership_id);
CREATE TABLE partnership_workshops (
  partnership_id TEXT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE, entry_id TEXT NOT NULL,
  workshop_id TEXT UNIQUE, created_at BIGINT NOT NULL, summary TEXT NOT NULL,
  PRIMARY KEY (partnership_id, entry_id));
CREATE TABLE since_answers (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  barrier_id TEXT NOT NULL, answer TEXT NOT NULL, PRIMARY KEY (workshop_id, participant_id, barrier_id));`,
};
