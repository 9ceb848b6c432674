import pg from 'pg';
import { migratePostgres } from './migrations/postgres.ts';
import { PostgresForgetting, type ForgetOptions } from './postgres-forget.ts';
import { batchStatements } from './postgres-ops.ts';
import { rowOf, selectSql } from './private-sql.ts';
import { PRIVATE_TABLES } from './private-tables.ts';
import { PostgresPartnerships } from './postgres-partnerships.ts';
import type { Batch, KeyRow, LoadedWorkshop, PrivateOp, Store, WorkshopRow } from './store.ts';
import { log } from '../log/logger.ts';

/**
 * Who may write a workshop: this node, under the epoch of the lease it holds (server/cluster/
 * lease.ts). Set on a store shared by several nodes; every commit checks it in its transaction.
 */
export interface Fence {
  nodeId: string;
  /** How long a lease lasts: a transaction of this node's never holds its lease rows locked for long. */
  leaseMs: number;
  /** The epoch this node holds the workshop under, or null if it does not (or no longer surely) hold it. */
  epochOf(workshopId: string): number | null;
}

/** The commit was refused because another node owns the workshop now: nothing was written. */
export class LeaseLost extends Error {
  constructor(workshopId: string) {
    super(`lease of workshop ${workshopId} is no longer held by this node`);
  }
}

interface Pending {
  workshopId: string;
  batch: Batch;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The writer's connection: see #connectWriter. */
export const writerConfig = (url: string, fence: Fence | null): pg.ClientConfig => ({
  connectionString: url,
  connectionTimeoutMillis: 5000,
  pipeline: true,
  application_name: fence ? `fishbone ${fence.nodeId} writer` : 'fishbone writer',
  ...(fence ? { idle_in_transaction_session_timeout: Math.max(100, Math.floor(fence.leaseMs / 4)) } : {}),
});

/** A SQL error from the server (it has a SQLSTATE): the connection itself is still good. */
const isStatementError = (err: unknown): boolean =>
  typeof (err as { code?: unknown })?.code === 'string' && /^[0-9A-Z]{5}$/.test((err as { code: string }).code);

/**
 * The store for several nodes: the same tables as SQLite in PostgreSQL. Reads go through a pool;
 * writes go through one dedicated connection, one transaction per group of batches (every batch
 * that arrived while the previous transaction ran), each batch committed before its command is
 * acknowledged. With a fence, each transaction first locks this node's lease rows of the
 * workshops it writes and leaves out every batch whose epoch is no longer this node's.
 */
export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  readonly partnerships: PostgresPartnerships;
  /** Given at open by a node of several (server/cluster/cluster.ts); a test may put another in its place. */
  fence: Fence | null;
  /** Rewrites the private tables after a close or a delete, so their bytes go too. */
  readonly forgetting: PostgresForgetting;
  readonly #url: string;
  #writer: pg.Client | null = null;
  #pending: Pending[] = [];
  #flushing = false;
  #closed = false;

  private constructor(url: string, poolSize: number, fence: Fence | null, forget?: ForgetOptions) {
    this.#url = url;
    this.fence = fence;
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
    this.forgetting = new PostgresForgetting(this.pool, forget);
    this.partnerships = new PostgresPartnerships(this.pool);
    // An idle connection the server dropped (a restart): the pool replaces it; nothing to do here.
    this.pool.on('error', (err) => log.warn({ err }, 'postgres pool: a connection failed'));
  }

