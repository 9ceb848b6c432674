import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { fromBase64 } from '../../shared/base64.ts';
import type { Command, CommandInput, JoinAs, JoinRequest } from '../../shared/commands.ts';
import { docParts, readBoard, type Board } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { ClientEvents, CommandReply, JoinReply, SelfView, ServerEvents } from '../../shared/events.ts';
import { cmdId } from './server.ts';
import { sleep, until } from './wait.ts';

/** Answers that are not a refusal: the phone keeps the command and sends it again, same id. */
const RETRY = new Set(['unavailable', 'rate_limited']);

/**
 * A phone as the browser client behaves toward a cluster (client/src/lib/workshop-client.svelte.ts):
 * it reconnects by itself — to the next node in its list, as a load balancer would send it when
 * its node is gone — rejoins with its replica's state vector, and keeps every command until it
 * has a real answer, resending with the same id. The workshop code rides in the connection's
 * query (`w`), which is how any node finds the workshop's owner.
 */
export class Phone {
  readonly doc = new Y.Doc();
  self: SelfView | null = null;
  /** The first real answer to each command id, and every answer it ever got (to catch a second, different one). */
  readonly answers = new Map<string, Result<CommandReply>[]>();
  joins = 0;
  /** When the last join succeeded (Date.now()): answers after it came from the node serving that join. */
  joinedAt = 0;
  #socket: Socket<ServerEvents, ClientEvents> | null = null;
  #at = 0;
  #joined = false;
  #closed = false;
  #joinedWaiters: Array<() => void> = [];

  constructor(
    readonly urls: string[],
    readonly joinAs: JoinAs,
    start = 0,
    /** socket.io's transports; `['polling']` is what a phone falls back to where WebSockets are blocked. */
    readonly transports: Array<'websocket' | 'polling'> = ['websocket'],
  ) {
    this.#at = start % urls.length;
    docParts(this.doc);
    this.#connect();
  }

  get url(): string {
    return this.urls[this.#at];
  }

  get joined(): boolean {
    return this.#joined;
  }

  board(): Board {
    return readBoard(this.doc);
  }

  #connect(): void {
    if (this.#closed) return;
    const s: Socket<ServerEvents, ClientEvents> = io(this.url, {
      transports: this.transports,
      reconnection: false,
      forceNew: true,
      query: { w: this.joinAs.code },
      timeout: 3000,
    });
    this.#socket = s;
    s.on('connect', () => void this.#join(s));
    s.on('doc', (u) => Y.applyUpdate(this.doc, fromBase64(u), 'server'));
    s.on('self', (v) => (this.self = v));
    const again = () => {
      if (this.#socket !== s) return;
      this.#joined = false;
      s.removeAllListeners();
      s.disconnect();
      this.#socket = null;
      // The next node, as a load balancer would pick when this one is gone.
      this.#at = (this.#at + 1) % this.urls.length;
      setTimeout(() => this.#connect(), 150);
    };
    s.on('disconnect', again);
    s.on('connect_error', again);
  }

  async #join(s: Socket<ServerEvents, ClientEvents>): Promise<void> {
    const sv = this.doc.store.clients.size ? { stateVector: Y.encodeStateVector(this.doc) } : {};
    const req = { ...this.joinAs, ...sv } as JoinRequest;
    let res: Result<JoinReply>;
    try {
      // As the browser client: 8 s for an answer, then a fresh connection.
      res = await s.timeout(8000).emitWithAck('join', req);
    } catch {
      if (this.#socket === s) s.disconnect();
      return;
    }
    if (this.#socket !== s) return;
    if (!res.ok) {
      if (res.code === 'unknown_workshop' || res.code === 'forbidden') throw new Error(`join refused: ${res.code}`);
      setTimeout(() => this.#socket === s && s.connected && void this.#join(s), 300);
      return;
    }
    Y.applyUpdate(this.doc, new Uint8Array(res.update), 'server');
    this.self = res.self;
    this.joins++;
    this.joinedAt = Date.now();
    this.#joined = true;
    for (const w of this.#joinedWaiters.splice(0)) w();
  }

  /** Resolves once the phone is joined (now, or after its next rejoin). */
  whenJoined(): Promise<void> {
    return this.#joined ? Promise.resolve() : new Promise((r) => this.#joinedWaiters.push(r));
  }

  /**
   * Send a command and keep sending it (same id) until it gets a real answer: ok or a refusal.
   * Gives up after `ms` (then the command counts as never acknowledged).
   */
  async send(cmd: CommandInput, id = cmdId(), ms = 60_000): Promise<Result<CommandReply> | null> {
    const end = Date.now() + ms;
    while (!this.#closed && Date.now() < end) {
      await Promise.race([this.whenJoined(), sleep(500)]);
      const s = this.#socket;
      if (!this.#joined || !s) continue;
      let res: Result<CommandReply>;
      try {
        res = await s.timeout(8000).emitWithAck('cmd', { ...cmd, id } as Command);
      } catch {
        // No answer in 8 s: as the browser client, a fresh connection (the node may be paused),
        // and the same command again after the rejoin.
        if (this.#socket === s) s.disconnect();
        continue;
      }
      const all = this.answers.get(id) ?? [];
      all.push(res);
      this.answers.set(id, all);
      if (!res.ok && RETRY.has(res.code)) {
        await sleep(200);
        continue;
      }
      return res;
    }
    return null;
  }

  /** Hang up for good. */
  close(): void {
    this.#closed = true;
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
  }
}

/** Poll until a check holds: cluster tests wait out failovers, so 20 s by default. */
export const eventually = (check: () => boolean | Promise<boolean>, what: string, ms = 20_000) => until(check, what, ms, 50);

/**
 * This machine's pace right now: how long a projector takes to join `code` through `urls` (the
 * routing, the owner's answer, the document). Failover bounds scale with it, so a shared two-core
 * machine that is slow for everything is not taken for a failover that is slow.
 */
export async function joinPace(urls: string[], code: string): Promise<number> {
  const t0 = performance.now();
  const screen = new Phone(urls, { as: 'screen', code });
  await screen.whenJoined();
  screen.close();
  return performance.now() - t0;
}
