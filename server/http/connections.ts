import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { limitKey } from '../guard/address-limits.ts';

/** TCP connections open at once from one address (its sockets' share, MAX_SOCKETS_PER_ADDRESS, and some pages). */
export const CONNECTIONS_PER_ADDRESS = 2500;
/** A connection must have sent a whole request (or a WebSocket upgrade) by then. */
export const FIRST_REQUEST_MS = 10_000;
/** Room kept below the process's file limit for the database, the workers and the other nodes. */
const SPARE_FILES = 512;

/** The process's open-file limit, from Linux's /proc (10,000 where it cannot be read). */
function fileLimit(): number {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : 10_000;
  } catch {
    return 10_000;
  }
}

/**
 * What one TCP connection may hold (issue 21: 20,000 connections sending nothing took every file
 * descriptor; new clients were reset for 30 s, idle ones reaped only after ~66 s):
 * - a whole request within FIRST_REQUEST_MS of connecting, its headers within 10 s of starting
 *   them, the whole request within 30 s;
 * - at most CONNECTIONS_PER_ADDRESS at once from one address (a trusted proxy, which carries many
 *   clients, excepted), and in all fewer than the process's file limit.
 */
export function guardConnections(http: Server, trusted: (addr: string) => boolean): void {
  http.headersTimeout = 10_000;
  http.requestTimeout = 30_000;
  http.maxConnections = Math.max(256, fileLimit() - SPARE_FILES);
  const open = new Map<string, number>();
  const waiting = new Map<Socket, NodeJS.Timeout>();
  const answered = (socket: Socket) => {
    clearTimeout(waiting.get(socket));
    waiting.delete(socket);
  };
  http.on('connection', (socket: Socket) => {
    waiting.set(
      socket,
      setTimeout(() => socket.destroy(), FIRST_REQUEST_MS),
    );
    const peer = socket.remoteAddress ?? '';
    const key = trusted(peer) ? null : limitKey(peer);
    socket.once('close', () => {
      answered(socket);
      if (!key) return;
      const n = (open.get(key) ?? 1) - 1;
      if (n > 0) open.set(key, n);
      else open.delete(key);
    });
    if (!key) return;
    const n = (open.get(key) ?? 0) + 1;
    open.set(key, n);
    if (n > CONNECTIONS_PER_ADDRESS) socket.destroy();
  });
  http.on('request', (req) => answered(req.socket));
  http.on('upgrade', (req) => answered(req.socket));
}
