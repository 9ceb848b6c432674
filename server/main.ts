import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApplication } from './app.ts';
import { localAddress, phoneAddresses } from './http/addresses.ts';
import { Cluster } from './cluster/cluster.ts';
import { SqliteStore } from './store/sqlite.ts';
import type { Store } from './store/store.ts';
import { authSettingsFrom, type AuthSettings } from './auth/settings.ts';
import { log } from './log/logger.ts';
import { Metrics } from './metrics/metrics.ts';
import { serveMetrics } from './metrics/routes.ts';

/**
 * Starts Fishbone Live. HOST, PORT, DATA_DIR, PUBLIC_URL, RETENTION_DAYS configure it;
 * PING_INTERVAL_MS and PING_TIMEOUT_MS tune when a silent phone counts as gone. Without
 * DATABASE_URL it stores in SQLite in DATA_DIR; with DATABASE_URL (postgres://…) in PostgreSQL,
 * as one of any number of nodes on that database (NODE_ID, NODE_URL, LEASE_MS, REDIS_URL, REDIS_STREAM:
 * README.md). OIDC_* and AUTH_* turn facilitators' sign-in on; METRICS_TOKEN or METRICS_PORT the
 * Prometheus metrics; LOG_LEVEL and LOG_FORMAT the log (README.md, "Running it for an organisation").
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

let auth: AuthSettings | null;
try {
  auth = authSettingsFrom(process.env);
} catch (err) {
  log.fatal((err as Error).message);
  process.exit(1);
}
const metricsToken = process.env.METRICS_TOKEN || undefined;
const metricsPort = process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : undefined;
const metrics = metricsToken || metricsPort ? new Metrics() : undefined;

let store: Store;
let cluster: Cluster | null = null;
if (databaseUrl) {
  const nodeSecret = process.env.NODE_SECRET ?? '';
  if (nodeSecret.length < 16) {
    log.fatal('With DATABASE_URL, set NODE_SECRET: a random string of 16 or more characters, the same on every node (README.md).');
    process.exit(1);
  }
  cluster = await Cluster.open({
    databaseUrl,
    // Unique per start: a restarted node must not take its previous life's leases for its own.
    nodeId: `${process.env.NODE_ID ?? hostname()}-${randomBytes(4).toString('hex')}`,
    nodeUrl: process.env.NODE_URL ?? `http://127.0.0.1:${port}`,
    leaseMs: Number(process.env.LEASE_MS ?? 10_000),
    redisUrl: process.env.REDIS_URL,
    redisStream: process.env.REDIS_STREAM,
    nodeSecret,
    watch: metrics,
  });
  store = cluster.store;
} else {
  store = new SqliteStore(join(dataDir, 'fishbone.sqlite'));
}
// Connections past their time are looked for every 2 s (Node's default is 30 s): server/http/connections.ts.
const httpServer = createServer({ connectionsCheckingInterval: 2000 });
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
  sharedLimits: cluster?.sharedLimits,
  auth: auth ?? undefined,
  metrics,
  metricsToken,
});
cluster?.attach(httpServer, app);

httpServer.listen({ port, host }, () => {
  const addr = httpServer.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const where = cluster ? { store: 'postgresql', node: cluster.leases.nodeId } : { store: 'sqlite', dataDir };
  const phones = process.env.PUBLIC_URL ? [process.env.PUBLIC_URL] : phoneAddresses(host, actual);
  const url = localAddress(host, actual);
  log.info(
    { url, ...where, signIn: !!auth, metrics: metricsPort ? 'own port' : metricsToken ? '/metrics with token' : 'off' },
    `Fishbone Live on ${url}`,
  );
  // Said plainly at start, for whoever runs it on a laptop at the venue.
  if (phones.length) log.info({ phones }, `Phones can join at: ${phones.join('  ')}`);
  else log.warn('Phones cannot reach this server: HOST is a loopback address, or no network is up.');
});

// Metrics on a port of their own, off the public path (bound to METRICS_HOST, loopback by default).
const metricsServer =
  metrics && metricsPort !== undefined
    ? createServer((req, res) => {
        if ((req.url ?? '').split('?')[0] !== '/metrics') return void res.writeHead(404).end();
        serveMetrics(metrics, metricsToken, req, res).catch((err: unknown) => {
          log.error({ err }, 'metrics scrape failed');
          res.writeHead(500).end();
        });
      }).listen(metricsPort, process.env.METRICS_HOST ?? '127.0.0.1')
    : null;

/** However it goes, a stopping node is gone by then: a rolling deploy waits for it. */
const STOP_DEADLINE_MS = 15_000;
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
  // No new connections (a load balancer's health check now fails), then leases: the other
  // nodes take this node's workshops while it closes.
  httpServer.close();
  metricsServer?.close();
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
