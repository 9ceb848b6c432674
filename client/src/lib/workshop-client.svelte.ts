import type { Socket } from 'socket.io-client';
import type * as Y from 'yjs';
import type { Command, CommandInput, JoinAs, JoinRequest, Role } from '../../../shared/commands.ts';
import { readBoard, type Board } from '../../../shared/doc.ts';
import type { Failure, Result } from '../../../shared/errors.ts';
import type { ClientEvents, CommandReply, JoinReply, SelfView, ServerEvents, Stats } from '../../../shared/events.ts';
import { AckEffects } from '../../../shared/ack-effects.ts';
import { fromBase64 } from '../../../shared/base64.ts';
import { errorMessage } from '../../../shared/messages/core.ts';
import { padCommand } from '../../../shared/padding.ts';
import { OfflineCopy, readEmbedded } from './offline-copy.ts';
import { randomToken } from './storage.ts';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'failed';

/** A command the server refused after it had waited (offline, or across a reload). */
export interface Rejection {
  cmd: Command;
  code: Failure['code'];
  message: string;
}

const ACK_TIMEOUT_MS = 8000;
/** The view without the spaces that hid its size on the wire (kept out of localStorage too). */
const unpadded = ({ pad: _pad, ...view }: SelfView): SelfView => view;
/** How long a live connection may take to answer once the network is back, or the phone wakes. */
const ONLINE_CHECK_MS = 1500;
const WAKE_CHECK_MS = 3000;
/** Answers that are not a refusal: the command is sent again, with the same id. */
const RETRY = new Set<Failure['code']>(['rate_limited', 'unavailable']);
/** Join failures that retrying cannot mend. */
const FATAL = new Set(['unknown_workshop', 'forbidden', 'closed', 'bad_request']);
/** How long to wait before asking again for the sync chunk when it failed to load (offline). */
const SYNC_RETRY_MS = 3000;

type Sync = typeof import('./sync.ts');

/**
 * One workshop, seen from a browser: a read-only Yjs replica kept in step by the server, the
 * private "self" view, the live counts, and an outbox of commands. Commands made while offline
 * wait in the outbox and are sent once the connection is back; their ids make the retry safe.
 * With `offline`, the outbox and the last board are kept in this browser (OfflineCopy), so a
 * reload without network keeps both. Pages read its state; only the server's messages and
 * `send` change it.
 *
 * Yjs and socket.io are not needed to draw the page or to take a command: they load as their own
 * chunk (sync.ts) while the page draws from the plain board the server put into its HTML, and
 * commands sent meanwhile wait in the outbox like any sent offline.
 */
export class WorkshopClient {
  #status = $state<ConnectionState>('connecting');
  #role = $state<Role | null>(null);
  #board = $state.raw<Board | null>(null);
  #self = $state.raw<SelfView | null>(null);
  #stats = $state.raw<Stats | null>(null);
  #failure = $state.raw<Failure | null>(null);
  #pending = $state.raw<Command[]>([]);
  #refused = $state.raw<Rejection[]>([]);
  #clockOffset = $state(0);

  get status(): ConnectionState {
    return this.#status;
  }
  get role(): Role | null {
    return this.#role;
  }
  get board(): Board | null {
    return this.#board;
  }
  get self(): SelfView | null {
    return this.#self;
  }
  get stats(): Stats | null {
    return this.#stats;
  }
  get failure(): Failure | null {
    return this.#failure;
  }
  /** Commands not yet on the board: queued to send, or acknowledged and on their way back. */
  get pending(): Command[] {
    return this.#pending;
  }
  /** Commands refused after they had waited: their control may be long gone, so pages list them. */
  get refused(): Rejection[] {
    return this.#refused;
  }
  /** Server clock minus this device's clock, so every timer shows the same second. */
  get clockOffset(): number {
    return this.#clockOffset;
  }

