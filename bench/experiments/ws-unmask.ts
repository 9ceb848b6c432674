import { readFileSync } from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import { freePort, ServerProcess } from '../../tests/support/process.ts';

/**
 * Does `bufferutil` (ws's native helper for unmasking what clients send) pay here? The same
 * server twice, with it and with `WS_NO_BUFFER_UTIL=1`, each receiving 8 MB/s: 20 sockets, each
 * sending 25 `time` events a second with 15 KB of text (the largest message a client may send,
 * 16 KB, is what an attacker sends). Prints the server's CPU per MB received, best of ROUNDS.
 *   npx tsx bench/experiments/ws-unmask.ts [seconds] [rounds]
 */
const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 3);

const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};

async function round(native: boolean): Promise<number> {
  const server = new ServerProcess(await freePort(), native ? {} : { WS_NO_BUFFER_UTIL: '1' });
  await server.start();
  const payload = 'x'.repeat(15 * 1024);
  const sockets: Socket[] = await Promise.all(
    Array.from(
      { length: 20 },
      (_, i) =>
        new Promise<Socket>((resolve) => {
          const s = io(server.url, { transports: ['websocket'], forceNew: true, extraHeaders: { 'x-forwarded-for': `198.18.0.${i + 1}` } });
          s.on('connect', () => resolve(s));
        }),
    ),
  );
  const pid = server.proc!.pid!;
  const c0 = cpuMs(pid);
  let sent = 0;
  const timers = sockets.map((s) =>
    setInterval(() => {
      s.emit('time', payload, () => {});
      sent += payload.length;
    }, 40),
  );
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  timers.forEach(clearInterval);
  const used = cpuMs(pid) - c0;
  sockets.forEach((s) => s.close());
  await server.stop();
  server.cleanup();
  return used / (sent / 2 ** 20);
}

const best = { native: Infinity, js: Infinity };
for (let i = 0; i < ROUNDS; i++) {
  best.native = Math.min(best.native, await round(true));
  best.js = Math.min(best.js, await round(false));
}
console.log(
  `server CPU per MB received: bufferutil ${best.native.toFixed(1)} ms, JavaScript unmasking ${best.js.toFixed(1)} ms (${(best.js / best.native).toFixed(2)}×)`,
);
process.exit(0);
