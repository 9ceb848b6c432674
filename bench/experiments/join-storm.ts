import { readFileSync } from 'node:fs';
import * as Y from 'yjs';
import { mono, sleep } from '../clock.ts';
import { BenchClient, Tracker } from '../client.ts';
import { addressOf } from '../digest.ts';
import type { ClientSpec, Target, ToWorker } from '../ipc.ts';
import { cpuSeconds } from '../monitor.ts';
import { killChildren, startOurs, startRelay, type ServerHandle } from '../servers.ts';
import { Workers } from '../workers.ts';

/**
 * Issue 17: where the time and the CPU of a join storm go. Only the join of the one big room
 * (`--scenario one`), with the same load generators and clients, and no brainstorm: a fresh
 * server, a workshop (ours) or a room (the relay), N phones joining at once from W processes.
 * Reports per round and target: the storm (first connect → last synced), the join p50, and the
 * CPU time of every process of the run over the storm (server, each load generator, everything
 * else on the machine), from /proc.
 *   npx tsx bench/experiments/join-storm.ts [--targets ours,bare] [--rounds 3] [--n 300]
 *     [--workers 2] [--server dist/server/main.js] [--old FILE] [--cpu-prof DIR] [--warm]
 * `--warm` measures a server that has had one storm already (into another workshop, whose
 * phones then left): what a storm costs once the JIT has compiled the join path.
 * `--cpu-prof DIR` profiles the server (ours or the relay) and the load generators, into
 * DIR/<target>-<round>/server and .../loadgen; the storm's window is printed for
 * `bench/profile-top.ts --window`.
 * `--old FILE` adds the target `old` (another build of our server) to compare builds in the
 * same run, rounds interleaved.
 */

const args = process.argv.slice(2);
const opt = (name: string, d: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : d;
};
/** ours, yjs (the relay; each phone applies the document ours sends at a join), bare. */
const targets = opt('targets', 'ours,bare').split(',');
const rounds = Number(opt('rounds', '3'));
const n = Number(opt('n', '300'));
const nWorkers = Number(opt('workers', '2'));
const entry = opt('server', 'dist/server/main.js');
const old = opt('old', '');
const cpuProf = opt('cpu-prof', '') || undefined;
/** Before the measured storm, one storm of the same size into another workshop (room) of the same server, then its phones leave: a warm server. */
const warm = args.includes('--warm');

/** Busy CPU seconds of the whole machine (all cores). */
function machineBusy(): number {
  const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return (v.reduce((a, b) => a + b, 0) - v[3] - v[4]) / 100;
}

async function createWorkshop(url: string): Promise<{ code: string; key: string }> {
  const res = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': addressOf(-1) },
    body: JSON.stringify({ title: 'Join storm', silent: false }),
  });
  if (res.status !== 201) throw new Error(`creating a workshop failed: ${res.status}`);
  const w = (await res.json()) as { code: string; facilitatorKey: string };
  return { code: w.code, key: w.facilitatorKey };
}

interface Row {
  target: string;
  round: number;
  stormMs: number;
  p50: number;
  serverMs: number;
  serverPlus1sMs: number;
  loadgenMs: number[];
  otherCores: number;
  load: string;
}

