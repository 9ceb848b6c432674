import type pg from 'pg';
import { log } from '../log/logger.ts';
import { PURGED } from './postgres-ops.ts';

export interface ForgetOptions {
  /** How soon after a workshop's private rows are deleted the tables are rewritten. */
  delayMs?: number;
  /** At most one rewrite this often (each table is locked while it is rewritten). */
  minIntervalMs?: number;
  /** A table that cannot be locked within this is left for the next sweep (never queue behind a long transaction). */
  lockTimeoutMs?: number;
}

const DEFAULTS: Required<ForgetOptions> = { delayMs: 30_000, minIntervalMs: 300_000, lockTimeoutMs: 250 };
/** One node of a deployment sweeps at a time. */
const SWEEP_LOCK = 'fishbone-forget';

export interface SweepReport {
  /** Milliseconds each table's rewrite took (its lock was held that long), by table. */
  tables: Record<string, number>;
  /** Tables that could not be locked in time: swept next time. */
  skipped: string[];
  /**
   * Tables whose rewrite had to keep deleted rows (a transaction open somewhere could still see
   * them, as PostgreSQL reports): swept again next time.
   */
  kept: string[];
}

/**
 * Forgetting the bytes on PostgreSQL (issue 25): a DELETE leaves a closed workshop's private rows
 * in the table's pages (dead, then free space VACUUM does not zero) and its indexes. After a
 * close or a delete, the private tables are rewritten with VACUUM FULL: a new file of the live
 * rows only, new indexes, and the old files unlinked. The private tables hold only open
 * workshops' rows (a close empties them of that workshop), so a rewrite is short; each table is
 * locked only while it is rewritten, only if the lock comes within `lockTimeoutMs`, and sweeps
 * are debounced (`delayMs`) and spaced (`minIntervalMs`). What still holds the bytes after a sweep,
 * and for how long, is in docs/THREAT-MODEL.md.
 */
export class PostgresForgetting {
  readonly #o: Required<ForgetOptions>;
  #timer: NodeJS.Timeout | null = null;
  #lastSweep = 0;
  /**
   * Sweeps still owed. A rewrite keeps a deleted row that a transaction open at that moment
   * could still see (PostgreSQL's horizon; a connection just starting elsewhere can hold it back
   * for a moment), so every deletion is swept twice, a sweep's interval apart.
   */
  #owed = 0;
  #sweeping: Promise<SweepReport> | null = null;
  #closed = false;

  constructor(
    private readonly pool: pg.Pool,
    options: ForgetOptions = {},
  ) {
    this.#o = { ...DEFAULTS, ...options };
  }

  /** A workshop's private rows were deleted: sweep soon. */
  dirty(): void {
    this.#owed = 2;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer || this.#closed || this.#owed === 0) return;
    const wait = Math.max(this.#o.delayMs, this.#lastSweep + this.#o.minIntervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      const owed = this.#owed;
      void this.sweep().then((r) => {
        // A table skipped (its lock did not come in time) keeps the debt as it was.
        if (!r.skipped.length && !r.kept.length) this.#owed = Math.max(0, Math.min(this.#owed, owed) - 1);
        this.#schedule();
      });
    }, wait);
    this.#timer.unref();
  }

  /** Rewrite every private table now (one node at a time); reports what each rewrite took. */
  sweep(): Promise<SweepReport> {
    this.#sweeping ??= this.#sweep().finally(() => (this.#sweeping = null));
    return this.#sweeping;
  }

  async #sweep(): Promise<SweepReport> {
    const report: SweepReport = { tables: {}, skipped: [], kept: [] };
    this.#lastSweep = Date.now();
    let c: pg.PoolClient;
    try {
      c = await this.pool.connect();
    } catch (err) {
      log.warn({ err }, 'forgetting sweep: no database');
      return { tables: {}, skipped: [...PURGED], kept: [] };
    }
    try {
      const got = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [SWEEP_LOCK]);
      if (!got.rows[0].ok) return { tables: {}, skipped: [...PURGED], kept: [] };
      try {
        await c.query(`SET lock_timeout = ${Math.floor(this.#o.lockTimeoutMs)}`);
        // VERBOSE says how many deleted rows the rewrite had to keep ("N dead row versions cannot
        // be removed yet"): a transaction open somewhere could still see them.
        let keptRows = 0;
        const onNotice = (n: { message?: string; detail?: string }) => {
          const m = /([0-9]+) dead row versions cannot be removed yet/.exec(`${n.message ?? ''} ${n.detail ?? ''}`);
          if (m) keptRows += Number(m[1]);
        };
        c.on('notice', onNotice);
        try {
          for (const table of PURGED) {
            const t0 = performance.now();
            keptRows = 0;
            try {
              await c.query(`VACUUM (FULL, VERBOSE) ${table}`);
              report.tables[table] = Math.round((performance.now() - t0) * 10) / 10;
              if (keptRows > 0) report.kept.push(table);
            } catch (err) {
              if ((err as { code?: string }).code !== '55P03') throw err;
              report.skipped.push(table);
            }
          }
        } finally {
          c.removeListener('notice', onNotice);
        }
      } finally {
        await c.query('RESET lock_timeout').catch(() => undefined);
        await c.query('SELECT pg_advisory_unlock(hashtext($1))', [SWEEP_LOCK]).catch(() => undefined);
      }
      log.info({ tables: report.tables, skipped: report.skipped, kept: report.kept }, 'forgetting sweep');
    } catch (err) {
      log.warn({ err }, 'forgetting sweep failed');
      report.skipped = PURGED.filter((t) => !(t in report.tables));
    } finally {
      c.release();
    }
    return report;
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
