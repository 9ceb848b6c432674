import { refusals } from '../../shared/messages/refusals.ts';
import type { Server, Socket } from 'socket.io';
import * as Y from 'yjs';
import { commandSchema, joinSchema } from '../../shared/commands.ts';
import type { ClientEvents, JoinReply, ServerEvents } from '../../shared/events.ts';
import { OwnedElsewhere } from '../cluster/lease.ts';
import { facilitator, findLink, participant, SCREEN, type Actor } from '../workshop/actor.ts';
import { dispatch } from '../workshop/dispatch.ts';
import type { Registry } from '../workshop/registry.ts';
import { fail, invalid, ok } from '../workshop/result.ts';
import { wireSelfView } from '../workshop/self-view.ts';
import { statsOf } from '../workshop/stats.ts';
import type { Workshop } from '../workshop/workshop.ts';
import { isLimited, type Guard } from '../guard/guard.ts';
import { TokenBucket } from '../guard/token-bucket.ts';
import { roomOf, selfRoomOf, type SocketFanout } from './socket-fanout.ts';
import { log } from '../log/logger.ts';

interface SocketData {
  w: Workshop | null;
  actor: Actor | null;
  /** The client's address (as a trusted proxy says, or the TCP peer). */
  address: string;
  /** Every event, whatever it is: a socket that floods is cut off. */
  events: TokenBucket;
  commands: TokenBucket;
  joins: TokenBucket;
  strikes: number;
}

export type GatewayIO = Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
type IOSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

/** What the sweep reads of an engine.io connection: its transport's unsent bytes. */
interface EngineClient {
  close(): void;
  writeBuffer: unknown[];
  transport: { name: string; socket?: { bufferedAmount?: number } };
}

/** Bytes sent to a connection that it has not taken yet (WebSocket), or a long-polling backlog. */
function unread(c: EngineClient): number {
  if (c.transport.name === 'websocket') return c.transport.socket?.bufferedAmount ?? 0;
  // Long-polling holds packets until the next poll; each is at least a small frame.
  return c.writeBuffer.length * 1024;
}

/** A state vector is a few bytes per writer; the server is the only writer, so it is tiny. */
const MAX_STATE_VECTOR = 4096;
const KNOWN_EVENTS = new Set(['join', 'cmd', 'time']);
/** A connection that has not joined a workshop by then is closed: idle sockets cost memory. */
export const JOIN_TIMEOUT_MS = 10_000;
/** A join is answered within this, ready or not (a phone gives up after 8 s). */
export const JOIN_ANSWER_MS = 5000;
/** Events past the socket's allowance before it is disconnected and its address made to wait. */
const STRIKES = 10;
/**
 * Every event the server reads, from everyone: past it events are refused (without a strike:
 * the sender may be a phone like any other). A bound on what many addresses can make it do.
 */
const SERVER_EVENTS = { burst: 40_000, perSecond: 20_000 };
/** Projector screens need no key, so a stranger could open thousands on a public code. */
export const SCREENS_PER_WORKSHOP = 50;
export const SCREENS_PER_ADDRESS = 10;
/**
 * A connection that does not read what it is sent (its bytes pile up in this process, beyond
 * the kernel's own buffer) is closed past this; a phone that is merely slow reads far below it.
 */
export const SLOW_READER_BYTES = 512 * 1024;
const SLOW_READER_SWEEP_MS = 2000;

/** Whether an event's arguments hold binary data (only a join's state vector may). */
function holdsBinary(x: unknown, depth = 0): boolean {
  if (x instanceof ArrayBuffer || ArrayBuffer.isView(x)) return true;
  if (depth > 3 || typeof x !== 'object' || x === null) return false;
  return Object.values(x).some((v) => holdsBinary(v, depth + 1));
}

/**
 * The whole document, as a join with an empty state vector (a new phone) receives it: encoded
 * once until the document next changes. In a join storm every phone asks for the same bytes
 * (issue 17: 300 encodings of the same document were 2 ms of CPU per join on a busy machine).
 */
const wholeDocs = new WeakMap<Y.Doc, Uint8Array>();
function wholeDoc(doc: Y.Doc): Uint8Array {
  let u = wholeDocs.get(doc);
  if (!u) {
    u = Y.encodeStateAsUpdate(doc);
    wholeDocs.set(doc, u);
    doc.once('update', () => wholeDocs.delete(doc));
  }
  return u;
}

