import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { migrateSqlite } from './migrations/sqlite.ts';
import { rowOf, selectSql, writeSql } from './private-sql.ts';
import { PRIVATE_TABLES, writesOf } from './private-tables.ts';
import { SqlitePartnerships } from './sqlite-partnerships.ts';
import type { Batch, KeyRow, LoadedWorkshop, PrivateOp, Store, WorkshopRow } from './store.ts';
import { log } from '../log/logger.ts';

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
  readonly #byText = new Map<string, Database.Statement>();
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
      nextSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) + 1 FROM doc_updates WHERE workshop_id = ?').pluck(),
      insertUpdate: db.prepare('INSERT INTO doc_updates (workshop_id, seq, data) VALUES (?, ?, ?)'),
      clearUpdates: db.prepare('DELETE FROM doc_updates WHERE workshop_id = ?'),
      updates: db.prepare('SELECT data FROM doc_updates WHERE workshop_id = ? ORDER BY seq').pluck(),
      deleteWorkshop: db.prepare('DELETE FROM workshops WHERE id = ?'),
      closedBefore: db.prepare('SELECT id, code FROM workshops WHERE closed_at IS NOT NULL AND closed_at < ?'),
    };
    this.partnerships = new SqlitePartnerships(db);
    const s = this.#stmts;
    // The private ops, as private-tables.ts defines them: each statement prepared once, by its text.
    const applyOp = (w: string, op: PrivateOp): void => {
      for (const write of writesOf(op)) {
        const { text, values } = writeSql('sqlite', w, write);
        this.#prepared(text).run(...values);
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

  /** A statement of private-sql.ts's, prepared the first time its text is run. */
  #prepared(text: string): Database.Statement {
    let statement = this.#byText.get(text);
    if (!statement) this.#byText.set(text, (statement = this.db.prepare(text)));
    return statement;
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
    // Each private table's rows, replayed as the ops that wrote them (private-tables.ts).
    const ops: PrivateOp[] = [];
    for (const t of PRIVATE_TABLES)
      if (t.load)
        for (const raw of this.#prepared(selectSql('sqlite', t)).all(workshopId) as Array<Record<string, unknown>>)
          ops.push(...t.load(rowOf(t, raw)));
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
