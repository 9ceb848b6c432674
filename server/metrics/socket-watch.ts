import { randomBytes } from 'node:crypto';
import { commandSchema } from '../../shared/commands.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import type { GatewayIO } from '../realtime/gateway.ts';
import { truncatedAddress } from '../log/address.ts';
import { log } from '../log/logger.ts';
import { SOCKET_ROLES, type Metrics, type SocketRole } from './metrics.ts';

const COMMAND_TYPES: ReadonlySet<string> = new Set(commandSchema.options.map((o) => o.shape.type.value));
const JOIN_ROLES: ReadonlySet<string> = new Set(['participant', 'facilitator', 'screen']);
const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** A value from a client as a label: only a name from the fixed list, else `other`. */
const known = (names: ReadonlySet<string>, raw: unknown): string => (typeof raw === 'string' && names.has(raw) ? raw : 'other');
const field = (raw: unknown, name: string): unknown =>
  raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[name] : undefined;
const outcomeOf = (reply: unknown): string => (field(reply, 'ok') === true ? 'ok' : known(CODES, field(reply, 'code')));

/**
 * Watches every socket from outside the gateway: each `join` and `cmd` is timed from its arrival
 * to its acknowledgement and counted by kind and outcome (metrics), and a debug line is written
 * for each. Installed before the gateway, so its middleware runs first and sees the events the
 * gateway then refuses for flooding. Lines name a socket by a random id of their own (socket.io's
 * id is a credential of its polling transport) and never carry what a client sent.
 */
export function watchSockets(io: GatewayIO, metrics: Metrics | undefined): void {
  io.on('connection', (socket) => {
    const conn = randomBytes(6).toString('base64url');
    log.debug({ conn, addr: truncatedAddress(socket.data?.address) }, 'socket connected');
    socket.use((packet, next) => {
      const [event, raw] = packet;
      const last = packet.length - 1;
      const ack = packet[last] as unknown;
      if ((event === 'cmd' || event === 'join') && last > 0 && typeof ack === 'function') {
        const started = performance.now();
        packet[last] = (reply: unknown) => {
          const seconds = (performance.now() - started) / 1000;
          const outcome = outcomeOf(reply);
          if (event === 'cmd') {
            const type = known(COMMAND_TYPES, field(raw, 'type'));
            metrics?.command(type, outcome, seconds);
            if (outcome === 'rate_limited') metrics?.limited('socket');
            log.debug({ conn, type, outcome, ms: Math.round(seconds * 1000) }, 'command');
          } else {
            const role = known(JOIN_ROLES, field(raw, 'as'));
            metrics?.join(role, outcome);
            log.debug({ conn, role, outcome }, 'join');
          }
          (ack as (r: unknown) => void)(reply);
        };
      }
      next();
    });
    socket.on('disconnect', (reason) => log.debug({ conn, reason }, 'socket closed'));
  });
  // A connection refused before its handshake (allowRequest: the address's allowance is spent).
  io.engine.on('connection_error', (err: { code?: number }) => {
    if (err.code === 4) metrics?.limited('connect');
  });
}

/** Connected sockets by role, as the gateway has them. */
export function socketsByRole(io: GatewayIO): Record<SocketRole, number> {
  const counts = Object.fromEntries(SOCKET_ROLES.map((r) => [r, 0])) as Record<SocketRole, number>;
  for (const s of io.of('/').sockets.values()) counts[s.data.actor?.role ?? 'unjoined']++;
  return counts;
}
