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
 * - failover: two nodes, phones on both sending all along; the owner is killed (SIGKILL), and the
 *   time to the first command acknowledged on a connection joined after the kill is taken; the
 *   node is started again; repeated --kills times.
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

export interface FailoverResult {
  kills: number;
  lease_ms: number;
  ms: Pct;
}

async function failover(nodes: Node[], dbUrl: string, kills: number, leaseMs: number, log: (s: string) => void): Promise<FailoverResult> {
  const urls = nodes.map((n) => n.url);
  const w = await create(urls[0]);
  const fac = new Phone(urls, { as: 'facilitator', code: w.code, key: w.key });
  await fac.whenJoined();
  await fac.send({ type: 'phase.set', phase: 'brainstorm' });
  const phones = Array.from(
    { length: 6 },
    (_, i) => new Phone(urls, { as: 'participant', code: w.code, token: randomBytes(16).toString('base64url') }, i),
  );
  await Promise.all(phones.map((p) => p.whenJoined()));
  let stop = false;
  const acked: Array<{ at: number; joinedAt: number }> = [];
  // Each phone adds one note, then keeps rewording it: a participant may add 50 notes, and 20
  // failovers take minutes, so adding all along would hit that cap and stop every answer.
  const work = Promise.all(
    phones.map(async (p, i) => {
      let noteId: string | null = null;
      for (let k = 0; !stop; k++) {
        const text = `Note ${i}.${k}`;
        const r = await p.send(
          noteId ? { type: 'note.edit', noteId, text } : { type: 'note.add', boneId: 'people', text },
          undefined,
          120_000,
        );
        if (r?.ok) {
          acked.push({ at: Date.now(), joinedAt: p.joinedAt });
          if (!noteId && 'noteId' in r && r.noteId) noteId = r.noteId;
        }
        await sleep(100);
      }
    }),
  );
  const times: number[] = [];
  for (let k = 0; k < kills; k++) {
    await sleep(300 + Math.random() * 700);
    const owner = await ownerNode(nodes, w.code, dbUrl);
    const killedAt = Date.now();
    await owner.kill('SIGKILL');
    for (const t0 = Date.now(); !acked.some((a) => a.joinedAt > killedAt); await sleep(20))
      if (Date.now() - t0 > 120_000) throw new Error(`failover ${k + 1}: no command acknowledged on a new owner within 120 s`);
    times.push(Math.min(...acked.filter((a) => a.joinedAt > killedAt).map((a) => a.at)) - killedAt);
    log(`  kill ${k + 1}: first acknowledged command on the new owner after ${times.at(-1)} ms`);
    await owner.start();
  }
  stop = true;
  await work;
  [fac, ...phones].forEach((p) => p.close());
  return { kills, lease_ms: leaseMs, ms: summarize(times) };
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
  failover: FailoverResult;
}

export async function runMultinode(o: Options, log: (s: string) => void): Promise<{ json: MultinodeJson; table: string }> {
  const entry = o.server;
  const leaseMs = Number(process.env.BENCH_LEASE_MS ?? 10_000);
  const kills = o.quick ? 3 : 20;
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

  for (const count of [1, 2]) {
    const db = await database();
    const nodes = [await node(entry, cluster(db.url)), await node(entry, cluster(db.url))].slice(0, count);
    for (const n of nodes) await n.start();
    rows.push(await cost(count === 1 ? '1 node, PostgreSQL' : '2 nodes, PostgreSQL, half the sockets on the non-owner', nodes, o, log));
    for (const n of nodes) await n.kill('SIGTERM');
    await db.drop();
  }

  const db = await database();
  const nodes = [await node(entry, cluster(db.url)), await node(entry, cluster(db.url))];
  for (const n of nodes) await n.start();
  log(`  failover: ${kills} kills of the owner, LEASE_MS ${leaseMs}`);
  const fo = await failover(nodes, db.url, kills, leaseMs, log);
  for (const n of nodes) await n.kill('SIGTERM');
  await db.drop();

  const lines = [
    '',
    'several nodes: cost (same phones, a command every 500 ms each: notes, then dots)',
    '| setup | commands | ack p50 ms | ack p95 ms | server CPU ms per command |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.setup} | ${r.commands} | ${r.ack.p50} | ${r.ack.p95} | ${r.cpu_ms_per_command} |`),
    '',
    `failover: SIGKILL of the owner to the first command acknowledged by the new owner, ${fo.kills} kills, LEASE_MS ${fo.lease_ms}`,
    `| p50 ms | p95 ms | max ms |`,
    '| --- | --- | --- |',
    `| ${fo.ms.p50} | ${fo.ms.p95} | ${fo.ms.max} |`,
  ];
  return { json: { scenario: 'multinode', cost: rows, failover: fo }, table: lines.join('\n') };
}
