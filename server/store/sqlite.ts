import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ControlTag, FinishingPhase } from '../../shared/limits.ts';
import { migrateSqlite } from './migrations/sqlite.ts';
import type { ChangeAnswer } from '../../shared/partnership/series.ts';
import { SqlitePartnerships } from './sqlite-partnerships.ts';
import type { Batch, HiddenNoteRow, KeyRow, LoadedWorkshop, PrivateOp, ProposalRow, Store, WorkshopRow } from './store.ts';
import { log } from '../log/logger.ts';

/** Private tables of the facilitator's controls (moderation reviews, round voters, undo), and a partnership's "since last time" answers: purged at closing. */
const CONTROL_TABLES = ['note_reviews', 'round_voters', 'undo_steps', 'since_answers'];

/**
 * Checkpoints copy the WAL back into the database file and fsync it, which can take a hundred
 * milliseconds; run on the main thread they stall every workshop (docs/BENCHMARKS.md). So a
 * worker thread with its own connection checkpoints once a second instead.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
const walSize = () => { try { return statSync(workerData.file + '-wal').size; } catch { return 0; } };
// PASSIVE never waits for anyone; a WAL grown past its limit (a burst of writes while a reader
// held it) is truncated once it can be.
const timer = setInterval(() => {
  try { db.pragma(walSize() > workerData.walLimit ? 'wal_checkpoint(TRUNCATE)' : 'wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** The WAL is cut back to this whenever it is reset (and by the checkpointer past it). */