async function once(target: string, round: number): Promise<Row> {
  const kind: Target = target === 'bare' || target === 'yjs' ? target : 'ours';
  const server: ServerHandle =
    kind === 'ours'
      ? await startOurs({ entry: target === 'old' ? old : entry, cpuProfDir: cpuProf && `${cpuProf}/${target}-${round}/server` })
      : await startRelay({ cpuProfDir: cpuProf && `${cpuProf}/${target}-${round}/server` });
  let workers: Workers | null = null;
  try {
    if (warm) {
      const first = kind === 'ours' ? await createWorkshop(server.url) : { code: 'room-warm' };
      const w = await Workers.start(nWorkers);
      const specs: ClientSpec[][] = w.procs.map(() => []);
      for (let g = 0; g < n; g++) specs[g % nWorkers].push({ g, room: 0, code: first.code, notes: [] });
      const t = mono() + 300;
      await w.all(
        specs.map((clients): ToWorker => ({
          t: 'join',
          target: kind === 'yjs' ? 'bare' : kind,
          url: server.url,
          clients,
          joinAt: [t],
          replay: null,
        })),
        'joined',
        90_000,
      );
      await w.stop();
      await sleep(1000);
    }
    const where = kind === 'ours' ? await createWorkshop(server.url) : { code: 'room-0' };
    // The facilitator (ours) or the passive screen (relay), as in the bench.
    const ctl = new BenchClient(kind, server.url, { g: -1, room: 0, ...where, notes: [] }, new Tracker(), null);
    await ctl.join();
    // The Yjs floor's phones start from the document a phone of ours receives at its join.
    if (kind === 'ours') base = Buffer.from(Y.encodeStateAsUpdate(ctl.doc!)).toString('base64');
    if (kind === 'yjs' && !base) throw new Error('the yjs target needs an ours target before it');
    workers = await Workers.start(nWorkers, cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}/${target}-${round}/loadgen`] : []);
    await sleep(500);
    const specs: ClientSpec[][] = workers.procs.map(() => []);
    for (let g = 0; g < n; g++) specs[g % nWorkers].push({ g, room: 0, code: where.code, notes: [] });
    const pids = workers.pids;
    const t0 = mono() + 300;
    const joinedP = workers.all(
      specs.map((clients): ToWorker => ({
        t: 'join',
        target: kind,
        url: server.url,
        clients,
        joinAt: [t0],
        replay: kind === 'yjs' ? { base: [base], updates: [], times: [] } : null,
      })),
      'joined',
      90_000,
    );
    await sleep(t0 - mono() - 5);
    const s0 = cpuSeconds(server.pid)!;
    const l0 = pids.map((p) => cpuSeconds(p)!);
    const o0 = cpuSeconds(process.pid)!;
    const b0 = machineBusy();
    const w0 = mono();
    const joined = await joinedP;
    const s1 = cpuSeconds(server.pid)!;
    const l1 = pids.map((p) => cpuSeconds(p)!);
    const o1 = cpuSeconds(process.pid)!;
    const b1 = machineBusy();
    const w1 = mono();
    await sleep(1000);
    const s2 = cpuSeconds(server.pid)!;
    const spans = joined.flatMap((j) => j.span);
    const first = Math.min(...spans.map((s) => s[1]));
    const last = Math.max(...spans.map((s) => s[2]));
    const ms = joined.flatMap((j) => j.joinMs).sort((a, b) => a - b);
    const failed = joined.flatMap((j) => j.failed);
    if (failed.length) console.log(`  ${failed.length} failed: ${failed[0]}`);
    if (cpuProf) console.log(`  ${target}-${round}: storm window --window ${first.toFixed(0)},${last.toFixed(0)}`);
    const own = s1 - s0 + l1.reduce((a, b, i) => a + b - l0[i], 0) + (o1 - o0);
    ctl.close();
    return {
      target,
      round,
      stormMs: Math.round(last - first),
      p50: Math.round(ms[Math.floor(ms.length / 2)]),
      serverMs: Math.round((s1 - s0) * 1000),
      serverPlus1sMs: Math.round((s2 - s0) * 1000),
      loadgenMs: l1.map((v, i) => Math.round((v - l0[i]) * 1000)),
      otherCores: Math.round(((b1 - b0 - own) / ((w1 - w0) / 1000)) * 100) / 100,
      load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    };
  } finally {
    await workers?.stop();
    await server.stop();
  }
}

let base: string | null = null;
const rows: Row[] = [];
try {
  const all = old ? [...targets, 'old'] : targets;
  console.log(`join storm: ${n} phones, ${nWorkers} load generators, ${rounds} rounds of ${all.join(', ')}; ${new Date().toISOString()}`);
  console.log('target round  storm  p50  serverCPU(storm) serverCPU(+1s) perJoin  loadgenCPU(storm)  other  load');
  for (let r = 1; r <= rounds; r++)
    for (const t of all) {
      const row = await once(t, r);
      rows.push(row);
      console.log(
        `${t.padEnd(6)} ${String(r).padStart(5)} ${String(row.stormMs).padStart(6)} ${String(row.p50).padStart(4)} ${String(row.serverMs).padStart(16)} ${String(row.serverPlus1sMs).padStart(14)} ${(row.serverPlus1sMs / n).toFixed(2).padStart(7)}  ${row.loadgenMs.join('+').padStart(17)}  ${row.otherCores.toFixed(2).padStart(5)}  ${row.load}`,
      );
    }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log('medians:');
  for (const t of old ? [...targets, 'old'] : targets) {
    const rs = rows.filter((r) => r.target === t);
    console.log(
      `${t.padEnd(6)} storm ${med(rs.map((r) => r.stormMs))} ms, p50 ${med(rs.map((r) => r.p50))} ms, server ${(med(rs.map((r) => r.serverPlus1sMs)) / n).toFixed(2)} ms/join (storm only ${(med(rs.map((r) => r.serverMs)) / n).toFixed(2)}), load generators ${med(rs.map((r) => r.loadgenMs.reduce((a, b) => a + b, 0)))} ms CPU in all`,
    );
  }
} finally {
  killChildren();
}
process.exit(0);
