import { refusals } from '../shared/messages/refusals.ts';
import compression from 'compression';
import expressStaticGzip from 'express-static-gzip';
import express, { type ErrorRequestHandler } from 'express';
import { existsSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import { Server } from 'socket.io';
import * as parser from 'socket.io-parser';
import { attachGateway, type GatewayIO } from './realtime/gateway.ts';
import { SocketFanout } from './realtime/socket-fanout.ts';
import { pollingHeaders, securityHeaders } from './http/security.ts';
import { exportRoutes } from './http/exports.ts';
import { RenderPool, type RenderPoolOptions } from './exports/render-pool.ts';
import { guardConnections } from './http/connections.ts';
import { bodyError, jsonBody } from './http/json-body.ts';
import { pageRoutes } from './http/pages.ts';
import { workshopRoutes, type EndWorkshop } from './http/workshops.ts';
import { partnershipRoutes } from './http/partnerships.ts';
import type { Store } from './store/store.ts';
import { Registry, type RegistryOptions } from './workshop/registry.ts';
import { Guard } from './guard/guard.ts';
import type { LimitSettings } from './guard/address-limits.ts';
import type { SharedLimits } from './guard/shared-limits.ts';
import { startRetention } from './workshop/retention.ts';
import { fail } from './workshop/result.ts';
import { log } from './log/logger.ts';
import { httpLog } from './log/http-log.ts';
import { Auth } from './auth/auth.ts';
import { accountStoreFor } from './auth/accounts-for.ts';
import { authRoutes, signInOff } from './auth/routes.ts';
import type { AuthSettings } from './auth/settings.ts';
import type { Metrics } from './metrics/metrics.ts';
import { countAnswers, serveMetrics } from './metrics/routes.ts';
import { socketsByRole, watchSockets } from './metrics/socket-watch.ts';
import { timedStore } from './metrics/timed-store.ts';

export interface Components {
  store: Store;
  now?: () => number;
  /** The built client (vite build output); page routes serve its index.html. */
  clientDir?: string;
  publicUrl?: string;
  /** Largest socket.io message accepted; commands are small, so this is kept tight. */
  maxMessageBytes?: number;
  /** Delete workshops this many days after they close (off when absent). */
  retentionDays?: number;
  /** Per-address allowances (server/guard/address-limits.ts has the defaults). */
  addressLimits?: LimitSettings;
  /** Which proxies' X-Forwarded-For to believe (proxy-addr names: loopback, 10.0.0.0/8, …, or none). */
  trustProxy?: string;
  /**
   * How long unused workshops stay in memory, and how many; the clock their releases are
   * scheduled on (server/workshop/registry.ts).
   */
  registry?: RegistryOptions;
  /** How long a connection may stay without joining a workshop (default 10 s). */
  joinTimeoutMs?: number;
  /** How often a connection is pinged and how long a pong may take before it counts as gone. */
  heartbeat?: { intervalMs: number; timeoutMs: number };
  /** The export workers' bounds (server/exports/render-pool.ts has the defaults). */
  renders?: RenderPoolOptions;
  /** Several nodes: the deployment's per-address limits, kept in Redis (server/guard/shared-limits.ts). */
  sharedLimits?: SharedLimits | null;
  /** Facilitators sign in with an OpenID provider (server/auth/); off when absent. */
  auth?: AuthSettings;
  /** Counts and timings for a Prometheus scrape (server/metrics/); none are kept when absent. */
  metrics?: Metrics;
  /** With metrics: also serve them at /metrics here, to a request carrying this token as Bearer. */
  metricsToken?: string;
}

export interface Application {
  io: GatewayIO;
  registry: Registry;
  /** The per-address limits and the one guarded code lookup. */
  guard: Guard;
  /** The export workers and their queue. */
  renders: RenderPool;
  close(): Promise<void>;
}

/** A command is padded to 2 KB, a join's state vector is at most 4 KB: nothing needs more. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/** socket.io's own parser, with room for one binary attachment a packet. */
const oneAttachment = {
  Encoder: parser.Encoder,
  Decoder: class extends parser.Decoder {
    constructor() {
      super({ maxAttachments: 1 });
    }
  },
};

/** Wire HTTP routes and the realtime gateway onto an http.Server, with the stores passed in. */
export function createApplication(httpServer: HttpServer, c: Components): Application {
  const now = c.now ?? Date.now;
  const store = c.metrics ? timedStore(c.store, c.metrics) : c.store;
  // Express first: socket.io, made next, passes it every request that is not socket.io's own.
  const app = express();
  httpServer.on('request', app);
  const io: GatewayIO = new Server(httpServer, {
    maxHttpBufferSize: c.maxMessageBytes ?? MAX_MESSAGE_BYTES,
    // At most one binary attachment (a join's state vector): an event declaring ten held each
    // partial attachment in memory for as long as the socket stayed open (issue 21).
    parser: oneAttachment,
    serveClient: false,
    // Phones on venue Wi-Fi stall; give them time before declaring them gone.
    pingInterval: c.heartbeat?.intervalMs ?? 20_000,
    pingTimeout: c.heartbeat?.timeoutMs ?? 25_000,
    // A new connection spends its address's allowance before any WebSocket handshake is made:
    // a flooder who is cut off and reconnects at once is refused for the price of one request.
    allowRequest: (req, answer) => answer(null, guard.limits.take('connect', guard.addressOf(req)) === 0),
  });
  const fanout = new SocketFanout(io);
  const registry = new Registry(store, fanout, now, c.registry);
  const guard = new Guard(registry, c.trustProxy, now, c.addressLimits, c.sharedLimits);

  app.disable('x-powered-by');
  // req.ip is the address a trusted proxy forwarded (TRUST_PROXY), else the TCP peer.
  app.set('trust proxy', guard.trust);
  app.use(httpLog((req) => guard.addressOf(req)));
  if (c.metrics) app.use(countAnswers(c.metrics));
  app.use(securityHeaders());
  // Phones on venue Wi-Fi: send the client's scripts and styles gzipped.
  app.use(compression());
  // Imports carry a whole workshop; everything else is tiny.
  app.use('/api/workshops/import', jsonBody('2mb'));
  // A partnership's history: up to 100 workshops' outcomes (shared/partnership/schema.ts).
  app.use('/api/partnerships/import', jsonBody('8mb'));
  app.use(jsonBody('16kb'));
  // Health tells the truth: it reads from the database, so a broken store answers 503.
  app.get('/healthz', async (_req, res) => {
    try {
      await store.health();
      res.json({ ok: true });
    } catch (err) {
      log.error({ err }, 'health check failed');
      res.status(503).json(fail('unavailable'));
    }
  });
  const { metrics, metricsToken } = c;
  if (metrics && metricsToken) app.get('/metrics', (req, res, next) => void serveMetrics(metrics, metricsToken, req, res).catch(next));
  const auth = c.auth ? new Auth(c.auth, accountStoreFor(c.store), now, c.metrics) : null;
  app.use(auth ? authRoutes(auth, c.publicUrl) : signInOff());
  const end: EndWorkshop = (w, reason) => fanout.end(w, reason);
  app.use(workshopRoutes(store, registry, guard, now, end, c.publicUrl, auth?.creators));
  app.use(partnershipRoutes(store, guard, now, c.publicUrl));
  const renders = new RenderPool(c.renders);
  app.use(exportRoutes(guard, renders, now));
  app.use('/api', (_req, res) => {
    res.status(404).json(fail('bad_request', { what: refusals.badRequest.noRoute }));
  });
  if (c.clientDir && existsSync(join(c.clientDir, 'index.html'))) {
    app.use(
      // Scripts and styles as the build compressed them (brotli, else gzip: vite.config.ts).
      expressStaticGzip(c.clientDir, {
        enableBrotli: true,
        orderPreference: ['br', 'gz'],
        index: false,
        serveStatic: {
          index: false,
          maxAge: '1h',
          // Built assets carry a content hash in their names: a repeat visit uses its copy without asking.
          setHeaders: (res, path) => {
            if (/[\\/]assets[\\/][^\\/]+-[\w-]{8}\.(js|css)(\.br|\.gz)?$/.test(path))
              res.setHeader('cache-control', 'public, max-age=31536000, immutable');
          },
        },
      }),
    );
    app.use(pageRoutes(c.clientDir, guard));
  }
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    // 503 says "try again" (another node holds the workshop: server/cluster/lease.ts OwnedElsewhere);
    // any other status of 500 or more, or none, is our fault.
    if (err?.status === 503) {
      log.warn({ err }, 'request answered unavailable');
      return void res.status(503).set('retry-after', '1').json(fail('unavailable'));
    }
    const status = typeof err?.status === 'number' && err.status < 500 ? err.status : 500;
    if (status >= 500) log.error({ err }, 'request failed');
    res.status(status).json(fail(status === 500 ? 'internal' : 'bad_request', { what: bodyError(err) }));
  };
  app.use(onError);
  guardConnections(httpServer, (addr) => guard.trust(addr, 0));

  // socket.io's long-polling answers are pages too: give them the same protective headers.
  io.engine.on('initial_headers', pollingHeaders);
  io.engine.on('headers', pollingHeaders);
  // Before the gateway, so that it sees every event first (server/metrics/socket-watch.ts).
  watchSockets(io, c.metrics);
  c.metrics?.observeApplication({
    sockets: () => socketsByRole(io),
    workshopsLoaded: () => registry.openCount,
    exports: () => renders.counts,
  });
  attachGateway(io, registry, guard, fanout, now, c.joinTimeoutMs);
  const stopRetention = c.retentionDays ? startRetention(store, registry, c.retentionDays, now) : () => {};

  return {
    io,
    registry,
    guard,
    renders,
    async close() {
      stopRetention();
      auth?.close();
      registry.close();
      await renders.close();
      fanout.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await store.close();
    },
  };
}
