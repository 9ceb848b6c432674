import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Batch, HiddenNoteRow, KeyRow, LoadedWorkshop, PrivateOp, Store, WorkshopRow } from './store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS workshops (
  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, title TEXT NOT NULL, template TEXT NOT NULL,
  phase TEXT NOT NULL, created_at INTEGER NOT NULL, server_client_id INTEGER NOT NULL,
  closed_at INTEGER, breakdown TEXT);
CREATE TABLE IF NOT EXISTS facilitator_keys (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL, kind TEXT NOT NULL, created_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS doc_updates (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, seq INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (workshop_id, seq));
CREATE TABLE IF NOT EXISTS participants (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  group_name TEXT, PRIMARY KEY (workshop_id, participant_id));
CREATE TABLE IF NOT EXISTS note_authors (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id, participant_id));
CREATE TABLE IF NOT EXISTS hidden_notes (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, bone_id TEXT NOT NULL,
  sub_bone_id TEXT, text TEXT NOT NULL, pick TEXT, PRIMARY KEY (workshop_id, note_id));
CREATE TABLE IF NOT EXISTS moderated_notes (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id));
CREATE TABLE IF NOT EXISTS ballots (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL, note_id TEXT NOT NULL,
  dots INTEGER NOT NULL CHECK (dots > 0), PRIMARY KEY (workshop_id, participant_id, note_id));
CREATE TABLE IF NOT EXISTS note_reviews (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, note_id TEXT NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, note_id));
CREATE TABLE IF NOT EXISTS round_voters (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, participant_id TEXT NOT NULL,
  PRIMARY KEY (workshop_id, participant_id));
CREATE TABLE IF NOT EXISTS undo_steps (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, seq INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (workshop_id, seq));
CREATE TABLE IF NOT EXISTS commands (
  workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE, actor TEXT NOT NULL, command_id TEXT NOT NULL,
  result TEXT NOT NULL, PRIMARY KEY (workshop_id, actor, command_id));
