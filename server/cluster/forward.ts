import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { fail } from '../workshop/result.ts';
import { NODE_HEADERS } from './node-auth.ts';

/** The owner could not be connected to: `refused` when nothing listens there (its process is gone). */
export type Unreachable = (refused: boolean) => void;
const refusedBy = (err: unknown) => (err as { code?: string })?.code === 'ECONNREFUSED';

/** Headers about one connection, not the request: never passed on (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade']);

const forwardedFor = (req: IncomingMessage): string => {
  const prior = req.headers['x-forwarded-for'];
  const addr = req.socket.remoteAddress ?? '';
  return prior ? `${String(prior)}, ${addr}` : addr;
};

/**
 * A request for a workshop another node owns, passed to that node as it came (method, path,
 * headers, body) with this node's signed hop headers (`hop`, server/cluster/node-auth.ts), and
 * its answer passed back. `unreachable` is called instead when the owner cannot be connected to;
 * nothing has been read from the request or written to the answer then, so the caller may still
 * serve it here.
 */
export function forwardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  hop: Record<string, string>,
  unreachable: Unreachable,
): void {
  const url = new URL(target);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  Object.assign(headers, hop);
  headers['x-forwarded-for'] = forwardedFor(req);
  let connected = false;
  const up = request({ host: url.hostname, port: url.port, method: req.method, path: req.url, headers, agent: false }, (answer) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && k !== 'transfer-encoding') out[k] = v;
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  // The body goes only once the owner is there, so an unreachable owner leaves it unread.
  up.on('socket', (s) => s.once('connect', () => ((connected = true), req.pipe(up))));
  up.on('error', (err) => {
    if (!connected) return unreachable(refusedBy(err));
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify(fail('unavailable')));
    else res.destroy();
  });
  res.on('close', () => up.destroy());
}

/**
 * A WebSocket upgrade for a workshop another node owns: one TCP connection to that node, the
 * request written as it came, then bytes piped both ways until either side closes. Returns the
 * pipe's socket to the owner (to cut it when the workshop moves), or calls `unreachable`.
 */
export function forwardUpgrade(
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  target: string,
  hop: Record<string, string>,
  unreachable: Unreachable,
): Socket {
  const url = new URL(target);
  const up = connect({ host: url.hostname, port: Number(url.port || 80) });
  let connected = false;
  up.once('connect', () => {
    connected = true;
    let lines = `${req.method} ${req.url} HTTP/${req.httpVersion}\r\n`;
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const k = req.rawHeaders[i].toLowerCase();
      if (!(NODE_HEADERS as readonly string[]).includes(k) && k !== 'x-forwarded-for')
        lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
    }
    for (const [k, v] of Object.entries(hop)) lines += `${k}: ${v}\r\n`;
    lines += `x-forwarded-for: ${forwardedFor(req)}\r\n\r\n`;
    up.write(lines);
    if (head.length) up.write(head);
    up.setNoDelay(true);
    client.pipe(up).pipe(client);
  });
  up.on('error', (err) => {
    if (!connected) unreachable(refusedBy(err));
    else client.destroy();
  });
  // Only a pipe that was up takes the phone's connection down with it: when the owner refused,
  // the connection is being served here (`unreachable`).
  up.on('close', () => connected && client.destroy());
  client.on('error', () => up.destroy());
  client.on('close', () => up.destroy());
  return up;
}