  #doc: Y.Doc | null = null;
  #socket: Socket<ServerEvents, ClientEvents> | null = null;
  #sync: Sync | null = null;
  #earlyJoin: import('./sync.ts').EarlyJoin | null = null;
  #closed = false;
  readonly #joinAs: JoinAs;
  readonly #offline: OfflineCopy | null;
  /** Ids of commands sent while not connected: their answer may come when nobody watches. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not shown
  readonly #waited = new Set<string>();
  // Callbacks, not state: nothing on screen reads them.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #waiters = new Map<string, (r: Result<CommandReply>) => void>();
  #flushing = false;
  #boardDue = false;
  #joined = false;
  /** Tells when an acknowledged change has reached this replica (shared/ack-effects.ts). */
  readonly #effects = new AckEffects();
  /** The outbox: what still has to be sent (kept in localStorage). */
  #queue: Command[] = [];
  /** Acknowledged, waiting for the change to reach this replica. */
  #settling: Command[] = [];

  constructor(opts: { joinAs: JoinAs; offline?: boolean; url?: string }) {
    this.#joinAs = opts.joinAs;
    this.#offline = opts.offline ? new OfflineCopy(opts.joinAs.code) : null;
    if (this.#offline) {
      // The board the server put in the page shows at once; queued commands from before a
      // reload are sent once the socket is up.
      this.#board = readEmbedded(opts.joinAs.code).board;
      const queued = this.#offline.readOutbox();
      for (const c of queued) this.#waited.add(c.id);
      this.#setQueue(queued);
    }
    this.#loadSync(opts.url);
  }

