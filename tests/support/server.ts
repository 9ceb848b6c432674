import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { createApplication, type Application, type Components } from '../../server/app.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/store.ts';
import type { RegistryOptions } from '../../server/workshop/registry.ts';
import type { ReleaseTiming } from '../../server/workshop/disclosure.ts';
import { ADDRESS_LIMITS, type LimitSettings } from '../../server/guard/address-limits.ts';
import type { Command, CommandInput, JoinRequest } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { ClientEvents, CommandReply, JoinReply, ServerEvents } from '../../shared/events.ts';

export type ClientSocket = Socket<ServerEvents, ClientEvents>;

/** A real server on a random port with a real SQLite file in a temporary folder. */
export interface TestServer<S extends Store = SqliteStore> {
  url: string;
  dataDir: string;
  dbFile: string;
  app: Application;
  store: S;
  http: Server;
  stop(): Promise<void>;
}

/**
 * Every test file's scripted clients come from one address (loopback), far more than any venue;
 * the real per-address allowances are tested in tests/abuse/, which passes `realLimits`.
 */
const ROOMY = Object.fromEntries(
  Object.entries(ADDRESS_LIMITS).map(([k, v]) => [k, { burst: v.burst * 1000, perSecond: v.perSecond * 1000 }]),
) as LimitSettings;

/** What an organisation's deployment adds (sign-in, metrics), and a port chosen ahead (a provider must know the callback). */
export type ServerExtras = Pick<Components, 'auth' | 'metrics' | 'metricsToken' | 'publicUrl'> & { port?: number };

/**
 * Counts and moderation batches are released a few seconds after the last input in a real
 * workshop (server/workshop/disclosure.ts). Tests of everything else do not wait seconds for
 * them: they run the same rule (3 people, after a quiet moment) on a short clock. The tests of
 * the rule itself pass the real timing, on the real clock or on one they move by hand.
 */
export const QUICK_RELEASES: ReleaseTiming = { quietMs: 20, jitterMs: 20, maxWaitMs: 200 };

export async function startServer(
  opts: {
    dataDir?: string;
    now?: () => number;
    registry?: RegistryOptions;
    realLimits?: boolean;
    joinTimeoutMs?: number;
    walLimitBytes?: number;
    with?: ServerExtras;
    /** The built client, for browser tests that run the server in their own process (a clock they set). */
    clientDir?: string;
  } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(joinPath(tmpdir(), 'fishbone-test-'));
  const dbFile = joinPath(dataDir, 'fishbone.sqlite');
  return startServerOn(new SqliteStore(dbFile, { walLimitBytes: opts.walLimitBytes }), { ...opts, dataDir, dbFile });
}

/** The same on a store made by the test (PostgreSQL). */
export async function startServerOn<S extends Store>(
  store: S,
  opts: {
    dataDir?: string;
    dbFile?: string;
    now?: () => number;
    registry?: RegistryOptions;
    realLimits?: boolean;
    joinTimeoutMs?: number;
    with?: ServerExtras;
    clientDir?: string;
  } = {},
): Promise<TestServer<S>> {
  const dataDir = opts.dataDir ?? '';
  const dbFile = opts.dbFile ?? '';
  const { port = 0, ...extras } = opts.with ?? {};
  const http = createServer();
  const app = createApplication(http, {
    store,
    now: opts.now,
    registry: { releaseTiming: QUICK_RELEASES, ...opts.registry },
    addressLimits: opts.realLimits ? undefined : ROOMY,
    joinTimeoutMs: opts.joinTimeoutMs,
    ...extras,
    clientDir: opts.clientDir,
  });
  await new Promise<void>((r) => http.listen(port, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    dataDir,
    dbFile,
    app,
    store,
    http,
    async stop() {
      http.closeAllConnections();
      await app.close();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

export interface Created {
  code: string;
  facilitatorKey: string;
  participantUrl: string;
  facilitatorUrl: string;
}

/** Create a workshop; `from` is the address a trusted proxy (on loopback) says the request came from. */
export async function createWorkshop(url: string, body: object = { title: 'Away-day' }, from?: string): Promise<Created> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (from) headers['x-forwarded-for'] = from;
  const res = await fetch(`${url}/api/workshops`, { method: 'POST', headers, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Created;
}

let seq = 0;
export const cmdId = () => `cmd-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
export const newToken = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');

/** `from`: the address a trusted proxy (on loopback) says the connection came from. */
/** A raw socket.io connection; with `code`, named in the query as the browser client does (`?w=CODE`), so any node routes it to the owner. */
export function connectSocket(url: string, from?: string, code?: string): ClientSocket {
  const extraHeaders = from ? { 'x-forwarded-for': from } : undefined;
  return connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
    query: code ? { w: code } : {},
  }) as ClientSocket;
}

export function join(socket: ClientSocket, req: JoinRequest): Promise<Result<JoinReply>> {
  return socket.timeout(5000).emitWithAck('join', req) as Promise<Result<JoinReply>>;
}

export function send(socket: ClientSocket, cmd: CommandInput, id = cmdId()): Promise<Result<CommandReply>> {
  return socket.timeout(5000).emitWithAck('cmd', { ...cmd, id } as Command) as Promise<Result<CommandReply>>;
}
