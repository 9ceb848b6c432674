import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Guard } from '../guard/guard.ts';
import { isWellFormedCode, normalizeCode } from '../workshop/keys.ts';
import { forwardRequest, forwardUpgrade } from './forward.ts';
import type { Leases, Owner } from './lease.ts';
import type { NodeAuth } from './node-auth.ts';

/** The workshop a request is about: `/w/CODE…`, `/api/workshops/CODE…`, or socket.io's `?w=CODE`. */
export function workshopCodeOf(rawUrl: string | undefined): string | null {
  try {
    const url = new URL(rawUrl ?? '/', 'http://x');
    let raw: string | null;
    if (url.pathname.startsWith('/socket.io/')) raw = url.searchParams.get('w');
    else {
      const m = /^\/(?:w|api\/workshops)\/([^/]+)/.exec(url.pathname);
      raw = m ? decodeURIComponent(m[1]) : null;
    }
    if (raw === null) return null;
    const code = normalizeCode(raw);
    return isWellFormedCode(code) ? code : null;
  } catch {
    return null; // a malformed URL names no workshop; the routes answer it as usual
  }
}

interface Known {
  owner: Owner | null;
  until: number;
}

/** How long a looked-up owner is trusted before asking the database again. */
const KNOWN_MS = 2000;
/** Owners remembered (most recently asked last): 60,000 random codes grew the heap by 8 MB. */
const KNOWN_MAX = 10_000;

/** The handlers that serve a request on this node (express, engine.io), given to the router. */
export interface LocalHandlers {
  request: (req: IncomingMessage, res: ServerResponse) => void;
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/**
 * Serves each workshop where it lives. Every node accepts every request; one for a workshop that
 * another node owns (a live lease) is passed to that node whole — HTTP requests, socket.io's
 * polling and its WebSocket — so the socket is in effect the owner's, and the owner alone ever
 * holds the workshop's sockets, private views included. Nothing of a connection goes through
 * Redis. A request for a workshop nobody owns, or whose owner cannot be reached, is served here:
 * loading the workshop takes its lease (at once, or once the silent owner's lease has run out,
 * or at once when the owner's address refuses connections: its process is gone).
 *
 * Before any database lookup a request spends its address's allowance of code lookups (the
 * guard's): a stranger's random codes cost the database nothing once that is spent.
 */
export class OwnerRouter {
  readonly #known = new Map<string, Known>();
  /** Owners that refused a connection lately, by address, until when. */
  readonly #unreachable = new Map<string, number>();
  /** WebSocket pipes to other nodes (and to which), by workshop code, cut when the workshop moves. */
  readonly #pipes = new Map<string, Map<Socket, { target: string; client: Duplex }>>();

  constructor(
    private readonly leases: Leases,
    private readonly guard: Guard,
    private readonly auth: NodeAuth,
  ) {}

  /** Serve `server`'s requests: through the owner, or here with `here`. */
  install(server: HttpServer, here: LocalHandlers): void {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void this.#routable(req).then(async (code) => {
        const target = code && (await this.#ownerUrl(code));
        if (!code || !target) return here.request(req, res);
        if (!target) return here.request(req, res);
        forwardRequest(req, res, target, this.#hop(req), (refused) => {
          this.#cannotReach(code, target, refused);
          here.request(req, res);
        });
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.#routable(req).then(async (code) => {
        const target = code && (await this.#ownerUrl(code));
        if (!code || !target || socket.destroyed) return here.upgrade(req, socket, head);
        const pipe = forwardUpgrade(req, socket, head, target, this.#hop(req), (refused) => {
          this.#cannotReach(code, target, refused);
          here.upgrade(req, socket, head);
        });
        let pipes = this.#pipes.get(code);
        if (!pipes) this.#pipes.set(code, (pipes = new Map()));
        pipes.set(pipe, { target, client: socket });
        pipe.on('close', () => {
          pipes.delete(pipe);
          if (pipes.size === 0 && this.#pipes.get(code) === pipes) this.#pipes.delete(code);
        });
      });
    });
  }

  /**
   * The code of a request to pass to its owner, or null to serve it here: a verified hop from
   * another node (never passed on again), a request naming no workshop, or one from an address
   * that may not look codes up now (the guard answers it here, with 429).
   */
  async #routable(req: IncomingMessage): Promise<string | null> {
    if (this.auth.verify(req)) return null;
    const code = workshopCodeOf(req.url);
    if (!code || !(await this.guard.mayLookUp(this.guard.addressOf(req), code))) return null;
    return code;
  }

  #hop(req: IncomingMessage): Record<string, string> {
    return this.auth.sign(this.leases.nodeId, this.guard.addressOf(req), req.method ?? 'GET', req.url ?? '/');
  }

  /** The owner's address if another live node owns the workshop, else null (serve it here). */
  async #ownerUrl(code: string): Promise<string | null> {
    let known = this.#known.get(code);
    if (!known || known.until < Date.now()) {
      let owner: Owner | null;
      try {
        owner = await this.leases.ownerOf(code);
      } catch {
        // No database: nobody can take or move a workshop now; serve it here (its load waits too).
        return null;
      }
      known = { owner, until: Date.now() + KNOWN_MS };
      this.#known.delete(code);
      this.#known.set(code, known);
      if (this.#known.size > KNOWN_MAX) this.#known.delete(this.#known.keys().next().value!);
    }
    const o = known.owner;
    // Here too when the owner's address is this node's own: its previous life (restarted within
    // a lease time), whose lease this node waits out when it loads the workshop.
    if (!o || !o.live || !o.nodeUrl || o.nodeUrl === this.leases.nodeUrl || this.leases.holds(o.workshopId)) return null;
    if ((this.#unreachable.get(o.nodeUrl) ?? 0) > Date.now()) return null;
    return o.nodeUrl;
  }

  #cannotReach(code: string, target: string, refused: boolean): void {
    this.#unreachable.set(target, Date.now() + this.leases.leaseMs);
    for (const [url, until] of this.#unreachable) if (until < Date.now()) this.#unreachable.delete(url);
    this.#known.delete(code);
    // Nothing listens at the owner's address: its process is gone, its leases may go at once.
    if (refused) this.leases.gone(target);
  }

  /**
   * A node owns a workshop now (another, through Redis, or this one): forget what we knew, and
   * cut the pipes to any other node (a paused old owner would hold them open), so those phones
   * reconnect to the new one.
   */
  moved(code: string, nodeUrl: string): void {
    this.#known.delete(code);
    for (const [pipe, { target, client }] of this.#pipes.get(code) ?? [])
      if (target !== nodeUrl) {
        pipe.destroy();
        client.destroy();
      }
  }

  /** This node is stopping: every pipe to another node is closed (the phones reconnect elsewhere). */
  closeAll(): void {
    for (const pipes of this.#pipes.values())
      for (const [pipe, { client }] of pipes) {
        pipe.destroy();
        client.destroy();
      }
    this.#pipes.clear();
  }
}