  /** Yjs and socket.io, then the replica and the connection. */
  #loadSync(url: string | undefined): void {
    import('./sync.ts').then(
      (sync) => {
        if (!this.#closed) this.#start(sync, url);
      },
      () => {
        // No network and nothing cached: the page stays as drawn, the outbox keeps; try again.
        if (this.#closed) return;
        this.#status = navigator.onLine === false ? 'offline' : 'reconnecting';
        setTimeout(() => !this.#closed && this.#loadSync(url), SYNC_RETRY_MS);
      },
    );
  }

  #start(sync: Sync, url: string | undefined): void {
    const { Y } = sync;
    this.#sync = sync;
    const doc = (this.#doc = new Y.Doc());
    // The document the server put in the page is the board already drawn from its plain copy:
    // applied before listening, so the page is not drawn again for the same state.
    if (this.#offline) this.#offline.restoreEmbedded(Y, this.#joinAs.code, doc);
    doc.on('update', () => this.#scheduleBoard());
    if (!this.#board && doc.getMap('meta').size > 0) this.#scheduleBoard();
    if (this.#offline) {
      // Then the last one this phone saw (an update only if it adds something): the join then
      // asks only for what changed since.
      const self = this.#offline.restore(Y, doc);
      if (!this.#self) this.#self = self;
      this.#offline.keep(Y, doc, () => this.#self);
    }
    const { socket, joined } = sync.openSocket(this.#joinAs.code, url);
    this.#socket = socket;
    // A participant page's join may already be under way (sync.ts preconnect): #join takes its answer.
    this.#earlyJoin = joined;
    socket.on('connect', () => void this.#join());
    socket.on('disconnect', () => {
      this.#joined = false;
      if (this.#status !== 'failed') this.#status = navigator.onLine === false ? 'offline' : 'reconnecting';
    });
    socket.on('connect_error', () => {
      if (this.#status !== 'failed') this.#status = navigator.onLine === false ? 'offline' : 'reconnecting';
    });
    socket.on('doc', (u) => {
      Y.applyUpdate(doc, fromBase64(u), 'server');
      this.#effects.arrived();
    });
    socket.on('self', (s) => {
      this.#self = unpadded(s);
      this.#offline?.touch();
      this.#effects.arrived();
    });
    socket.on('stats', (s) => (this.#stats = s));
    socket.on('ended', (reason) => this.#fail({ ok: false, code: 'forbidden', message: reason }));
    addEventListener('online', this.#onOnline);
    addEventListener('offline', this.#onOffline);
    document.addEventListener('visibilitychange', this.#onWake);
    document.addEventListener('resume', this.#onWake); // a frozen page brought back
    // Opened early (sync.ts preconnect) and already up: join now, its 'connect' has passed.
    if (socket.connected) void this.#join();
  }

  /** The server's clock as this device best knows it. */
  serverNow(): number {
    return Date.now() + this.#clockOffset;
  }

  /** Send a command; it waits in the outbox while offline. Resolves with the server's answer. */
  send(input: CommandInput): Promise<Result<CommandReply>> {
    const cmd = { ...input, id: randomToken(12) } as Command;
    if (this.#status !== 'connected') this.#waited.add(cmd.id);
    const answer = new Promise<Result<CommandReply>>((resolve) => this.#waiters.set(cmd.id, resolve));
    this.#setQueue([...this.#queue, cmd]);
    void this.#flush();
    return answer;
  }

  dismissRejection(r: Rejection): void {
    this.#refused = this.#refused.filter((x) => x !== r);
  }

  close(): void {
    this.#closed = true;
    if (this.#doc) this.#offline?.stop(this.#doc);
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
    document.removeEventListener('visibilitychange', this.#onWake);
    document.removeEventListener('resume', this.#onWake);
    this.#socket?.disconnect();
  }

  async #join(): Promise<void> {
    const socket = this.#socket!;
    const { Y } = this.#sync!;
    const doc = this.#doc!;
    const early = this.#earlyJoin;
    this.#earlyJoin = null;
    // A new phone's replica is empty: no state vector, so the request is one text frame (a
    // binary field makes it two); the server then sends the whole document (docs/PROTOCOL.md).
    const req = { ...this.#joinAs, ...(doc.store.clients.size ? { stateVector: Y.encodeStateVector(doc) } : {}) } as JoinRequest;
    let res: Result<JoinReply>;
    try {
      const answer = early ? await early.reply : await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('join', req);
      if (!answer) throw new Error('the early join had no answer');
      res = answer;
    } catch {
      socket.disconnect().connect();
      return;
    }
    if (!res.ok) {
      if (FATAL.has(res.code)) this.#fail(res);
      else setTimeout(() => socket.connected && void this.#join(), 2000);
      return;
    }
    // Only the missing delta arrives on a rejoin: the server diffs against our state vector.
    Y.applyUpdate(doc, new Uint8Array(res.update), 'server');
    this.#role = res.role;
    this.#self = res.self && unpadded(res.self);
    this.#stats = res.stats;
    this.#clockOffset = res.serverTime - Date.now();
    this.#joined = true;
    this.#status = 'connected';
    // What the server sent after the early join's answer, before this client listened: now, in order.
    for (const [event, args] of early?.heard ?? [])
      for (const listener of socket.listeners(event as 'doc')) (listener as (...a: unknown[]) => void)(...args);
    // The join's update redraws the board only if it changed anything ('update' above).
    if (!this.#board) this.#scheduleBoard();
    void this.#syncClock();
    void this.#flush();
  }

  async #syncClock(): Promise<void> {
    const t0 = Date.now();
    try {
      const serverTime = await this.#socket!.timeout(ACK_TIMEOUT_MS).emitWithAck('time');
      const t1 = Date.now();
      this.#clockOffset = serverTime - (t0 + t1) / 2;
    } catch {
      /* keep the estimate from the join */
    }
  }

  /** Send queued commands one by one, in order; stop at the first that gets no answer. */
  async #flush(): Promise<void> {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#joined && this.#queue.length) {
        const cmd = this.#queue[0];
        let res: Result<CommandReply>;
        let mark: number;
        try {
          [res, mark] = await new Promise<[Result<CommandReply>, number]>((resolve, reject) =>
            this.#socket!.timeout(ACK_TIMEOUT_MS).emit('cmd', padCommand(cmd), (err: Error | null, r: Result<CommandReply>) =>
              err ? reject(err) : resolve([r, this.#effects.mark()]),
            ),
          );
        } catch {
          // No answer: keep it queued and send it again, same id, on a fresh connection. The
          // server behind this one may be paused (a node stopped mid-commit): its heartbeat
          // would tell only after 45 s, and a new connection reaches a node that answers.
          this.#reconnectNow();
          break;
        }
        if (!res.ok && RETRY.has(res.code)) {
          // Not refused: it stays queued and goes again with the same id (after a rejoin, if
          // the server dropped the connection to reload the workshop).
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        const waiter = this.#waiters.get(cmd.id);
        this.#waiters.delete(cmd.id);
        const waited = this.#waited.delete(cmd.id);
        if (res.ok) {
          this.#settling.push(cmd);
          this.#setQueue(this.#queue.filter((c) => c.id !== cmd.id));
          // Still shown as pending, and not yet done for whoever waits, until the change is here.
          void this.#effects.after(mark!).then(() => {
            this.#settling = this.#settling.filter((c) => c !== cmd);
            this.#showPending();
            waiter?.(res);
          });
          continue;
        }
        this.#setQueue(this.#queue.filter((c) => c.id !== cmd.id));
        waiter?.(res);
        if (waited || !waiter) this.#refused = [...this.#refused, { cmd, code: res.code, message: res.message }];
      }
    } finally {
      this.#flushing = false;
    }
  }

  #setQueue(cmds: Command[]): void {
    this.#queue = cmds;
    this.#showPending();
    this.#offline?.writeOutbox(cmds);
  }

  #showPending(): void {
    this.#pending = [...this.#queue, ...this.#settling];
  }

  #fail(f: Failure): void {
    this.#failure = { ...f, message: f.message || errorMessage(f.code) };
    this.#status = 'failed';
    // A closed workshop's last board stays readable offline; anything else is forgotten.
    if (f.code !== 'closed') this.#offline?.forget();
    this.#socket?.disconnect();
  }

  #scheduleBoard(): void {
    if (this.#boardDue) return;
    this.#boardDue = true;
    queueMicrotask(() => {
      this.#boardDue = false;
      if (this.#doc && this.#doc.getMap('meta').size > 0) this.#board = readBoard(this.#doc);
    });
  }

  /**
   * The network is back. Whatever the socket did meanwhile, find out now instead of waiting for
   * socket.io's next backoff attempt (up to 5 s) or, when the socket survived the blip, for
   * ever: the banner must match reality within moments (tests/e2e/connection.spec.ts).
   */
  #onOnline = () => {
    if (this.#status === 'failed') return;
    if (this.#status === 'offline') this.#status = 'reconnecting';
    void this.#checkConnection(ONLINE_CHECK_MS);
  };

  #onOffline = () => {
    if (this.#status !== 'failed') this.#status = 'offline';
  };

  /** A phone waking from sleep: make sure the connection is really alive, then catch up. */
  #onWake = () => {
    if (document.visibilityState !== 'visible' || this.#status === 'failed') return;
    void this.#checkConnection(WAKE_CHECK_MS);
  };

  /**
   * Prove the connection with a round trip: an answer means it works (say so, and send what
   * waits); no answer within `ms` means it is dead, so start a fresh one at once. A socket that
   * is not connected is reconnected at once, skipping any backoff timer.
   */
  async #checkConnection(ms: number): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    if (!socket.connected) return this.#reconnectNow();
    try {
      await socket.timeout(ms).emitWithAck('time');
    } catch {
      return this.#reconnectNow();
    }
    if (this.#status === 'failed' || !socket.connected) return;
    if (this.#joined) {
      this.#status = 'connected';
      void this.#flush();
    }
  }

  #reconnectNow(): void {
    if (this.#status === 'failed' || !this.#socket) return;
    // disconnect() cancels a pending backoff timer; connect() then opens a new connection now.
    this.#socket.disconnect().connect();
    this.#status = navigator.onLine === false ? 'offline' : 'reconnecting';
  }
}
