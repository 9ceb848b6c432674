import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { PostgresStore } from '../../server/store/postgres.ts';
import { docParts } from '../../shared/doc.ts';
import { freePort, ServerProcess } from './process.ts';
import { createTestDatabase, query, type TestDatabase } from './postgres.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ClusterOptions {
  nodes?: number;
  leaseMs?: number;
  redisUrl?: string;
  /** A database made by the test (e.g. on a private PostgreSQL it stops). */
  db?: TestDatabase;
  env?: Record<string, string>;
}

/**
 * Real nodes of one deployment: separate processes of the server, each on its own port, all on
 * one fresh PostgreSQL database (made for the test, owned by a role that is not a superuser) and
 * one Redis, under a Redis stream name of their own so tests never hear each other.
 */
export class TestCluster {
  readonly nodes: ServerProcess[] = [];
  db!: TestDatabase;
  readonly stream = `fishbone-test-${randomBytes(4).toString('hex')}`;
  /** The deployment's NODE_SECRET, shared by its nodes. */
  readonly secret = randomBytes(24).toString('base64url');
  #ownDb = false;

  constructor(readonly opts: ClusterOptions = {}) {}

  async start(): Promise<this> {
    if (this.opts.db) this.db = this.opts.db;
    else {
      this.db = await createTestDatabase();
      this.#ownDb = true;
    }
    const n = this.opts.nodes ?? 2;
    for (let i = 0; i < n; i++) this.nodes.push(await this.#node(i));
    // Started one after another: the first migrates, the others find the tables there.
    for (const node of this.nodes) await node.start();
    return this;
  }

  async #node(i: number): Promise<ServerProcess> {
    const port = await freePort();
    return new ServerProcess(port, {
      DATABASE_URL: this.db.url,
      NODE_SECRET: this.secret,
      REDIS_URL: this.opts.redisUrl ?? REDIS_URL,
      REDIS_STREAM: this.stream,
      NODE_ID: `node${i}`,
      NODE_URL: `http://127.0.0.1:${port}`,
      LEASE_MS: String(this.opts.leaseMs ?? 2000),
      // A node that stopped answering is noticed by its phones within about 2 s.
      PING_INTERVAL_MS: '1000',
      PING_TIMEOUT_MS: '1000',
      ...this.opts.env,
    });
  }

  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  /** The node holding the workshop's lease (by the database's clock), or undefined. */
  async ownerOf(code: string): Promise<ServerProcess | undefined> {
    const rows = await query<{ node_url: string }>(
      this.db,
      'SELECT l.node_url FROM leases l JOIN workshops w ON w.id = l.workshop_id WHERE w.code = $1 AND l.expires_at > now()',
      [code],
    );
    return this.nodes.find((n) => n.url === rows[0]?.node_url);
  }

  /** The workshop as the database has it: its document (as JSON) and its rows, read by a store of its own. */
  async stored(code: string) {
    const store = await PostgresStore.open(this.db.adminUrl, { poolSize: 1 });
    try {
      const id = (await store.findIdByCode(code))!;
      const loaded = (await store.load(id))!;
      const doc = new Y.Doc();
      for (const u of loaded.updates) Y.applyUpdate(doc, u);
      docParts(doc);
      return { id, doc, json: doc.toJSON(), ops: loaded.ops, row: loaded.row };
    } finally {
      await store.close();
    }
  }

  async stop(): Promise<void> {
    for (const n of this.nodes) {
      try {
        n.proc?.kill('SIGCONT');
      } catch {
        /* already gone */
      }
      await n.stop('SIGKILL');
      n.cleanup();
    }
    if (this.#ownDb) await this.db.drop();
    const redis = new Redis(this.opts.redisUrl ?? REDIS_URL, { maxRetriesPerRequest: 1 });
    await redis.del(this.stream).catch(() => undefined);
    redis.disconnect();
  }
}
