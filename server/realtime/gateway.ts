import type { Server, Socket } from 'socket.io';
import * as Y from 'yjs';
import { commandSchema, joinSchema } from '../../shared/commands.ts';
import type { ClientEvents, JoinReply, ServerEvents } from '../../shared/events.ts';
import { OwnedElsewhere } from '../cluster/lease.ts';
import { facilitator, findLink, participant, SCREEN, type Actor } from '../workshop/actor.ts';
import { dispatch } from '../workshop/dispatch.ts';
import type { Registry } from '../workshop/registry.ts';
import { fail, invalid, ok } from '../workshop/result.ts';
import { selfView } from '../workshop/self-view.ts';
import { statsOf } from '../workshop/stats.ts';
import type { Workshop } from '../workshop/workshop.ts';
import { TokenBucket } from './rate-limit.ts';
import { roomOf, selfRoomOf, type SocketFanout } from './socket-fanout.ts';

interface SocketData {
  w: Workshop | null;
  actor: Actor | null;
  commands: TokenBucket;
  joins: TokenBucket;
}

export type GatewayIO = Server<ClientEvents, ServerEvents, Record<string, never>, SocketData>;
type IOSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

/** A state vector is a few bytes per writer; the server is the only writer, so it is tiny. */
const MAX_STATE_VECTOR = 4096;
const KNOWN_EVENTS = new Set(['join', 'cmd', 'time']);

/** The socket side: join, command dispatch, leave. What a change means to whom is the fan-out's. */
export function attachGateway(io: GatewayIO, registry: Registry, fanout: SocketFanout, now: () => number): void {
  fanout.io = io;
  io.on('connection', (socket: IOSocket) => {
    socket.data = { w: null, actor: null, commands: new TokenBucket(40, 20, now), joins: new TokenBucket(10, 1, now) };

    socket.on('join', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack(await join(socket, raw));
      } catch (err) {
        // Another node kept the workshop (it moved while this socket connected): the phone
        // reconnects, and the router sends it to the owner.
        if (err instanceof OwnedElsewhere) return void socket.disconnect(true);
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
        if (!parsed.success) return ack(invalid(parsed.error));
        const cmd = parsed.data;
        // Acknowledged once durable, before the room hears (Workshop.run); the client waits for
        // the change to reach its own replica before it calls the command done.
        await w.run(() => dispatch(w, actor, cmd, now()), { actor, commandId: cmd.id, durable: ack });
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
    const w = await registry.find(req.code);
    if (!w) return fail('unknown_workshop');
    let actor: Actor;
    if (req.as === 'facilitator') {
      const link = findLink(w.private, req.key);
      if (!link) return fail('forbidden', { what: 'That facilitator link is not valid for this workshop.' });
      actor = facilitator(link.id);
    } else if (req.as === 'participant') {
      if (w.phase === 'closed') return fail('closed');
      actor = participant(w.id, req.token);
    } else {
      actor = SCREEN;
    }
    if (req.stateVector && req.stateVector.byteLength > MAX_STATE_VECTOR) return fail('bad_request', { what: 'stateVector is too large' });
    if (socket.data.w || socket.disconnected) return fail('already_joined');
    // From here to the end is synchronous: the catch-up and room membership see the same state.
    if (actor.role === 'participant') w.register(actor.key);
    let update: Uint8Array;
    try {
      update = req.stateVector ? Y.encodeStateAsUpdate(w.doc, new Uint8Array(req.stateVector)) : Y.encodeStateAsUpdate(w.doc);
    } catch {
      update = Y.encodeStateAsUpdate(w.doc);
    }
    socket.data.w = w;
    socket.data.actor = actor;
    socket.join(roomOf(w));
    if (actor.key) socket.join(selfRoomOf(w, actor.key));
    w.presence.add(socket.id, actor.role, actor.key);
    fanout.stats(w);
    const reply: JoinReply = {
      role: actor.role,
      update,
      self: actor.role === 'screen' ? null : selfView(w, actor.key),
      stats: statsOf(w),
      serverTime: now(),
    };
    return ok(reply);
  }
}
