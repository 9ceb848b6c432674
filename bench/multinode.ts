import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { CommandInput } from '../shared/commands.ts';
import { Phone } from '../tests/support/phone.ts';
import { mono, sleep } from './clock.ts';
import type { Options } from './config.ts';
import { cpuSeconds } from './monitor.ts';
import { freePort, ROOT, track } from './servers.ts';
import { round, summarize, type Pct } from './stats.ts';

/**
 * The multi-node scenario (docs/BENCHMARKS.md, "Several nodes"). Two cores cannot show a
 * speed-up, so it measures what several nodes cost and how fast they fail over:
 * - cost: the same stream of commands (notes, then dots) from the same phones against one node
 *   on SQLite, one node on PostgreSQL, and two nodes on PostgreSQL with half the sockets on the
 *   node that does not own the workshop (passed through to the owner); acknowledgement p50/p95
 *   and the servers' CPU per command;
 * - faults: three nodes, eight phones behaving like the browser client on all of them; the
 *   owner is killed (SIGKILL, then started again) 20 times, then paused (SIGSTOP for 15 s) 20
 *   times: the time from each fault to the workshop's and to each phone's next acknowledged
 *   command;
 * - a rolling deploy: each of three nodes in turn sent SIGTERM while it relays phones to the
 *   owner, waited for and started again: SIGTERM to exit, and each phone's next acknowledgement.
 * Needs PostgreSQL and Redis (BENCH_PG_ADMIN_URL, BENCH_REDIS_URL; the machine's by default).
 */

