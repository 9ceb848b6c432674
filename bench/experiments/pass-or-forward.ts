/**
 * The choice behind "a socket on a non-owner is served through the owner" (docs/ARCHITECTURE.md,
 * "Several nodes"), measured on its busiest path: a room broadcast reaching sockets on the
 * other node. Two real processes, A (the owner, which emits) and B; half the sockets on each.
 *   pass:     B's sockets are WebSockets passed through B to A by server/cluster/forward.ts
 *             (what the server does); A emits to its own sockets only.
 *   forward:  B's sockets live on B; A emits through @socket.io/redis-streams-adapter, and B
 *             delivers what it reads from Redis (the alternative).
 * Each broadcast is a base64 text frame of a note-sized Yjs update. Reported: delivery latency
 * to the sockets on B, and CPU (A + B, and Redis for forward) per broadcast.
 *   npx tsx bench/experiments/pass-or-forward.ts [--sockets 100] [--broadcasts 600]
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { fork, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { forwardUpgrade } from '../../server/cluster/forward.ts';
import { mono, sleep } from '../clock.ts';
import { cpuSeconds } from '../monitor.ts';
import { freePort } from '../servers.ts';
import { summarize } from '../stats.ts';

const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const role = process.env.PASS_OR_FORWARD_ROLE;

/** A node: socket.io on a port; with a stream name, on the Redis streams adapter. */
async function runNode(): Promise<void> {
  const port = Number(process.env.PORT);
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  const stream = process.env.STREAM;
  if (stream)
    io.adapter(createAdapter(new Redis(REDIS_URL, { maxRetriesPerRequest: null }), { streamName: stream, channelPrefix: stream }));
  io.on('connection', (s) => void s.join('room'));
  const owner = process.env.OWNER_URL;
  if (owner) {
    // B in "pass": every upgrade goes to A, as the router does for a workshop A owns.
    http.removeAllListeners('upgrade');
    http.on('upgrade', (req, socket, head) => forwardUpgrade(req, socket, head, owner, { 'x-fishbone-node': 'b' }, () => socket.destroy()));
  }
  process.on('message', (m: { emit?: { n: number; local: boolean; payload: string } }) => {
    if (!m.emit) return;
    const { n, local, payload } = m.emit;
    const to = local ? io.local.to('room') : io.to('room');
    to.emit('doc', `${mono().toFixed(3)} ${n} ${payload}`);
  });
  http.listen(port, '127.0.0.1', () => process.send!({ ready: true }));
}

async function start(env: Record<string, string>) {
  const child = fork(new URL(import.meta.url).pathname, [], {
    env: { ...process.env, PASS_OR_FORWARD_ROLE: 'node', ...env },
    execArgv: ['--import', 'tsx'],
  });
  await new Promise<void>((r) => child.on('message', (m: { ready?: boolean }) => m.ready && r()));
  return child;
}

const redisPid = (): number | null => {
  try {
    return Number(
      execFileSync('redis-cli', ['-u', REDIS_URL, 'info', 'server'])
        .toString()
        .match(/process_id:(\d+)/)![1],
    );
  } catch {
    return null;
  }
};

async function measure(mode: 'pass' | 'forward', sockets: number, broadcasts: number) {
  const [pa, pb] = [await freePort(), await freePort()];
  const stream = mode === 'forward' ? `pass-or-forward-${process.pid}-${Date.now()}` : '';
  const a = await start({ PORT: String(pa), STREAM: stream });
  const b = await start({ PORT: String(pb), STREAM: stream, OWNER_URL: mode === 'pass' ? `http://127.0.0.1:${pa}` : '' });
  const clients: Socket[] = [];
  const latencies: number[] = [];
  let received = 0;
  for (let i = 0; i < sockets; i++) {
    const onB = i % 2 === 1;
    const c = connect(`http://127.0.0.1:${onB ? pb : pa}`, { transports: ['websocket'], forceNew: true });
    c.on('doc', (m: string) => {
      received++;
      if (onB) latencies.push(mono() - Number(m.slice(0, m.indexOf(' '))));
    });
    clients.push(c);
  }
  await Promise.all(clients.map((c) => new Promise<void>((r) => (c.connected ? r() : c.once('connect', () => r())))));
  await sleep(500);
  const payload = Buffer.alloc(150, 7).toString('base64');
  const rp = mode === 'forward' ? redisPid() : null;
  const cpu0 = { a: cpuSeconds(a.pid!)!, b: cpuSeconds(b.pid!)!, r: rp ? cpuSeconds(rp) : null };
  for (let n = 0; n < broadcasts; n++) {
    a.send({ emit: { n, local: mode === 'pass', payload } });
    await sleep(10);
  }
  const end = Date.now() + 10_000;
  while (received < sockets * broadcasts && Date.now() < end) await sleep(20);
  const cpu = {
    a: cpuSeconds(a.pid!)! - cpu0.a,
    b: cpuSeconds(b.pid!)! - cpu0.b,
    r: rp && cpu0.r !== null ? cpuSeconds(rp)! - cpu0.r : null,
  };
  clients.forEach((c) => c.disconnect());
  a.kill('SIGKILL');
  b.kill('SIGKILL');
  if (stream) {
    const r = new Redis(REDIS_URL);
    await r.del(stream);
    r.disconnect();
  }
  const per = (s: number) => Math.round((s * 1e6) / broadcasts) / 1000;
  return {
    mode,
    delivered: `${received}/${sockets * broadcasts}`,
    latency_on_b: summarize(latencies),
    cpu_ms_per_broadcast: { a: per(cpu.a), b: per(cpu.b), redis: cpu.r === null ? null : per(cpu.r) },
  };
}

if (role === 'node') {
  await runNode();
} else {
  const { values } = parseArgs({
    options: { sockets: { type: 'string', default: '100' }, broadcasts: { type: 'string', default: '600' } },
  });
  const sockets = Number(values.sockets);
  const broadcasts = Number(values.broadcasts);
  console.log(`pass-or-forward: ${sockets} sockets (half on B), ${broadcasts} broadcasts of a note-sized update, every 10 ms`);
  for (const mode of ['pass', 'forward', 'pass', 'forward'] as const) {
    const r = await measure(mode, sockets, broadcasts);
    console.log(
      `  ${r.mode.padEnd(7)} delivered ${r.delivered}; on B p50 ${r.latency_on_b.p50} ms, p95 ${r.latency_on_b.p95} ms; CPU ms per broadcast: A ${r.cpu_ms_per_broadcast.a}, B ${r.cpu_ms_per_broadcast.b}${r.cpu_ms_per_broadcast.redis === null ? '' : `, Redis ${r.cpu_ms_per_broadcast.redis}`}`,
    );
  }
  process.exit(0);
}
