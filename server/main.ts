import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApplication } from './app.ts';
import { SqliteStore } from './store/sqlite.ts';

/**
 * Starts Fishbone Live on the embedded SQLite store. PORT, DATA_DIR, PUBLIC_URL, RETENTION_DAYS
 * configure it; PING_INTERVAL_MS and PING_TIMEOUT_MS tune when a silent phone counts as gone.
 */
// A second guard behind safe ids and prototype-free records (shared/safe-keys.ts): whatever
// slips through can no longer write into the prototype every object shares.
Object.freeze(Object.prototype);

const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.DATA_DIR ?? './data');
// The built client sits at dist/client: under the repo when run from server/ (tried first, since
// ../client there is the unbuilt source), beside dist/server when bundled.
const clientDir = [new URL('../dist/client', import.meta.url), new URL('../client', import.meta.url)]
  .map((u) => fileURLToPath(u))
  .find((dir) => existsSync(join(dir, 'index.html')));

const store = new SqliteStore(join(dataDir, 'fishbone.sqlite'));
const httpServer = createServer();
const retentionDays = Number(process.env.RETENTION_DAYS ?? 0) || undefined;
const heartbeat = process.env.PING_INTERVAL_MS
  ? { intervalMs: Number(process.env.PING_INTERVAL_MS), timeoutMs: Number(process.env.PING_TIMEOUT_MS ?? process.env.PING_INTERVAL_MS) }
  : undefined;
const app = createApplication(httpServer, { store, clientDir, publicUrl: process.env.PUBLIC_URL, retentionDays, heartbeat });

httpServer.listen(port, () => {
  const addr = httpServer.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  console.log(`Fishbone Live on http://localhost:${actual} (data in ${dataDir})`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  httpServer.closeAllConnections?.();
  app.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