const GUARD = fileURLToPath(new URL('./guard.cjs', import.meta.url));
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Node {
  url: string;
  proc: ChildProcess;
  start(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function node(entry: string, env: Record<string, string>): Promise<Node> {
  return freePort().then((port) => {
    const url = `http://127.0.0.1:${port}`;
    const n: Node = {
      url,
      proc: null as unknown as ChildProcess,
      async start() {
        n.proc = track(
          spawn(process.execPath, ['--require', GUARD, entry], {
            cwd: ROOT,
            env: { ...process.env, NODE_ENV: 'production', PORT: String(port), NODE_URL: url, ...env },
            stdio: 'ignore',
          }),
        );
        for (let i = 0; i < 300; i++) {
          try {
            if ((await fetch(`${url}/healthz`)).ok) return;
          } catch {
            /* not yet */
          }
          await sleep(50);
        }
        throw new Error(`node ${url} did not start`);
      },
      async kill(signal) {
        const p = n.proc;
        if (p.exitCode !== null || p.signalCode !== null) return;
        const exited = new Promise((r) => p.once('exit', r));
        p.kill(signal);
        await exited;
      },
    };
    return n;
  });
}

async function database(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fishbone_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function create(url: string): Promise<{ code: string; key: string }> {
  const res = await fetch(`${url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Bench', silent: false }),
  });
  const j = (await res.json()) as { code: string; facilitatorKey: string };
  return { code: j.code, key: j.facilitatorKey };
}

export interface CostRow {
  setup: string;
  commands: number;
  ack: Pct;
  cpu_ms_per_command: number;
}

/** One setup: nodes up, phones joined (phone i on node i mod nodes), commands at a steady rate. */
async function cost(setup: string, nodes: Node[], o: Options, log: (s: string) => void): Promise<CostRow> {
  const urls = nodes.map((n) => n.url);
  const w = await create(urls[0]);
  const fac = new Phone([urls[0]], { as: 'facilitator', code: w.code, key: w.key });
  await fac.whenJoined();
  const phones = Array.from(
    { length: o.quick ? 10 : 30 },
    (_, i) => new Phone([urls[i % urls.length]], { as: 'participant', code: w.code, token: randomBytes(16).toString('base64url') }),
  );
  await Promise.all(phones.map((p) => p.whenJoined()));
  const seconds = o.quick ? 4 : 15;
  const acks: number[] = [];
  const noteIds: string[] = [];
  const drive = async (make: (i: number, k: number) => CommandInput) => {
    const end = mono() + seconds * 1000;
    await Promise.all(
      phones.map(async (p, i) => {
        await sleep(Math.random() * 500);
        for (let k = 0; mono() < end; k++) {
          const t0 = mono();
          const r = await p.send(make(i, k));
          acks.push(mono() - t0);
          if (r?.ok && 'noteId' in r && r.noteId) noteIds.push(r.noteId);
          await sleep(500 - (mono() - t0));
        }
      }),
    );
  };
  const cpu0 = nodes.reduce((s, n) => s + (cpuSeconds(n.proc.pid!) ?? 0), 0);
  await fac.send({ type: 'phase.set', phase: 'brainstorm' });
  await drive((i, k) => ({ type: 'note.add', boneId: 'people', text: `Barrier ${i}.${k}` }));
  await fac.send({ type: 'phase.set', phase: 'vote' });
  await drive(() => ({
    type: 'vote.change',
    noteId: noteIds[Math.floor(Math.random() * noteIds.length)],
    delta: Math.random() < 0.6 ? 1 : -1,
  }));
  const cpu = nodes.reduce((s, n) => s + (cpuSeconds(n.proc.pid!) ?? 0), 0) - cpu0;
  [fac, ...phones].forEach((p) => p.close());
  const row = { setup, commands: acks.length, ack: summarize(acks), cpu_ms_per_command: round((cpu * 1000) / acks.length, 2) };
  log(`  ${setup}: ${row.commands} commands, ack p50 ${row.ack.p50} ms, p95 ${row.ack.p95} ms, ${row.cpu_ms_per_command} ms CPU each`);
  return row;
}

/** Each fault's recovery: the workshop's (its first phone served again) and every phone's. */
export interface FaultResult {
  kind: 'kill' | 'pause';
  faults: number;
  lease_ms: number;
  /** Fault to the first command acknowledged after it, by any phone. */
  workshop_ms: Pct;
  /** Fault to each phone's first command acknowledged after it, all phones of all faults. */
  phone_ms: Pct;
}

/** How long a paused owner stays stopped. */
const PAUSE_MS = 15_000;

/**
 * Faults of the workshop's owner, one after another: `kill` (SIGKILL, then the node is started
 * again) or `pause` (SIGSTOP for 15 s, then SIGCONT). Eight phones behave like the browser client
 * (8 s for an answer, then a fresh connection to the next node), half connected straight to
 * the owner and half to other nodes, each rewording its note every 100 ms all along.
 */
async function faults(
  nodes: Node[],
  dbUrl: string,
  kind: 'kill' | 'pause',
  count: number,
  leaseMs: number,
  log: (s: string) => void,
): Promise<FaultResult> {
  const urls = nodes.map((n) => n.url);
  const w = await create(urls[0]);
  const fac = new Phone(urls, { as: 'facilitator', code: w.code, key: w.key });
  await fac.whenJoined();
  await fac.send({ type: 'phase.set', phase: 'brainstorm' });
  const first = nodes.indexOf(await ownerNode(nodes, w.code, dbUrl));
  const phones = Array.from(
    { length: 8 },
    (_, i) =>
      new Phone(
        urls,
        { as: 'participant', code: w.code, token: randomBytes(16).toString('base64url') },
        i % 2 ? first : first + 1 + (i % 3),
      ),
  );
  await Promise.all(phones.map((p) => p.whenJoined()));
  const { acked, finish } = keepWriting(phones, 'Note');
  const workshop: number[] = [];
  const perPhone: number[] = [];
  const next = (i: number, t: number) => acked.find((a) => a.phone === i && a.at > t)?.at;
  for (let k = 0; k < count; k++) {
    await sleep(500 + Math.random() * 1000);
    const owner = await ownerNode(nodes, w.code, dbUrl);
    const at = Date.now();
    if (kind === 'kill') await owner.kill('SIGKILL');
    else owner.proc.kill('SIGSTOP');
    for (const t0 = Date.now(); !phones.every((_, i) => next(i, at)); await sleep(20))
      if (Date.now() - t0 > 120_000) throw new Error(`${kind} ${k + 1}: a phone had no command acknowledged within 120 s`);
    const times = phones.map((_, i) => next(i, at)! - at);
    workshop.push(Math.min(...times));
    perPhone.push(...times);
    log(`  ${kind} ${k + 1}: the workshop after ${Math.min(...times)} ms, every phone after ${Math.max(...times)} ms`);
    if (kind === 'kill') await owner.start();
    else {
      await sleep(Math.max(0, PAUSE_MS - (Date.now() - at)));
      owner.proc.kill('SIGCONT');
    }
  }
  await finish();
  [fac, ...phones].forEach((p) => p.close());
  return { kind, faults: count, lease_ms: leaseMs, workshop_ms: summarize(workshop), phone_ms: summarize(perPhone) };
}

/**
 * Each phone adds one note, then keeps rewording it until `finish`: a participant may add 100
 * notes in all, and 20 faults take minutes, so adding all along would hit that cap and stop
 * every answer. `acked` is when each phone's commands were acknowledged.
 */
function keepWriting(phones: Phone[], label: string): { acked: Array<{ phone: number; at: number }>; finish: () => Promise<void> } {
  let stop = false;
  const acked: Array<{ phone: number; at: number }> = [];
  const work = Promise.all(
    phones.map(async (p, i) => {
      let noteId: string | null = null;
      for (let k = 0; !stop; k++) {
        const text = `${label} ${i}.${k}`;
        const r = await p.send(
          noteId ? { type: 'note.edit', noteId, text } : { type: 'note.add', boneId: 'people', text },
          undefined,
          120_000,
        );
        if (r?.ok) {
          acked.push({ phone: i, at: Date.now() });
          if (!noteId && 'noteId' in r && r.noteId) noteId = r.noteId;
        }
        await sleep(100);
      }
    }),
  );
  return {
    acked,
    finish: async () => {
      stop = true;
      await work;
    },
  };
}

export interface DeployResult {
  /** SIGTERM to exit of each node in turn, each relaying phones to the workshop's owner. */
  exit_ms: Pct;
  /** SIGTERM to each phone's next acknowledged command. */
  phone_ms: Pct;
}

/**
 * A rolling deploy: three nodes, each in turn sent SIGTERM, waited for, and started again, with
 * phones on every node (those on a node that does not own the workshop passed through it).
 */
async function rollingDeploy(nodes: Node[], rounds: number, log: (s: string) => void): Promise<DeployResult> {
  const urls = nodes.map((n) => n.url);
  const w = await create(urls[0]);
  const fac = new Phone(urls, { as: 'facilitator', code: w.code, key: w.key });
  await fac.whenJoined();
  await fac.send({ type: 'phase.set', phase: 'brainstorm' });
  const phones = Array.from(
    { length: 9 },
    (_, i) => new Phone(urls, { as: 'participant', code: w.code, token: randomBytes(16).toString('base64url') }, i),
  );
  await Promise.all(phones.map((p) => p.whenJoined()));
  const { acked, finish } = keepWriting(phones, 'Deploy');
  const exits: number[] = [];
  const perPhone: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const n of nodes) {
      await sleep(1000);
      const at = Date.now();
      await n.kill('SIGTERM');
      exits.push(Date.now() - at);
      await n.start();
      for (const t0 = Date.now(); !phones.every((_, i) => acked.some((a) => a.phone === i && a.at > at)); await sleep(20))
        if (Date.now() - t0 > 60_000) throw new Error('a phone had no command acknowledged within 60 s of a deploy step');
      perPhone.push(...phones.map((_, i) => acked.find((a) => a.phone === i && a.at > at)!.at - at));
      log(`  deploy: ${n.url} exited ${exits.at(-1)} ms after SIGTERM`);
    }
  await finish();
  [fac, ...phones].forEach((p) => p.close());
  return { exit_ms: summarize(exits), phone_ms: summarize(perPhone) };
}

/** The node holding the workshop's live lease, as the database says. */
async function ownerNode(nodes: Node[], code: string, dbUrl: string): Promise<Node> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const r = await c.query<{ node_url: string }>(
      'SELECT l.node_url FROM leases l JOIN workshops w ON w.id = l.workshop_id WHERE w.code = $1 AND l.expires_at > now()',
      [code],
    );
    return nodes.find((n) => n.url === r.rows[0]?.node_url) ?? nodes[0];
  } finally {
    await c.end();
  }
}

export interface MultinodeJson {
  scenario: 'multinode';
  cost: CostRow[];
  kills: FaultResult;
  pauses: FaultResult;
  deploy: DeployResult;
}

export async function runMultinode(o: Options, log: (s: string) => void): Promise<{ json: MultinodeJson; table: string }> {
  const entry = o.server;
  const leaseMs = Number(process.env.BENCH_LEASE_MS ?? 10_000);
  const count = o.quick ? 3 : 20;
  const rows: CostRow[] = [];
  const stream = `fishbone-bench-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(24).toString('base64url');
  const cluster = (db: string) => ({ DATABASE_URL: db, NODE_SECRET: secret, REDIS_URL, REDIS_STREAM: stream, LEASE_MS: String(leaseMs) });

  const dataDir = mkdtempSync(join(tmpdir(), 'fishbone-bench-'));
  const sqlite = await node(entry, { DATA_DIR: dataDir });
  await sqlite.start();
  rows.push(await cost('1 node, SQLite', [sqlite], o, log));
  await sqlite.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });

  for (const n of [1, 2]) {
    const db = await database();
    const nodes = [await node(entry, cluster(db.url)), await node(entry, cluster(db.url))].slice(0, n);
    for (const x of nodes) await x.start();
    rows.push(await cost(n === 1 ? '1 node, PostgreSQL' : '2 nodes, PostgreSQL, half the sockets on the non-owner', nodes, o, log));
    for (const x of nodes) await x.kill('SIGTERM');
    await db.drop();
  }

  const threeNodes = async <T>(run: (nodes: Node[], dbUrl: string) => Promise<T>): Promise<T> => {
    const db = await database();
    const nodes = [await node(entry, cluster(db.url)), await node(entry, cluster(db.url)), await node(entry, cluster(db.url))];
    for (const x of nodes) await x.start();
    try {
      return await run(nodes, db.url);
    } finally {
      for (const x of nodes) {
        x.proc.kill('SIGCONT');
        await x.kill('SIGTERM');
      }
      await db.drop();
    }
  };
  log(`  ${count} kills of the owner, LEASE_MS ${leaseMs}`);
  const kills = await threeNodes((nodes, url) => faults(nodes, url, 'kill', count, leaseMs, log));
  log(`  ${count} pauses of the owner for ${PAUSE_MS / 1000} s, LEASE_MS ${leaseMs}`);
  const pauses = await threeNodes((nodes, url) => faults(nodes, url, 'pause', count, leaseMs, log));
  log('  a rolling deploy of three nodes relaying phones');
  const deploy = await threeNodes((nodes) => rollingDeploy(nodes, o.quick ? 1 : 3, log));

  const fault = (f: FaultResult, what: string) =>
    `| ${what} | ${f.workshop_ms.p50} / ${f.workshop_ms.p95} / ${f.workshop_ms.max} | ${f.phone_ms.p50} / ${f.phone_ms.p95} / ${f.phone_ms.max} |`;
  const lines = [
    '',
    'several nodes: cost (same phones, a command every 500 ms each: notes, then dots)',
    '| setup | commands | ack p50 ms | ack p95 ms | server CPU ms per command |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.setup} | ${r.commands} | ${r.ack.p50} | ${r.ack.p95} | ${r.cpu_ms_per_command} |`),
    '',
    `faults of the owner (3 nodes, 8 phones as the browser client: 8 s for an answer; LEASE_MS ${leaseMs}): fault to the next acknowledged command`,
    '| fault | the workshop p50 / p95 / max ms | each phone p50 / p95 / max ms |',
    '| --- | --- | --- |',
    fault(kills, `SIGKILL × ${kills.faults}`),
    fault(pauses, `SIGSTOP ${PAUSE_MS / 1000} s × ${pauses.faults}`),
    '',
    `rolling deploy of 3 nodes relaying phones: SIGTERM to exit p50 ${deploy.exit_ms.p50} / p95 ${deploy.exit_ms.p95} / max ${deploy.exit_ms.max} ms; each phone's next acknowledged command p50 ${deploy.phone_ms.p50} / p95 ${deploy.phone_ms.p95} / max ${deploy.phone_ms.max} ms`,
  ];
  return { json: { scenario: 'multinode', cost: rows, kills, pauses, deploy }, table: lines.join('\n') };
}
