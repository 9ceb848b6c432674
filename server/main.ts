import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApplication } from './app.ts';
import { localAddress, phoneAddresses } from './http/addresses.ts';
import { Cluster } from './cluster/cluster.ts';
import { PostgresStore } from './store/postgres.ts';
import { SqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';

/**
 * Starts Fishbone Live. HOST, PORT, DATA_DIR, PUBLIC_URL, RETENTION_DAYS configure it;
 * PING_INTERVAL_MS and PING_TIMEOUT_MS tune when a silent phone counts as gone. Without
 * DATABASE_URL it stores in SQLite in DATA_DIR; with DATABASE_URL (postgres://…) in PostgreSQL,
 * as one of any number of nodes on that database (NODE_ID, NODE_URL, LEASE_MS, REDIS_URL, REDIS_STREAM:
 * README.md).
 */
// A second guard behind safe ids and prototype-free records (shared/safe-keys.ts): whatever
// slips through can no longer write into the prototype every object shares.
Object.freeze(Object.prototype);

const port = Number(process.env.PORT ?? 3000);
// Every interface unless told otherwise: phones on the venue's Wi-Fi reach the laptop by its own address.
const host = process.env.HOST || undefined;
const dataDir = resolve(process.env.DATA_DIR ?? './data');
const databaseUrl = process.env.DATABASE_URL;
// The built client sits at dist/client: under the repo when run from server/ (tried first, since
// ../client there is the unbuilt source), beside dist/server when bundled.
const clientDir = [new URL('../dist/client', import.meta.url), new URL('../client', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(join(dir, 'index.html')));

let store: Store;
let cluster: Cluster | null = null;
if (databaseUrl) {
  const pgStore = await PostgresStore.open(databaseUrl);
  store = pgStore;
  cluster = new Cluster(pgStore, {
    // Unique per start: a restarted node must not take its previous life's leases for its own.
    nodeId: `${process.env.NODE_ID ?? hostname()}-${randomBytes(4).toString('hex')}`,
    nodeUrl: process.env.NODE_URL ?? `http://127.0.0.1:${port}`,
    leaseMs: Number(process.env.LEASE_MS ?? 10_000),
    redisUrl: process.env.REDIS_URL,
    redisStream: process.env.REDIS_STREAM,
  });
} else {
  store = new SqliteStore(join(dataDir, 'fishbone.sqlite'));
}
const httpServer = createServer();
const retentionDays = Number(process.env.RETENTION_DAYS ?? 0) || undefined;
const heartbeat = process.env.PING_INTERVAL_MS
  ? { intervalMs: Number(process.env.PING_INTERVAL_MS), timeoutMs: Number(process.env.PING_TIMEOUT_MS ?? process.env.PING_INTERVAL_MS) }
  : undefined;
const app = createApplication(httpServer, {
  store,
  clientDir,
  publicUrl: process.env.PUBLIC_URL,
  retentionDays,
  heartbeat,
  trustProxy: process.env.TRUST_PROXY,
  registry: cluster ? { ownership: cluster.ownership } : undefined,
});
cluster?.attach(httpServer, app);

httpServer.listen({ port, host }, () => {
  const addr = httpServer.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const where = cluster ? `PostgreSQL, node ${cluster.leases.nodeId}` : `data in ${dataDir}`;
  console.log(`Fishbone Live on ${localAddress(host, actual)} (${where})`);
  const phones = process.env.PUBLIC_URL ? [process.env.PUBLIC_URL] : phoneAddresses(host, actual);
  if (phones.length) console.log(`Phones can join at: ${phones.join('  ')}`);
  else console.log('Phones cannot reach this server: HOST is a loopback address, or no network is up.');
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // No new connections (a load balancer's health check now fails), then leases: the other
  // nodes take this node's workshops while it closes.
  httpServer.close();
  void (cluster?.close() ?? Promise.resolve())
    .then(() => {
      httpServer.closeAllConnections?.();
      return app.close();
    })
    .then(() => cluster?.disconnect())
    .finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
