import { XHR } from 'engine.io-client';
import { io, type Socket } from 'socket.io-client';
import { applyUpdate, Doc, encodeStateAsUpdate, encodeStateVector } from 'yjs';
import type { ClientEvents, ServerEvents } from '../../../shared/events.ts';
import { EarlyWebSocket } from './early-socket.ts';

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

let early: { code: string; socket: LiveSocket } | null = null;

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
 * still drawing (client/src/main.ts): the handshake overlaps the drawing instead of following it.
 * Nothing is sent on it until the page's client joins.
 */
export function preconnect(code: string): void {
  early ??= { code, socket: connect(code) };
}

/** The connection for a workshop: the one opened early, if it is for this workshop, else a new one. */
export function openSocket(code: string, url?: string): LiveSocket {
  const kept = early;
  early = null;
  // Unless the server has dropped it meanwhile (it gives a connection 10 s to join).
  if (kept && kept.code === code && url === undefined && kept.socket.active) return kept.socket;
  kept?.socket.disconnect();
  return connect(code, url);
}