/** The socket side: join, command dispatch, leave. What a change means to whom is the fan-out's. */
export function attachGateway(
  io: GatewayIO,
  registry: Registry,
  guard: Guard,
  fanout: SocketFanout,
  now: () => number,
  joinTimeoutMs = JOIN_TIMEOUT_MS,
): void {
  const serverEvents = new TokenBucket(SERVER_EVENTS.burst, SERVER_EVENTS.perSecond, now);
  /** Screens joined per workshop and address (`id address`). */
  const screensFrom = new Map<string, number>();
  // Connections that stopped reading are found on a sweep, not on every write.
  const sweep = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const conn = socket.conn as unknown as EngineClient;
      if (unread(conn) > SLOW_READER_BYTES) conn.close();
    }
  }, SLOW_READER_SWEEP_MS);
  sweep.unref();
  io.engine.on('close', () => clearInterval(sweep));
  // Before a socket exists: its address must hold fewer than its share of open sockets (the
  // connection rate was checked before the handshake, in app.ts).
  io.use((socket, next) => {
    const address = guard.addressOf(socket.request);
    if (!guard.limits.opened(address)) return next(new Error('rate_limited'));
    socket.data = {
      w: null,
      actor: null,
      address,
      events: new TokenBucket(60, 30, now),
      // A phone sends its outbox one at a time; 5 a second is faster than anyone taps.
      commands: new TokenBucket(40, 5, now),
      joins: new TokenBucket(10, 1, now),
      strikes: 0,
    };
    next();
  });
  io.on('connection', (socket: IOSocket) => {
    // Every incoming event spends from one allowance first; past it the event is answered
    // `rate_limited` (or dropped), and a socket that keeps on is cut off.
    // The socket's own allowance, then its address's (many sockets from one place share it),
    // then the server's. Binary data is refused wherever the protocol has no use for it.
    socket.use(([event, ...args], next) => {
      const d = socket.data;
      const ack = args[args.length - 1];
      const refuse = (r: unknown) => typeof ack === 'function' && (ack as (r: unknown) => void)(r);
      if ((event === 'join' || !holdsBinary(args)) && d.events.take() && guard.limits.take('events', d.address) === 0) {
        if (serverEvents.take()) return next();
        return refuse(fail('rate_limited'));
      }
      refuse(fail('rate_limited'));
      if (++d.strikes >= STRIKES) {
        guard.limits.punish(d.address);
        socket.disconnect(true);
      }
    });
    const joinTimer = setTimeout(() => {
      if (!socket.data.w) socket.disconnect(true);
    }, joinTimeoutMs);

    socket.on('join', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      // A join waiting on a workshop's load (another node's lease running out, a database away)
      // is answered before a phone gives up on it (8 s): "unavailable", which it tries again
      // shortly, while the load goes on (issue 25: joins held past the phone's timeout).
      let answered = false;
      const slow = setTimeout(() => {
        answered = true;
        ack(fail('unavailable'));
      }, JOIN_ANSWER_MS);
      const answer = (r: unknown) => {
        clearTimeout(slow);
        if (!answered) ack(r as never);
        answered = true;
      };
      try {
        answer(await join(socket, raw));
      } catch (err) {
        clearTimeout(slow);
        // Another node holds the workshop (it moved while this socket connected): the phone
        // reconnects, and the router sends it to the owner. A connection that did not name its
        // workshop (?w=CODE) would only come back here: it is told why instead.
        if (err instanceof OwnedElsewhere) {
          if (socket.handshake.query.w) return void socket.disconnect(true);
          return answer(fail('bad_request', { what: refusals.badRequest.joinWithoutCode }));
        }
        // The store could not load it (PostgreSQL away, say): the phone tries again.
        log.error({ err }, 'join failed');
        answer(fail('unavailable'));
      }
    });

    socket.on('cmd', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      try {
        if (!socket.data.commands.take()) return ack(fail('rate_limited'));
        const { w, actor } = socket.data;
        if (!w || !actor) return ack(fail('not_joined'));
        const parsed = commandSchema.safeParse(raw);
        if (!parsed.success) return ack(invalid(parsed.error));
        const cmd = parsed.data;
        // Acknowledged once durable, before the room hears (Workshop.run); the client waits for
        // the change to reach its own replica before it calls the command done.
        await w.run(() => dispatch(w, actor, cmd, now()), { actor, commandId: cmd.id, durable: ack });
      } catch (err) {
        log.error({ err }, 'command failed');
        ack(fail('internal'));
      }
    });

    // The acknowledgement is the last argument, whatever a client put before it.
    socket.on('time', (...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack(now());
    });

    // Unknown events get a clear answer where the sender waits for one; Yjs updates a client
    // might send are never read (clients do not write the document).
    socket.onAny((event: string, ...args: unknown[]) => {
      const last = args[args.length - 1];
      if (!KNOWN_EVENTS.has(event) && typeof last === 'function')
        (last as (r: unknown) => void)(fail('bad_request', { what: refusals.badRequest.unknownEvent(event) }));
    });

    socket.on('disconnect', () => {
      clearTimeout(joinTimer);
      guard.limits.closed(socket.data.address);
      const { w, actor } = socket.data;
      if (!w) return;
      if (actor?.role === 'screen') {
        const k = `${w.id} ${socket.data.address}`;
        const n = (screensFrom.get(k) ?? 1) - 1;
        if (n > 0) screensFrom.set(k, n);
        else screensFrom.delete(k);
      }
      w.presence.remove(socket.id);
      fanout.stats(w);
      if (w.presence.size === 0) registry.release(w);
    });
  });

  async function join(socket: IOSocket, raw: unknown) {
    if (!socket.data.joins.take()) return fail('rate_limited');
    if (socket.data.w) return fail('already_joined');
    const parsed = joinSchema.safeParse(raw);
    if (!parsed.success) return invalid(parsed.error);
    const req = parsed.data;
    const w = await guard.find(socket.data.address, req.code);
    if (isLimited(w)) return fail('rate_limited');
    if (!w) return fail('unknown_workshop');
    let actor: Actor;
    if (req.as === 'facilitator') {
      const link = findLink(w.private, req.key);
      if (!link) return fail('forbidden', { what: refusals.forbidden.wrongLink });
      actor = facilitator(link.id);
    } else if (req.as === 'participant') {
      if (w.phase === 'closed') return fail('closed');
      actor = participant(w.id, req.token);
    } else {
      if (w.presence.sockets('screen') >= SCREENS_PER_WORKSHOP)
        return fail('limit_reached', { what: refusals.limitReached.screens(SCREENS_PER_WORKSHOP) });
      if ((screensFrom.get(`${w.id} ${socket.data.address}`) ?? 0) >= SCREENS_PER_ADDRESS)
        return fail('limit_reached', { what: refusals.limitReached.screensHere(SCREENS_PER_ADDRESS) });
      actor = SCREEN;
    }
    if (req.stateVector && req.stateVector.byteLength > MAX_STATE_VECTOR)
      return fail('bad_request', { what: refusals.badRequest.stateVectorTooLarge });
    if (socket.data.w || socket.disconnected) return fail('already_joined');
    // From here to the end is synchronous: the catch-up and room membership see the same state.
    let update: Uint8Array;
    try {
      const sv = req.stateVector ? new Uint8Array(req.stateVector) : null;
      update = sv && Y.decodeStateVector(sv).size > 0 ? Y.encodeStateAsUpdate(w.doc, sv) : wholeDoc(w.doc);
    } catch {
      update = wholeDoc(w.doc);
    }
    // What one place's joins may make the server send: a connection that never reads keeps its
    // answer in the kernel's buffers (a board at the caps answers about a megabyte).
    if (guard.limits.take('joinBytes', socket.data.address, update.byteLength) > 0) return fail('rate_limited');
    if (actor.role === 'participant') w.register(actor.key);
    socket.data.w = w;
    socket.data.actor = actor;
    if (actor.role === 'screen') {
      const k = `${w.id} ${socket.data.address}`;
      screensFrom.set(k, (screensFrom.get(k) ?? 0) + 1);
    }
    socket.join(roomOf(w));
    if (actor.key) socket.join(selfRoomOf(w, actor.key));
    w.presence.add(socket.id, actor.role, actor.key);
    fanout.stats(w);
    const reply: JoinReply = {
      role: actor.role,
      update,
      self: actor.role === 'screen' ? null : wireSelfView(w, actor.key),
      stats: statsOf(w),
      serverTime: now(),
    };
    return ok(reply);
  }
}
