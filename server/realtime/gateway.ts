import type { Server, Socket } from 'socket.io';
import * as Y from 'yjs';
import { commandSchema, joinSchema, type Role } from '../../shared/commands.ts';
import type { ClientEvents, JoinReply, ServerEvents } from '../../shared/events.ts';
import { isWellFormedCode, normalizeCode, participantId, sameHash, sha256 } from '../workshop/keys.ts';
import type { Registry } from '../workshop/registry.ts';
import { dispatch } from '../workshop/dispatch.ts';
import { fail, ok } from '../workshop/result.ts';
import type { Actor, Effects, Fanout, Workshop } from '../workshop/workshop.ts';
import { TokenBucket } from './rate-limit.ts';

interface SocketData {
  w: Workshop | null;
  actor: Actor | null;
  commands: TokenBucket;
  joins: TokenBucket;
}

export type IO = Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
type IOSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

/** A state vector is a few bytes per writer; the server is the only writer, so it is tiny. */
const MAX_STATE_VECTOR = 4096;
/** Counts are coalesced: a big room hears them at most once a second (docs/BENCHMARKS.md). */
const statsDelay = (w: Workshop) => Math.min(1000, 100 + 3 * w.connections.size);
const KNOWN_EVENTS = new Set(['join', 'cmd', 'time']);

export const roomOf = (w: Workshop) => `w:${w.id}`;
/** Every socket of one person (tabs, reconnects) shares this room for their private view. */
export const selfRoomOf = (w: Workshop, key: string) => `p:${w.id}:${key}`;

const firstIssue = (e: { issues: Array<{ path: PropertyKey[]; message: string }> }) => {
  const i = e.issues[0];
  return i ? `${i.path.map(String).join('.') || 'message'}: ${i.message}` : 'invalid';
};

/** Sends what a committed change means to each audience. Counts are coalesced per workshop. */
export class SocketFanout implements Fanout {
  io!: IO;
  readonly #statsDue = new Map<Workshop, NodeJS.Timeout>();

  committed(w: Workshop, e: Effects): void {
    // One text frame per socket, encoded once for the room (shared/base64.ts says why).
    if (e.update)
      this.io.to(roomOf(w)).emit('doc', Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength).toString('base64'));
    for (const key of e.selves) this.io.to(selfRoomOf(w, key)).emit('self', w.selfView(key));
    if (e.stats) this.stats(w);
  }

  stats(w: Workshop): void {
    if (this.#statsDue.has(w)) return;
    this.#statsDue.set(
      w,
      setTimeout(() => {
        this.#statsDue.delete(w);
        this.io.to(roomOf(w)).emit('stats', w.stats());
      }, statsDelay(w)),
    );
  }

  close(): void {
    for (const t of this.#statsDue.values()) clearTimeout(t);
    this.#statsDue.clear();
  }
}

export function attachGateway(io: IO, registry: Registry, fanout: SocketFanout, now: () => number): void {
  fanout.io = io;
  io.on('connection', (socket: IOSocket) => {
    socket.data = { w: null, actor: null, commands: new TokenBucket(40, 20, now), joins: new TokenBucket(10, 1, now) };

    socket.on('join', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack(await join(socket, raw));
      } catch (err) {
        console.error('join failed', err);
        ack(fail('internal'));
      }
    });

    socket.on('cmd', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      try {
        if (!socket.data.commands.take()) return ack(fail('rate_limited'));
        const { w, actor } = socket.data;
        if (!w || !actor) return ack(fail('not_joined'));
        const parsed = commandSchema.safeParse(raw);
        if (!parsed.success) return ack(fail('bad_request', { what: firstIssue(parsed.error) }));
        const cmd = parsed.data;
        // Acknowledged once durable, before the room hears (Workshop.run); the client waits for
        // the change to reach its own replica before it calls the command done.
        const res = await w.run(actor, cmd.id, () => dispatch(w, actor, cmd, now()), ack);
        if (w.broken) {
          registry.evict(w);
          io.in(roomOf(w)).disconnectSockets(true);
        } else if (res.ok && cmd.type === 'cofacilitator.revoke') {
          io.in(selfRoomOf(w, `f:${cmd.linkId}`)).emit('ended', 'This facilitator link was revoked.');
          io.in(selfRoomOf(w, `f:${cmd.linkId}`)).disconnectSockets(true);
        }
      } catch (err) {
        console.error('command failed', err);
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
        (last as (r: unknown) => void)(fail('bad_request', { what: `unknown event "${event}"` }));
    });

    socket.on('disconnect', () => {
      const { w } = socket.data;
      if (!w) return;
      w.connections.delete(socket.id);
      fanout.stats(w);
      if (w.connections.size === 0) registry.release(w);
    });
  });

  async function join(socket: IOSocket, raw: unknown) {
    if (!socket.data.joins.take()) return fail('rate_limited');
    if (socket.data.w) return fail('already_joined');
    const parsed = joinSchema.safeParse(raw);
    if (!parsed.success) return fail('bad_request', { what: firstIssue(parsed.error) });
    const req = parsed.data;
    const code = normalizeCode(req.code);
    const w = isWellFormedCode(code) ? await registry.byCode(code) : null;
    if (!w) return fail('unknown_workshop');
    let actor: Actor;
    if (req.as === 'facilitator') {
      const hash = sha256(req.key);
      const key = [...w.keys.values()].find((k) => !k.revoked && sameHash(k.keyHash, hash));
      if (!key) return fail('forbidden', { what: 'That facilitator link is not valid for this workshop.' });
      actor = { role: 'facilitator', key: `f:${key.id}` };
    } else if (req.as === 'participant') {
      if (w.phase === 'closed') return fail('closed');
      actor = { role: 'participant', key: participantId(w.id, req.token) };
    } else {
      actor = { role: 'screen', key: '' };
    }
    let sv: Uint8Array | undefined;
    if (req.stateVector) {
      if (req.stateVector.byteLength > MAX_STATE_VECTOR) return fail('bad_request', { what: 'stateVector is too large' });
      sv = new Uint8Array(req.stateVector);
    }
    if (actor.role === 'participant') {
      const registered = await w.run(null, null, () => {
        w.addParticipant(actor.key);
        return ok();
      });
      if (!registered.ok) return registered;
    }
    if (socket.data.w || socket.disconnected) return fail('already_joined');
    // From here to the end is synchronous: the catch-up and room membership see the same state.
    let update: Uint8Array;
    try {
      update = Y.encodeStateAsUpdate(w.doc, sv);
    } catch {
      update = Y.encodeStateAsUpdate(w.doc);
    }
    socket.data.w = w;
    socket.data.actor = actor;
    socket.join(roomOf(w));
    if (actor.key) socket.join(selfRoomOf(w, actor.key));
    w.connections.set(socket.id, { role: actor.role as Role, key: actor.key || null });
    fanout.stats(w);
    const reply: JoinReply = {
      role: actor.role,
      update,
      self: actor.role === 'screen' ? null : w.selfView(actor.key),
      stats: w.stats(),
      serverTime: now(),
    };
    return ok(reply);
  }
}
