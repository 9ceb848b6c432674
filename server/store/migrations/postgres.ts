import type pg from 'pg';
import { log } from '../../log/logger.ts';
import { POSTGRES_PARTNERSHIPS } from './postgres-partnerships.ts';

/**
 * The PostgreSQL schema as numbered steps, recorded in `schema_version`. The same tables as the
 * SQLite store (server/store/migrations/sqlite.ts), with PostgreSQL's types, plus the ownership
 * leases that only several nodes need. Every node runs this at start: the first one to take the
 * lock migrates, the others then find nothing to do. A new step goes at the end and only adds
 * (tables, nullable columns), so nodes of the previous release keep running during a rolling
 * deploy; a step that has shipped is never edited.
 */
interface Step {
  version: number;
  what: string;
  sql: string;
}

export const POSTGRES_STEPS: Step[] = [
  {
    version: 1,
    what: 'workshops, keys, document updates and the private tables',
    sql: `
CREATE TABLE workshops (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL, template TEXT NOT NULL,
  phase TEXT NOT NULL, created_at BIGINT NOT NULL, server_client_id BIGINT NOT NULL,
  closed_at BIGINT, breakdown TEXT);
CREATE TABLE facilitator_keys (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL, kind TEXT NOT NULL, created_at BIGINT NOT NULL, revoked BOOLEAN NOT NULL DEFAULT false);
CREATE INDEX facilitator_keys_workshop ON facilitator_keys (workshop_id);
CREATE TABLE doc_updates (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, seq BIGINT NOT NULL, data BYTEA NOT NULL,
  PRIMARY KEY (workshop_id, seq));
CREATE TABLE participants (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  group_name TEXT, PRIMARY KEY (workshop_id, participant_id));
CREATE TABLE note_authors (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id, participant_id));
CREATE TABLE hidden_notes (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, bone_id TEXT NOT NULL,
  sub_bone_id TEXT, text TEXT NOT NULL, pick TEXT, PRIMARY KEY (workshop_id, note_id));
CREATE TABLE moderated_notes (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id));
CREATE TABLE ballots (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, note_id TEXT NOT NULL,
  dots INTEGER NOT NULL CHECK (dots > 0), PRIMARY KEY (workshop_id, participant_id, note_id));
CREATE TABLE commands (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, actor TEXT NOT NULL, command_id TEXT NOT NULL,
  result TEXT NOT NULL, PRIMARY KEY (workshop_id, actor, command_id));
CREATE INDEX workshops_closed ON workshops (closed_at) WHERE closed_at IS NOT NULL;`,
  },
  {
    version: 2,
    what: 'ownership leases: which node holds a workshop, until when (database clock), and the epoch that fences its writes',
    sql: `
CREATE TABLE leases (
  workshop_id TEXT PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE, node_id TEXT NOT NULL,
  node_url TEXT NOT NULL, epoch BIGINT NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
CREATE INDEX leases_node ON leases (node_id);`,
  },
  {
    version: 3,
    what: 'the hybrid day: who has finished, action proposals from phones, control answers',
    sql: `
CREATE TABLE finished (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, phase TEXT NOT NULL,
  PRIMARY KEY (workshop_id, participant_id, phase));
CREATE TABLE proposals (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, proposal_id TEXT NOT NULL,
  participant_id TEXT NOT NULL, text TEXT NOT NULL, state TEXT NOT NULL, ord INTEGER NOT NULL,
  PRIMARY KEY (workshop_id, proposal_id));
CREATE TABLE control_answers (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, note_id TEXT NOT NULL,
  answer TEXT NOT NULL, PRIMARY KEY (workshop_id, participant_id, note_id));`,
  },
  {
    version: 4,
    what: "the facilitator's controls: held notes' reviews, who voted this round, undoable steps",
    sql: `
CREATE TABLE note_reviews (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id));
CREATE TABLE round_voters (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, participant_id));
CREATE TABLE undo_steps (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, seq INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, seq));`,
  },
  {
    version: 5,
    what: "facilitators' sign-in (server/auth/): accounts, sessions, and which workshops each account created",
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY, issuer TEXT NOT NULL, subject TEXT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (issuer, subject));
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL, email TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE TABLE account_workshops (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, created_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, workshop_id));
CREATE INDEX account_workshops_workshop ON account_workshops (workshop_id);`,
  },
  { version: 6, ...POSTGRES_PARTNERSHIPS },
];

export const POSTGRES_SCHEMA_VERSION = POSTGRES_STEPS[POSTGRES_STEPS.length - 1].version;

/** Any fixed number: the lock only keeps two starting nodes from migrating at once. */
const MIGRATION_LOCK = 0x46697368;

/** Create or migrate the tables, as the database's owner (no superuser needed). Returns the version. */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const found = await client.query<{ version: number }>('SELECT version FROM schema_version');
    const from = found.rows[0]?.version ?? 0;
    if (from > POSTGRES_SCHEMA_VERSION) {
      log.warn(
        { schema: from, known: POSTGRES_SCHEMA_VERSION },
        'the database schema is newer than this server knows; steps only add, so running on',
      );
      await client.query('COMMIT');
      return from;
    }
    for (const step of POSTGRES_STEPS) if (step.version > from) await client.query(step.sql);
    await client.query('DELETE FROM schema_version');
    await client.query('INSERT INTO schema_version (version) VALUES ($1)', [Math.max(from, POSTGRES_SCHEMA_VERSION)]);
    await client.query('COMMIT');
    return POSTGRES_SCHEMA_VERSION;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
