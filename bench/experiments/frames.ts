import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';

/**
 * What a room broadcast costs per recipient, server and client CPU, when a Yjs update goes out as
 * binary (socket.io sends a text header frame plus a binary attachment frame, encoded for each
 * socket) or as a base64 string (one text frame, which socket.io encodes once for the whole room).
 *   npx tsx bench/experiments/frames.ts [clients=300] [updates=500]
 */
const [mode, url, count] = process.argv.slice(2);

if (mode === 'clients') {
  // A child process holding half the room.
  let got = 0;
  const sockets = Array.from({ length: Number(count) }, () => {
    const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    s.on('doc', (u: Buffer | string) => {
      if (typeof u === 'string') Buffer.from(u, 'base64');
      got++;
    });
    return s;
  });
  let ready = 0;
  for (const s of sockets) s.on('connect', () => ++ready === sockets.length && process.send!('ready'));
  process.on('message', (m) => {
    if (m === 'count') process.send!({ got, cpu: process.cpuUsage() });
    if (m === 'exit') {
      for (const s of sockets) s.close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
} else {
  const clients = Number(process.argv[2] ?? 300);
  const updates = Number(process.argv[3] ?? 500);
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const where = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  io.on('connection', (s) => s.join('room'));
  const self = fileURLToPath(import.meta.url);
  const kids = [0, 1].map(() => fork(self, ['clients', where, String(clients / 2)], { execArgv: ['--import', 'tsx'] }));
  await Promise.all(kids.map((k) => new Promise((r) => k.once('message', r))));
  type Count = { got: number; cpu: NodeJS.CpuUsage };
  const counts = () => Promise.all(kids.map((k) => new Promise<Count>((r) => (k.once('message', (m) => r(m as Count)), k.send('count')))));
  const update = Uint8Array.from({ length: 160 }, (_, i) => i);
  for (const variant of ['binary', 'base64', 'binary', 'base64']) {
    const before = await counts();
    const c0 = process.cpuUsage();
    for (let i = 0; i < updates; i++) {
      io.to('room').emit('doc', variant === 'binary' ? update : Buffer.from(update).toString('base64'));
      await new Promise((r) => setImmediate(r));
    }
    const server = process.cpuUsage(c0);
    await new Promise((r) => setTimeout(r, 1500));
    const after = await counts();
    const clientUs = after.reduce((a, x, i) => a + x.cpu.user + x.cpu.system - before[i].cpu.user - before[i].cpu.system, 0);
    const per = updates * clients;
    console.log(
      `${variant.padEnd(7)} per recipient: server ${((server.user + server.system) / per).toFixed(1)} µs, client ${(clientUs / per).toFixed(1)} µs` +
        ` (${after.reduce((a, x, i) => a + x.got - before[i].got, 0)} of ${per} delivered)`,
    );
  }
  for (const k of kids) k.send('exit');
  setTimeout(() => process.exit(0), 500);
}