  /** Connect and create or migrate the tables. */
  static async open(url: string, opts: { poolSize?: number; fence?: Fence; forget?: ForgetOptions } = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, opts.poolSize ?? 8, opts.fence ?? null, opts.forget);
    try {
      await migratePostgres(store.pool);
    } catch (err) {
      await store.pool.end();
      throw err;
    }
    return store;
  }

  async #connectWriter(): Promise<pg.Client> {
    if (this.#writer) return this.#writer;
    // With a fence, a transaction holds this node's lease rows (FOR SHARE) until it ends: if the
    // node is paused between its two round trips, PostgreSQL ends the session after a fraction
    // of a lease, so another node's takeover waits that long at most, not the whole pause (issue
    // 25: 63 s for a 60 s pause). Whatever the paused node sends after is refused by the epoch.
    const client = new pg.Client(writerConfig(this.#url, this.fence));
    client.on('error', (err) => {
      log.error({ err }, 'postgres writer: the connection failed');
      if (this.#writer === client) this.#writer = null;
    });
    await client.connect();
    this.#writer = client;
    return client;
  }

  commit(workshopId: string, batch: Batch): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('store closed'));
    return new Promise((resolve, reject) => {
      this.#pending.push({ workshopId, batch, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        // Batches of the same turn of the event loop go together.
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#pending.length) {
      const group = this.#pending;
      this.#pending = [];
      let client: pg.Client;
      try {
        client = await this.#connectWriter();
      } catch (err) {
        for (const p of group) p.reject(err);
        continue;
      }
      try {
        await this.#transaction(client, group);
      } catch (err) {
        if (!isStatementError(err) || group.length === 1) {
          // The connection failed (or the one batch did): whether it committed is unknown, which
          // the workshop answers as retryable. The connection is started afresh next time.
          if (!isStatementError(err)) this.#dropWriter(client);
          for (const p of group) p.reject(err);
          continue;
        }
        // One bad batch must not fail its neighbours: each on its own.
        for (const p of group) await this.#transaction(client, [p]).catch((e: unknown) => p.reject(e));
      }
    }
    this.#flushing = false;
  }

  #dropWriter(client: pg.Client): void {
    if (this.#writer === client) this.#writer = null;
    client.end().catch(() => undefined);
  }

  /**
   * One transaction for a group; resolves each batch written, rejects each one fenced out.
   * The writer pipelines: BEGIN and the fence check go out together, then every statement and
   * the COMMIT together, so a group costs two round trips however many statements it has.
   */
  async #transaction(client: pg.Client, group: Pending[]): Promise<void> {
    const fenced = new Set<string>();
    const settle = async (queries: Array<Promise<unknown>>) => {
      const results = await Promise.allSettled(queries);
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) {
        // After a failed statement PostgreSQL ends the transaction at COMMIT as a rollback; make sure.
        await client.query('ROLLBACK').catch(() => undefined);
        throw (failed as PromiseRejectedResult).reason;
      }
      return results as Array<PromiseFulfilledResult<unknown>>;
    };
    const begin = client.query('BEGIN');
    if (this.fence) {
      const ids = [...new Set(group.map((p) => p.workshopId))];
      const check = client.query<{ workshop_id: string; epoch: string }>({
        name: 'fence',
        text: 'SELECT workshop_id, epoch FROM leases WHERE node_id = $1 AND workshop_id = ANY($2::text[]) FOR SHARE',
        values: [this.fence.nodeId, ids],
      });
      const [, held] = await settle([begin, check]);
      const rows = (held.value as pg.QueryResult<{ workshop_id: string; epoch: string }>).rows;
      const epochs = new Map(rows.map((r) => [r.workshop_id, Number(r.epoch)]));
      for (const id of ids) {
        const mine = this.fence.epochOf(id);
        if (mine === null || epochs.get(id) !== mine) fenced.add(id);
      }
    } else await settle([begin]);
    const writes: Array<Promise<unknown>> = [];
    for (const p of group)
      if (!fenced.has(p.workshopId)) for (const st of batchStatements(p.workshopId, p.batch)) writes.push(client.query(st));
    await settle([...writes, client.query('COMMIT')]);
    for (const p of group) {
      if (fenced.has(p.workshopId)) p.reject(new LeaseLost(p.workshopId));
      else {
        if (p.batch.ops.some((op) => op.t === 'purge')) this.forgetting.dirty();
        p.resolve();
      }
    }
  }

  async createWorkshop(row: WorkshopRow, ownerKey: KeyRow, initialState: Uint8Array): Promise<void> {
    await this.#inTransaction(async (c) => {
      await c.query(
        'INSERT INTO workshops (id, code, title, template, phase, created_at, server_client_id, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [row.id, row.code, row.title, row.template, row.phase, row.createdAt, row.serverClientId, row.closedAt],
      );
      await c.query(
        'INSERT INTO facilitator_keys (id, workshop_id, key_hash, kind, created_at, revoked) VALUES ($1, $2, $3, $4, $5, false)',
        [ownerKey.id, row.id, ownerKey.keyHash, ownerKey.kind, ownerKey.createdAt],
      );
      await c.query('INSERT INTO doc_updates (workshop_id, seq, data) VALUES ($1, 1, $2)', [row.id, initialState]);
    });
  }

  async #inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query(begin);
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async findIdByCode(code: string): Promise<string | null> {
    const r = await this.pool.query<{ id: string }>({ name: 'by-code', text: 'SELECT id FROM workshops WHERE code = $1', values: [code] });
    return r.rows[0]?.id ?? null;
  }

  async codeExists(code: string): Promise<boolean> {
    return (await this.findIdByCode(code)) !== null;
  }

  /** Everything of one workshop, read in one snapshot. */
  load(workshopId: string): Promise<LoadedWorkshop | null> {
    return this.#inTransaction(async (c) => {
      const q = <R extends pg.QueryResultRow>(text: string) => c.query<R>(text, [workshopId]).then((r) => r.rows);
      const [r] = await q<Record<string, string | null>>('SELECT * FROM workshops WHERE id = $1');
      if (!r) return null;
      const row: WorkshopRow = {
        id: r.id!,
        code: r.code!,
        title: r.title!,
        template: r.template!,
        phase: r.phase!,
        createdAt: Number(r.created_at),
        serverClientId: Number(r.server_client_id),
        closedAt: r.closed_at === null ? null : Number(r.closed_at),
      };
      // Each private table's rows, replayed as the ops that wrote them (private-tables.ts).
      const ops: PrivateOp[] = [];
      for (const t of PRIVATE_TABLES) if (t.load) for (const raw of await q(selectSql('postgres', t))) ops.push(...t.load(rowOf(t, raw)));
      const updates = (await q<{ data: Buffer }>('SELECT data FROM doc_updates WHERE workshop_id = $1 ORDER BY seq')).map(
        (u) => new Uint8Array(u.data),
      );
      return { row, updates, ops };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async deleteWorkshop(workshopId: string): Promise<void> {
    // Every private table (and the lease) references workshops(id) ON DELETE CASCADE.
    await this.pool.query('DELETE FROM workshops WHERE id = $1', [workshopId]);
    this.forgetting.dirty();
  }

  async closedBefore(time: number): Promise<Array<{ id: string; code: string }>> {
    const r = await this.pool.query<{ id: string; code: string }>(
      'SELECT id, code FROM workshops WHERE closed_at IS NOT NULL AND closed_at < $1',
      [time],
    );
    return r.rows;
  }

  async health(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.forgetting.close();
    while (this.#flushing) await new Promise((r) => setTimeout(r, 5));
    await this.#writer?.end().catch(() => undefined);
    this.#writer = null;
    await this.pool.end();
  }
}
