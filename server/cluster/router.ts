import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { isWellFormedCode, normalizeCode } from '../workshop/keys.ts';
import { forwardRequest, forwardUpgrade, HOP_HEADER } from './forward.ts';
import type { Leases, Owner } from './lease.ts';

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

/**
 * Serves each workshop where it lives. Every node accepts every request; one for a workshop that
 * another node owns (a live lease) is passed to that node whole — HTTP requests, socket.io's
 * polling and its WebSocket — so the socket is in effect the owner's, and the owner alone ever
 * holds the workshop's sockets, private views included. Nothing of a connection goes through
 * Redis. A request for a workshop nobody owns, or whose owner cannot be reached, is served here:
 * loading the workshop takes its lease (at once, or once the silent owner's lease has run out).
 */
export class OwnerRouter {
  readonly #known = new Map<string, Known>();
  /** Owners that refused a connection lately, by address, until when. */
  readonly #unreachable = new Map<string, number>();
  /** WebSocket pipes to other nodes (and to which), by workshop code, cut when the workshop moves. */
  readonly #pipes = new Map<string, Map<Socket, string>>();

  constructor(private readonly leases: Leases) {}

  /** Put the router in front of whatever already listens on the server (express, engine.io). */
  install(server: HttpServer): void {
    const onRequest = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
    const onUpgrade = server.listeners('upgrade') as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
    server.removeAllListeners('request');
    server.removeAllListeners('upgrade');
    const here = {
      request: (req: IncomingMessage, res: ServerResponse) => onRequest.forEach((l) => l.call(server, req, res)),
      upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => onUpgrade.forEach((l) => l.call(server, req, socket, head)),
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const code = req.headers[HOP_HEADER] ? null : workshopCodeOf(req.url);
      if (!code) return here.request(req, res);
      void this.#ownerUrl(code).then((target) => {
        if (!target) return here.request(req, res);
        forwardRequest(req, res, target, this.leases.nodeId, () => {
          this.#cannotReach(code, target);
          here.request(req, res);
        });
      });
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const code = req.headers[HOP_HEADER] ? null : workshopCodeOf(req.url);
      if (!code) return here.upgrade(req, socket, head);
      void this.#ownerUrl(code).then((target) => {
        if (!target || socket.destroyed) return here.upgrade(req, socket, head);
        const pipe = forwardUpgrade(req, socket, head, target, this.leases.nodeId, () => {
          this.#cannotReach(code, target);
          here.upgrade(req, socket, head);
        });
        let pipes = this.#pipes.get(code);
        if (!pipes) this.#pipes.set(code, (pipes = new Map()));
        pipes.set(pipe, target);
        pipe.on('close', () => {
          pipes.delete(pipe);
          if (pipes.size === 0 && this.#pipes.get(code) === pipes) this.#pipes.delete(code);
        });
      });
    });
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
      this.#known.set(code, known);
    }
    const o = known.owner;
    // Here too when the owner's address is this node's own: its previous life (restarted within
    // a lease time), whose lease this node waits out when it loads the workshop.
    if (!o || !o.live || !o.nodeUrl || o.nodeUrl === this.leases.nodeUrl || this.leases.holds(o.workshopId)) return null;
    if ((this.#unreachable.get(o.nodeUrl) ?? 0) > Date.now()) return null;
    return o.nodeUrl;
  }

  #cannotReach(code: string, target: string): void {
    this.#unreachable.set(target, Date.now() + this.leases.leaseMs);
    this.#known.delete(code);
  }

  /**
   * A node says it owns a workshop now: forget what we knew, and cut the pipes to any other
   * node (a paused old owner would hold them open), so those phones reconnect to the new one.
   */
  moved(code: string, nodeUrl: string): void {
    this.#known.delete(code);
    for (const [pipe, target] of this.#pipes.get(code) ?? []) if (target !== nodeUrl) pipe.destroy();
  }
}