`;

/** Private tables of the facilitator's controls (moderation reviews, round voters, undo): purged at closing. */
const CONTROL_TABLES = ['note_reviews', 'round_voters', 'undo_steps'];

/**
 * Checkpoints copy the WAL back into the database file and fsync it, which can take a hundred
 * milliseconds; run on the main thread they stall every workshop (docs/BENCHMARKS.md). So a
 * worker thread with its own connection checkpoints once a second instead.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

interface Pending {
  workshopId: string;
  batch: Batch;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The embedded default store: one SQLite file in WAL mode. Batches that arrive in the same turn
 * of the event loop are committed together in one transaction (group commit), and every batch is
 * committed before its command is acknowledged.
 */
export class SqliteStore implements Store {
  readonly db: Database.Database;
  #stmts;
  #applyBatch: (workshopId: string, batch: Batch) => void;
  #applyGroup: (group: Pending[]) => void;
  #pending: Pending[] = [];
  #checkpointer: Worker | null = null;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    // WAL + synchronous=NORMAL: a committed transaction survives the process being killed
    // (SIGKILL); only a power cut can lose the last few, which docs/ARCHITECTURE.md records.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    if (file !== ':memory:') this.#startCheckpointer(resolve(file));
    const db = this.db;
    this.#stmts = {
      insertWorkshop: db.prepare(
        'INSERT INTO workshops (id, code, title, template, phase, created_at, server_client_id, closed_at) VALUES (@id, @code, @title, @template, @phase, @createdAt, @serverClientId, @closedAt)',
      ),
      updateWorkshop: db.prepare('UPDATE workshops SET title = ?, phase = ? WHERE id = ?'),
      findByCode: db.prepare('SELECT id FROM workshops WHERE code = ?').pluck(),
      workshop: db.prepare('SELECT * FROM workshops WHERE id = ?'),
      insertKey: db.prepare(
        'INSERT INTO facilitator_keys (id, workshop_id, key_hash, kind, created_at, revoked) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      revokeKey: db.prepare('UPDATE facilitator_keys SET revoked = 1 WHERE workshop_id = ? AND id = ?'),
      keys: db.prepare('SELECT * FROM facilitator_keys WHERE workshop_id = ?'),
      nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM doc_updates WHERE workshop_id = ?').pluck(),
      insertUpdate: db.prepare('INSERT INTO doc_updates (workshop_id, seq, data) VALUES (?, ?, ?)'),
      clearUpdates: db.prepare('DELETE FROM doc_updates WHERE workshop_id = ?'),
      updates: db.prepare('SELECT data FROM doc_updates WHERE workshop_id = ? ORDER BY seq').pluck(),
      insertParticipant: db.prepare('INSERT OR IGNORE INTO participants (workshop_id, participant_id) VALUES (?, ?)'),
      participants: db.prepare('SELECT participant_id AS participantId, group_name AS "group" FROM participants WHERE workshop_id = ?'),
      setGroup: db.prepare('UPDATE participants SET group_name = ? WHERE workshop_id = ? AND participant_id = ?'),
      setBreakdown: db.prepare('UPDATE workshops SET breakdown = ? WHERE id = ?'),
      close: db.prepare('UPDATE workshops SET closed_at = ? WHERE id = ?'),
      putModerated: db.prepare('INSERT OR REPLACE INTO moderated_notes (workshop_id, note_id, data) VALUES (?, ?, ?)'),
      deleteModerated: db.prepare('DELETE FROM moderated_notes WHERE workshop_id = ? AND note_id = ?'),
      moderated: db.prepare('SELECT note_id AS noteId, data AS json FROM moderated_notes WHERE workshop_id = ?'),
      purge: ['note_authors', 'ballots', 'hidden_notes', 'moderated_notes', 'commands', 'participants', ...CONTROL_TABLES].map((t) =>
        db.prepare(`DELETE FROM ${t} WHERE workshop_id = ?`),
      ),
      deleteWorkshop: db.prepare('DELETE FROM workshops WHERE id = ?'),
      closedBefore: db.prepare('SELECT id, code FROM workshops WHERE closed_at IS NOT NULL AND closed_at < ?'),
      insertAuthor: db.prepare('INSERT OR IGNORE INTO note_authors (workshop_id, note_id, participant_id) VALUES (?, ?, ?)'),
      deleteAuthors: db.prepare('DELETE FROM note_authors WHERE workshop_id = ? AND note_id = ?'),
      deleteAuthor: db.prepare('DELETE FROM note_authors WHERE workshop_id = ? AND note_id = ? AND participant_id = ?'),
      authors: db.prepare('SELECT note_id AS noteId, participant_id AS participantId FROM note_authors WHERE workshop_id = ?'),
      putHidden: db.prepare(
        'INSERT OR REPLACE INTO hidden_notes (workshop_id, note_id, bone_id, sub_bone_id, text, pick) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteHidden: db.prepare('DELETE FROM hidden_notes WHERE workshop_id = ? AND note_id = ?'),
      hidden: db.prepare(
        'SELECT note_id AS noteId, bone_id AS boneId, sub_bone_id AS subBoneId, text, pick FROM hidden_notes WHERE workshop_id = ?',
      ),
      setBallot: db.prepare(
        'INSERT INTO ballots (workshop_id, participant_id, note_id, dots) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET dots = excluded.dots',
      ),
      deleteBallot: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND participant_id = ? AND note_id = ?'),
      deleteNoteBallots: db.prepare('DELETE FROM ballots WHERE workshop_id = ? AND note_id = ?'),
      ballots: db.prepare('SELECT participant_id AS participantId, note_id AS noteId, dots FROM ballots WHERE workshop_id = ?'),
      insertCommand: db.prepare('INSERT OR IGNORE INTO commands (workshop_id, actor, command_id, result) VALUES (?, ?, ?, ?)'),
      commands: db.prepare('SELECT actor, command_id AS commandId, result FROM commands WHERE workshop_id = ?'),
      // The facilitator in control: held notes' reviews, who voted this round, undoable steps.
      putReview: db.prepare('INSERT OR REPLACE INTO note_reviews (workshop_id, note_id, data) VALUES (?, ?, ?)'),
      deleteReview: db.prepare('DELETE FROM note_reviews WHERE workshop_id = ? AND note_id = ?'),
      reviews: db.prepare('SELECT note_id AS noteId, data AS json FROM note_reviews WHERE workshop_id = ?'),
      insertVoter: db.prepare('INSERT OR IGNORE INTO round_voters (workshop_id, participant_id) VALUES (?, ?)'),
      clearVoters: db.prepare('DELETE FROM round_voters WHERE workshop_id = ?'),
      clearBallots: db.prepare('DELETE FROM ballots WHERE workshop_id = ?'),
      voters: db.prepare('SELECT participant_id FROM round_voters WHERE workshop_id = ?').pluck(),
      putUndo: db.prepare('INSERT OR REPLACE INTO undo_steps (workshop_id, seq, data) VALUES (?, ?, ?)'),
      deleteUndo: db.prepare('DELETE FROM undo_steps WHERE workshop_id = ? AND seq = ?'),
      undoSteps: db.prepare('SELECT seq, data AS json FROM undo_steps WHERE workshop_id = ? ORDER BY seq'),
    };
    const s = this.#stmts;
    const applyOp = (w: string, op: PrivateOp): void => {
      switch (op.t) {
        case 'participant':
          s.insertParticipant.run(w, op.participantId);
          break;
        case 'group':
          s.setGroup.run(op.group, w, op.participantId);
          break;
        case 'breakdown':
          s.setBreakdown.run(op.json, w);
          break;
        case 'moderated.put':
          s.putModerated.run(w, op.noteId, op.json);
          break;
        case 'moderated.del':
          s.deleteModerated.run(w, op.noteId);
          break;
        case 'purge':
          for (const st of s.purge) st.run(w);
          s.close.run(op.closedAt, w);
          break;
        case 'author':
          s.insertAuthor.run(w, op.noteId, op.participantId);
          break;
        case 'unauthor':
          s.deleteAuthors.run(w, op.noteId);
          break;
        case 'author.del':
          s.deleteAuthor.run(w, op.noteId, op.participantId);
          break;
        case 'hidden.put':
          s.putHidden.run(w, op.row.noteId, op.row.boneId, op.row.subBoneId, op.row.text, op.row.pick);
          break;
        case 'hidden.del':
          s.deleteHidden.run(w, op.noteId);
          break;
        case 'ballot':
          if (op.dots > 0) s.setBallot.run(w, op.participantId, op.noteId, op.dots);
          else s.deleteBallot.run(w, op.participantId, op.noteId);
          break;
        case 'ballot.clearNote':
          s.deleteNoteBallots.run(w, op.noteId);
          break;
        case 'command':
          s.insertCommand.run(w, op.actor, op.commandId, op.result);
          break;
        case 'key.add':
          s.insertKey.run(op.row.id, w, op.row.keyHash, op.row.kind, op.row.createdAt, op.row.revoked ? 1 : 0);
          break;
        case 'key.revoke':
          s.revokeKey.run(w, op.id);
          break;
        // --- The facilitator in control ---
        case 'review.put':
          s.putReview.run(w, op.noteId, op.json);
          break;
        case 'review.del':
          s.deleteReview.run(w, op.noteId);
          break;
        case 'voted':
          s.insertVoter.run(w, op.participantId);
          break;
        case 'round.reset':
          s.clearBallots.run(w);
          s.clearVoters.run(w);
          break;
        case 'undo.put':
          s.putUndo.run(w, op.seq, op.json);
          break;
        case 'undo.del':
          s.deleteUndo.run(w, op.seq);
          break;
      }
    };
    this.#applyBatch = db.transaction((w: string, batch: Batch) => {
      if (batch.docSnapshot) {
        s.clearUpdates.run(w);
        s.insertUpdate.run(w, 1, batch.docSnapshot);
      } else if (batch.docUpdate) {
        s.insertUpdate.run(w, s.nextSeq.get(w), batch.docUpdate);
      }
      for (const op of batch.ops) applyOp(w, op);
      if (batch.row) s.updateWorkshop.run(batch.row.title, batch.row.phase, w);
    });
    this.#applyGroup = db.transaction((group: Pending[]) => {
      for (const p of group) this.#applyBatch(p.workshopId, p.batch);
    });
  }

  #startCheckpointer(file: string): void {
    try {
      const module = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, module, everyMs: 1000 } });
      worker.unref();
      worker.on('error', () => this.db.pragma('wal_autocheckpoint = 1000'));
      this.db.pragma('wal_autocheckpoint = 0');
      this.#checkpointer = worker;
    } catch {
      // Without the worker SQLite checkpoints on this thread, as it does by default.
    }
  }

  #flush(): void {
    const group = this.#pending;
    this.#pending = [];
    try {
      this.#applyGroup(group);
      for (const p of group) p.resolve();
    } catch {
      // One bad batch must not fail its neighbours: commit them one by one.
      for (const p of group) {
        try {
          this.#applyBatch(p.workshopId, p.batch);
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }

  async createWorkshop(row: WorkshopRow, ownerKey: KeyRow, initialState: Uint8Array): Promise<void> {
    this.db.transaction(() => {
      this.#stmts.insertWorkshop.run(row);
      this.#stmts.insertKey.run(ownerKey.id, row.id, ownerKey.keyHash, ownerKey.kind, ownerKey.createdAt, 0);
      this.#stmts.insertUpdate.run(row.id, 1, initialState);
    })();
  }

  async findIdByCode(code: string): Promise<string | null> {
    return (this.#stmts.findByCode.get(code) as string | undefined) ?? null;
  }

  async codeExists(code: string): Promise<boolean> {
    return this.#stmts.findByCode.get(code) !== undefined;
  }

  async load(workshopId: string): Promise<LoadedWorkshop | null> {
    const s = this.#stmts;
    const r = s.workshop.get(workshopId) as Record<string, string & number> | undefined;
    if (!r) return null;
    const row: WorkshopRow = {
      id: r.id,
      code: r.code,
      title: r.title,
      template: r.template,
      phase: r.phase,
      createdAt: r.created_at,
      serverClientId: r.server_client_id,
      closedAt: r.closed_at ?? null,
    };
    const keys = (s.keys.all(workshopId) as Array<Record<string, string & number>>).map((k): KeyRow => ({
      id: k.id,
      keyHash: k.key_hash,
      kind: k.kind as KeyRow['kind'],
      createdAt: k.created_at,
      revoked: k.revoked === 1,
    }));
    const ops: PrivateOp[] = [];
    for (const k of keys) ops.push({ t: 'key.add', row: k });
    for (const p of s.participants.all(workshopId) as Array<{ participantId: string; group: string | null }>) {
      ops.push({ t: 'participant', participantId: p.participantId });
      if (p.group !== null) ops.push({ t: 'group', participantId: p.participantId, group: p.group });
    }
    for (const a of s.authors.all(workshopId) as Array<{ noteId: string; participantId: string }>) ops.push({ t: 'author', ...a });
    for (const h of s.hidden.all(workshopId) as Array<HiddenNoteRow>) ops.push({ t: 'hidden.put', row: h });
    for (const m of s.moderated.all(workshopId) as Array<{ noteId: string; json: string }>) ops.push({ t: 'moderated.put', ...m });
    for (const b of s.ballots.all(workshopId) as Array<{ participantId: string; noteId: string; dots: number }>)
      ops.push({ t: 'ballot', ...b });
    for (const c of s.commands.all(workshopId) as Array<{ actor: string; commandId: string; result: string }>)
      ops.push({ t: 'command', ...c });
    if (r.breakdown) ops.push({ t: 'breakdown', json: r.breakdown });
    for (const v of s.reviews.all(workshopId) as Array<{ noteId: string; json: string }>) ops.push({ t: 'review.put', ...v });
    for (const pid of s.voters.all(workshopId) as string[]) ops.push({ t: 'voted', participantId: pid });
    for (const u of s.undoSteps.all(workshopId) as Array<{ seq: number; json: string }>) ops.push({ t: 'undo.put', ...u });
    return { row, updates: (s.updates.all(workshopId) as Buffer[]).map((b) => new Uint8Array(b)), ops };
  }

  commit(workshopId: string, batch: Batch): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#pending.push({ workshopId, batch, resolve, reject }) === 1) setImmediate(() => this.#flush());
    });
  }

  async deleteWorkshop(workshopId: string): Promise<void> {
    // Every private table references workshops(id) ON DELETE CASCADE.
    this.#stmts.deleteWorkshop.run(workshopId);
  }

  async closedBefore(time: number): Promise<Array<{ id: string; code: string }>> {
    return this.#stmts.closedBefore.all(time) as Array<{ id: string; code: string }>;
  }

  async close(): Promise<void> {
    if (this.#pending.length) this.#flush();
    if (this.#checkpointer) {
      const worker = this.#checkpointer;
      await new Promise<void>((done) => {
        worker.once('exit', () => done());
        worker.postMessage('stop');
      });
    }
    this.db.close();
  }
}
