import { XHR } from 'engine.io-client';
import { io, type Socket } from 'socket.io-client';
import { applyUpdate, Doc, encodeStateAsUpdate, encodeStateVector, encodeStateVectorFromUpdate } from 'yjs';
import { fromBase64 } from '../../../shared/base64.ts';
import type { JoinRequest } from '../../../shared/commands.ts';
import type { Result } from '../../../shared/errors.ts';
import type { ClientEvents, JoinReply, ServerEvents } from '../../../shared/events.ts';
import { EarlyWebSocket } from './early-socket.ts';
import { readEmbedded } from './offline-copy.ts';
import { participantToken } from './storage.ts';

/**
 * The heavy half of a live page: Yjs and socket.io. Pages draw first (from the board the server
 * put into the HTML) and take commands into the outbox at once; this chunk loads alongside and
 * connects (workshop-client.svelte.ts). See docs/ARCHITECTURE.md, "The phone's first load".
 */
/**
 * The parts of Yjs the pages use, by name: `export * as Y` kept all of Yjs in the bundle
 * (17 KB more, 5 KB gzipped, than the page had before the split).
 */
export const Y = { Doc, applyUpdate, encodeStateAsUpdate, encodeStateVector };

type LiveSocket = Socket<ServerEvents, ClientEvents>;

/** A participant's join sent as soon as the connection was up, before the page's client had started. */
export interface EarlyJoin {
  /** The server's answer (null: none came; the client joins again itself). */
  reply: Promise<Result<JoinReply> | null>;
  /** What the server sent after that answer, before the client took the socket over, in order. */
  heard: Array<[string, unknown[]]>;
}

interface Early {
  code: string;
  socket: LiveSocket;
  /** On the connection it was sent on (socket.id), with what was heard since. */
  join: (EarlyJoin & { sid: string; hear: (event: string, ...args: unknown[]) => void }) | null;
  send: () => void;
}

let early: Early | null = null;

const EARLY_JOIN_TIMEOUT_MS = 8000;

const connect = (code: string, url = '/'): LiveSocket =>
  io(url, {
    // WebSocket first, taking the one the first paint opened if there is one; long-polling where
    // a WebSocket cannot get through.
    transports: [EarlyWebSocket, XHR],
    // Names the workshop on every request of the connection, so any node (or the load
    // balancer) sends it to the workshop's owner (docs/DEPLOYMENT.md).
    query: { w: code },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });

/**
 * Open the participant page's connection as soon as this chunk has loaded, while the page is
 * still drawing (client/src/main.ts), and join as this phone's participant as soon as it is up:
 * the handshake and the join overlap the drawing instead of following it. The join asks only for
 * what the document in the page's HTML lacks. What the server sends until the page's client
 * takes the socket over (openSocket) is kept for it.
 */
export function preconnect(code: string): void {
  if (early) return;
  const socket = connect(code);
  const state: Early = {
    code,
    socket,
    join: null,
    send: () => {
      const heard: Array<[string, unknown[]]> = [];
      const hear = (event: string, ...args: unknown[]) => void heard.push([event, args]);
      socket.onAny(hear);
      const req = { as: 'participant', code, token: participantToken(code), stateVector: embeddedStateVector(code) } as JoinRequest;
      const reply = socket
        .timeout(EARLY_JOIN_TIMEOUT_MS)
        .emitWithAck('join', req)
        .catch(() => null);
      state.join = { sid: socket.id!, reply, heard, hear };
    },
  };
  socket.once('connect', state.send);
  early = state;
}

/** The state vector of the document the server put into the page, if there is one. */
function embeddedStateVector(code: string): Uint8Array | undefined {
  const { update } = readEmbedded(code);
  try {
    return update ? encodeStateVectorFromUpdate(fromBase64(update)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The connection for a workshop: the one opened early, if it is for this workshop, else a new
 * one; with the early join, if one was made on the connection as it is now. From here on the
 * caller's own listeners hear everything: call it, then add them, in one go.
 */
export function openSocket(code: string, url?: string): { socket: LiveSocket; joined: EarlyJoin | null } {
  const kept = early;
  early = null;
  if (kept) {
    kept.socket.off('connect', kept.send);
    if (kept.join) kept.socket.offAny(kept.join.hear);
  }
  // Unless the server has dropped it meanwhile (it gives a connection 10 s to join).
  if (kept && kept.code === code && url === undefined && kept.socket.active) {
    const join = kept.join && kept.join.sid === kept.socket.id ? { reply: kept.join.reply, heard: kept.join.heard } : null;
    return { socket: kept.socket, joined: join };
  }
  kept?.socket.disconnect();
  return { socket: connect(code, url), joined: null };
}