export const WAL_LIMIT_BYTES = 32 * 1024 * 1024;

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
  #applyBatch: Database.Transaction<(workshopId: string, batch: Batch) => void>;
  #applyGroup: Database.Transaction<(group: Pending[]) => void>;
  #pending: Pending[] = [];
  #checkpointer: Worker | null = null;
  readonly partnerships: SqlitePartnerships;

  readonly #walLimit: number;

  /** `secureDelete: false` only for measuring what it costs (bench/experiments/forgetting-cost.ts). */
  constructor(file: string, opts: { walLimitBytes?: number; secureDelete?: boolean } = {}) {
    this.#walLimit = opts.walLimitBytes ?? WAL_LIMIT_BYTES;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    // WAL + synchronous=NORMAL: a committed transaction survives the process being killed
    // (SIGKILL); only a power cut can lose the last few, which docs/ARCHITECTURE.md records.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // Forgetting means the bytes: deleted rows are overwritten with zeros, not left in free
    // pages for a later reader of the file (docs/THREAT-MODEL.md). And the WAL is cut back to
    // this size whenever it is reset, so it cannot grow without bound.
    this.db.pragma(`secure_delete = ${opts.secureDelete === false ? 'OFF' : 'ON'}`);
    this.db.pragma(`journal_size_limit = ${this.#walLimit}`);
    // A damaged file is found now, not by every request failing while health says ok.
    const check = this.db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} is damaged (quick_check: ${String(check)}); restore it from a backup`);
    migrateSqlite(this.db);
    if (file !== ':memory:') this.#startCheckpointer(resolve(file));
    const db = this.db;
    this.#stmts = {
      insertWorkshop: db.prepare(
        'INSERT INTO workshops (id, code, title, template, phase, created_at, server_client_id, closed_at) VALUES (@id, @code, @title, @template, @phase, @createdAt, @serverClientId, @closedAt)',
      ),
      updateWorkshop: db.prepare('UPDATE workshops SET title = ?, phase = ? WHERE id = ?'),
      findByCode: db.prepare('SELECT id FROM workshops WHERE code = ?').pluck(),
      health: db.prepare('SELECT COUNT(*) FROM (SELECT 1 FROM workshops LIMIT 1)').pluck(),
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
      // the hybrid day (issue 13)
      purgeHybrid: ['finished', 'proposals', 'control_answers'].map((t) => db.prepare(`DELETE FROM ${t} WHERE workshop_id = ?`)),
      setFinished: db.prepare('INSERT OR IGNORE INTO finished (workshop_id, participant_id, phase) VALUES (?, ?, ?)'),
      deleteFinished: db.prepare('DELETE FROM finished WHERE workshop_id = ? AND participant_id = ? AND phase = ?'),
      resetFinished: db.prepare('DELETE FROM finished WHERE workshop_id = ? AND phase = ?'),
      finished: db.prepare('SELECT participant_id AS participantId, phase FROM finished WHERE workshop_id = ?'),
      putProposal: db.prepare(
        'INSERT OR REPLACE INTO proposals (workshop_id, proposal_id, participant_id, text, state, ord) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteProposal: db.prepare('DELETE FROM proposals WHERE workshop_id = ? AND proposal_id = ?'),
      proposals: db.prepare(
        'SELECT proposal_id AS id, participant_id AS participantId, text, state, ord AS "order" FROM proposals WHERE workshop_id = ?',
      ),
      setAnswer: db.prepare(
        'INSERT INTO control_answers (workshop_id, participant_id, note_id, answer) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET answer = excluded.answer',
      ),
      deleteAnswer: db.prepare('DELETE FROM control_answers WHERE workshop_id = ? AND participant_id = ? AND note_id = ?'),
      answers: db.prepare('SELECT participant_id AS participantId, note_id AS noteId, answer FROM control_answers WHERE workshop_id = ?'),
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
      // A partnership (issue 26)
      setSince: db.prepare(
        'INSERT INTO since_answers (workshop_id, participant_id, barrier_id, answer) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET answer = excluded.answer',
      ),
      deleteSince: db.prepare('DELETE FROM since_answers WHERE workshop_id = ? AND participant_id = ? AND barrier_id = ?'),
      since: db.prepare('SELECT participant_id AS participantId, barrier_id AS barrierId, answer FROM since_answers WHERE workshop_id = ?'),
      setSummary: db.prepare('UPDATE partnership_workshops SET summary = ? WHERE workshop_id = ?'),
    };
    this.partnerships = new SqlitePartnerships(db);
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
          for (const st of s.purgeHybrid) st.run(w);
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
        // the hybrid day (issue 13)
        case 'finished':
          if (op.finished) s.setFinished.run(w, op.participantId, op.phase);
          else s.deleteFinished.run(w, op.participantId, op.phase);
          break;
        case 'finished.reset':
          s.resetFinished.run(w, op.phase);
          break;
        case 'proposal.put':
          s.putProposal.run(w, op.row.id, op.row.participantId, op.row.text, op.row.state, op.row.order);
          break;
        case 'proposal.del':
          s.deleteProposal.run(w, op.proposalId);
          break;
        case 'answer':
          if (op.answer) s.setAnswer.run(w, op.participantId, op.noteId, op.answer);
          else s.deleteAnswer.run(w, op.participantId, op.noteId);
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
        // A partnership (issue 26)
        case 'since.answer':
          if (op.answer) s.setSince.run(w, op.participantId, op.barrierId, op.answer);
          else s.deleteSince.run(w, op.participantId, op.barrierId);
          break;
        case 'partnership.summary':
          s.setSummary.run(op.json, w);
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
      const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, module, everyMs: 1000, walLimit: this.#walLimit } });
      worker.unref();
      worker.on('error', () => {
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
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
      // IMMEDIATE: take the write lock first, waiting for it, rather than upgrade a read to a
      // write, which fails at once while the checkpointer truncates the WAL.
      this.#applyGroup.immediate(group);
      // A closing's purge is not forgotten until the WAL's old frames are gone too: truncate
      // before anyone hears it is done, so a crash straight after leaves nothing to read.
      if (group.some((p) => p.batch.ops.some((op) => op.t === 'purge'))) this.#forgetInWal();
      for (const p of group) p.resolve();
    } catch {
      // One bad batch must not fail its neighbours: commit them one by one.
      for (const p of group) {
        try {
          this.#applyBatch.immediate(p.workshopId, p.batch);
          if (p.batch.ops.some((op) => op.t === 'purge')) this.#forgetInWal();
          p.resolve();
        } catch (err) {
          p.reject(err);
        }
      }
    }
  }

  /**
   * Copy the WAL into the file (where secure_delete has zeroed what was deleted) and truncate it
   * to nothing, so no earlier frame still holds a deleted row.
   */
  #forgetInWal(): void {
    for (let i = 0; i < 5; i++) {
      const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      if (!r || r.busy === 0) return;
    }
    log.warn('the WAL could not be truncated after a purge; it will be at the next checkpoint');
  }

  async createWorkshop(row: WorkshopRow, ownerKey: KeyRow, initialState: Uint8Array): Promise<void> {
    this.db
      .transaction(() => {
        this.#stmts.insertWorkshop.run(row);
        this.#stmts.insertKey.run(ownerKey.id, row.id, ownerKey.keyHash, ownerKey.kind, ownerKey.createdAt, 0);
        this.#stmts.insertUpdate.run(row.id, 1, initialState);
      })
      .immediate();
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
    // the hybrid day (issue 13)
    for (const f of s.finished.all(workshopId) as Array<{ participantId: string; phase: FinishingPhase }>)
      ops.push({ t: 'finished', ...f, finished: true });
    for (const row of s.proposals.all(workshopId) as ProposalRow[]) ops.push({ t: 'proposal.put', row });
    for (const a of s.answers.all(workshopId) as Array<{ participantId: string; noteId: string; answer: ControlTag }>)
      ops.push({ t: 'answer', ...a });
    for (const v of s.reviews.all(workshopId) as Array<{ noteId: string; json: string }>) ops.push({ t: 'review.put', ...v });
    for (const pid of s.voters.all(workshopId) as string[]) ops.push({ t: 'voted', participantId: pid });
    for (const u of s.undoSteps.all(workshopId) as Array<{ seq: number; json: string }>) ops.push({ t: 'undo.put', ...u });
    for (const a of s.since.all(workshopId) as Array<{ participantId: string; barrierId: string; answer: ChangeAnswer }>)
      ops.push({ t: 'since.answer', ...a });
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
    this.#forgetInWal();
  }

  async closedBefore(time: number): Promise<Array<{ id: string; code: string }>> {
    return this.#stmts.closedBefore.all(time) as Array<{ id: string; code: string }>;
  }

  async health(): Promise<void> {
    this.#stmts.health.get();
  }

  async close(): Promise<void> {
    if (this.#pending.length) this.#flush();
    if (this.#checkpointer) {
      const worker = this.#checkpointer;
      await new Promise<void>((done) => {
        worker.once('exit', () => done());
        // Unref'd so it never keeps the process up; while it stops, it must.
        worker.ref();
        worker.postMessage('stop');
      });
    }
    this.db.close();
  }
}
