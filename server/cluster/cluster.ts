import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Guard } from '../guard/guard.ts';
import { SharedLimits } from '../guard/shared-limits.ts';
import type { GatewayIO } from '../realtime/gateway.ts';
import { PostgresStore } from '../store/postgres.ts';
import type { Ownership } from '../workshop/registry.ts';
import { Leases } from './lease.ts';
import { NodeAuth } from './node-auth.ts';
import type { LeaseWatch } from '../metrics/metrics.ts';
import { OwnerRouter } from './router.ts';
import { log } from '../log/logger.ts';

export interface ClusterSettings {
  /** The database the leases are kept in (the store's). */
  databaseUrl: string;
  /** Unique per process (server/main.ts adds a random part to NODE_ID). */
  nodeId: string;
  /** Where the other nodes reach this one (NODE_URL). */
  nodeUrl: string;
  leaseMs: number;
  /** Messages between nodes; without it, nodes still route correctly, just learn of moves later. */
  redisUrl?: string;
  /** The Redis stream the socket.io adapter writes (one per deployment). */
  redisStream?: string;
  /** Shared by every node of the deployment: how nodes know a request came from one of them. */
  nodeSecret: string;
  /** Told of leases taken and lost (metrics). */
  watch?: LeaseWatch;
}

/** The one message nodes send each other through Redis: a workshop code and where it lives now. */
const OWNER_EVENT = 'fishbone:owner';
interface OwnerNotice {
  code: string;
  nodeUrl: string;
}

/**
 * This node as one of several on a PostgreSQL store: it owns the workshops it holds leases on
 * (server/cluster/lease.ts), passes requests for the others to their owners
 * (server/cluster/router.ts), and tells the other nodes through Redis when it takes a workshop,
 * so they stop sending its phones to the old owner. Redis carries only that notice and the
 * socket.io adapter's own heartbeats: workshop codes and node addresses, never a person (the
 * fan-out is local, so nothing is ever broadcast through the adapter's stream).
 */
export class Cluster {
  readonly leases: Leases;
  /** For the registry: take a workshop's lease before loading it, give it up when dropping it. */
  readonly ownership: Ownership;
  /** The deployment's one set of per-address limits, in Redis (null without Redis). */
  readonly sharedLimits: SharedLimits | null;
  readonly #auth: NodeAuth;
  #router: OwnerRouter | null = null;
  readonly #redis: Redis | null = null;
  #io: GatewayIO | null = null;
  readonly #lost: Array<(workshopId: string, reason: string) => void> = [];

  /** The node's leases, and its store fenced by them: every commit checks this node still holds the workshop. */
  static async open(settings: ClusterSettings): Promise<Cluster> {
    const leases = new Leases(settings.databaseUrl, {
      nodeId: settings.nodeId,
      nodeUrl: settings.nodeUrl,
      leaseMs: settings.leaseMs,
      watch: settings.watch,
    });
    const store = await PostgresStore.open(settings.databaseUrl, { fence: leases });
    return new Cluster(store, leases, settings);
  }

  private constructor(
    readonly store: PostgresStore,
    leases: Leases,
    private readonly settings: ClusterSettings,
  ) {
    this.leases = leases;
    leases.onLost((id) => this.#tellLost(id, 'another node owns it now'));
    this.#auth = new NodeAuth(settings.nodeSecret);
    if (settings.redisUrl) {
      // ioredis keeps retrying while Redis is away. Notices go over the adapter's pub/sub, so
      // one sent meanwhile may be lost: harmless, routes are looked up again every 2 s.
      const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
      redis.on('error', (err: Error) => log.warn({ err }, 'redis'));
      this.#redis = redis;
    }
    const stream = settings.redisStream ?? 'fishbone-live';
    this.sharedLimits = settings.redisUrl ? new SharedLimits(settings.redisUrl, stream, settings.nodeSecret) : null;
    this.ownership = {
      claim: async (id) => {
        const { code } = await this.leases.claim(id);
        // Here too: socket.io does not deliver a node's own notice to itself, and this node's
        // pipes to the old owner must be cut like everyone else's.
        this.#router?.moved(code, settings.nodeUrl);
        this.#announce({ code, nodeUrl: settings.nodeUrl });
      },
      release: (id) => void this.leases.release([id]).catch((err: Error) => log.error({ err }, 'lease release failed')),
      onLost: (listener) => void this.#lost.push(listener),
    };
  }

  #tellLost(id: string, reason: string): void {
    for (const tell of this.#lost) tell(id, reason);
  }

  /**
   * Start serving as a node: after createApplication, before listening. The router goes in
   * front of what the application put on the server (express, engine.io).
   */
  attach(httpServer: HttpServer, app: { io: GatewayIO; guard: Guard }): void {
    this.#io = app.io;
    this.leases.start();
    const onRequest = httpServer.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    const onUpgrade = httpServer.listeners('upgrade') as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
    httpServer.removeAllListeners('request');
    httpServer.removeAllListeners('upgrade');
    this.#router = new OwnerRouter(this.leases, app.guard, this.#auth);
    this.#router.install(httpServer, {
      request: (req, res) => onRequest.forEach((l) => l.call(httpServer, req, res)),
      upgrade: (req, socket, head) => onUpgrade.forEach((l) => l.call(httpServer, req, socket, head)),
    });
    if (this.#redis) {
      const redis = this.#redis;
      const stream = this.settings.redisStream ?? 'fishbone-live';
      app.io.adapter(createAdapter(redis, { streamName: stream, channelPrefix: stream }));
      const nsp = app.io.of('/') as unknown as { on(event: string, fn: (n: OwnerNotice) => void): void };
      nsp.on(OWNER_EVENT, (n) => {
        if (typeof n?.code === 'string' && typeof n.nodeUrl === 'string') this.#router?.moved(n.code, n.nodeUrl);
      });
    }
  }

  #announce(notice: OwnerNotice): void {
    if (!this.#io || !this.#redis) return;
    (this.#io as unknown as { serverSideEmit(event: string, n: OwnerNotice): void }).serverSideEmit(OWNER_EVENT, notice);
  }

  /**
   * Stopping (SIGTERM): take no more workshops, send every phone of those held here away (they
   * reconnect to another node; queued commands are answered "unavailable" and sent again there)
   * and give every lease up at once, so other nodes take the workshops now.
   */
  async close(): Promise<void> {
    this.leases.stopping = true;
    // Phones passed to other nodes through this one reconnect (to another node) too: their
    // pipes kept the HTTP server from ever closing (issue 25: still running after 60 s).
    this.#router?.closeAll();
    for (const id of this.leases.held()) this.#tellLost(id, 'this node is stopping');
    await this.leases.releaseAll().catch((err: Error) => log.error({ err }, 'lease release failed'));
  }

  /** After the application has closed. */
  async disconnect(): Promise<void> {
    await this.#redis?.quit().catch(() => undefined);
    await this.sharedLimits?.close();
    await this.leases.close().catch(() => undefined);
  }
}
