import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../server/store/postgres.ts';
import type { PrivateOp } from '../../server/store/store.ts';
import { createWorkshop } from '../../server/workshop/create.ts';

/**
 * What forgetting on PostgreSQL costs a busy database (issue 25): private tables holding WORKSHOPS
 * open workshops of PEOPLE participants each (three notes and five dots a person, a group, a
 * turnout mark), then a sweep (VACUUM FULL of each private table) while one workshop keeps
 * committing: each table's rewrite time, and the commits' latency before and during the sweep.
 *   npx tsx bench/experiments/pg-forget-cost.ts [workshops] [people]
 */
const WORKSHOPS = Number(process.argv[2] ?? 100);
const PEOPLE = Number(process.argv[3] ?? 150);
const ADMIN = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const id = (n = 9) => randomBytes(n).toString('base64url');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? NaN;

const name = `fishbone_forget_${id(4)
  .toLowerCase()
  .replace(/[^a-z0-9]/g, 'x')}`;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(ADMIN);
url.pathname = `/${name}`;
const store = await PostgresStore.open(url.toString(), { forget: { delayMs: 3_600_000 } });
try {
  const ids: string[] = [];
  for (let w = 0; w < WORKSHOPS; w++) {
    const wid = (await createWorkshop(store, { title: `W${w}`, template: 'barriers', silent: true }, Date.now())).row.id;
    ids.push(wid);
    const ops: PrivateOp[] = [];
    for (let p = 0; p < PEOPLE; p++) {
      const who = id(16);
      ops.push(
        { t: 'participant', participantId: who },
        { t: 'group', participantId: who, group: 'NHS' },
        { t: 'voted', participantId: who },
      );
      for (let k = 0; k < 3; k++) ops.push({ t: 'author', noteId: id(), participantId: who });
      for (let k = 0; k < 5; k++) ops.push({ t: 'ballot', participantId: who, noteId: id(), dots: 1 });
    }
    await store.commit(wid, { docUpdate: null, docSnapshot: null, ops });
  }
  const sizes = await store.pool.query<{ mb: string }>(
    `SELECT round(sum(pg_total_relation_size(c.oid)) / 1e6, 1) AS mb FROM pg_class c WHERE relname = ANY($1)`,
    [['note_authors', 'ballots', 'participants', 'round_voters']],
  );
  const busy = ids[0];
  const latencies = { quiet: [] as number[], sweep: [] as number[], done: [] as number[] };
  const run: { phase: 'quiet' | 'sweep' | 'done' } = { phase: 'quiet' };
  const writer = (async () => {
    while (run.phase !== 'done') {
      const t0 = performance.now();
      await store.commit(busy, {
        docUpdate: null,
        docSnapshot: null,
        ops: [{ t: 'ballot', participantId: id(16), noteId: id(), dots: 1 }],
      });
      latencies[run.phase].push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await new Promise((r) => setTimeout(r, 3000));
  await store.commit(ids[1], { docUpdate: null, docSnapshot: null, ops: [{ t: 'purge', closedAt: Date.now() }] });
  run.phase = 'sweep';
  const t0 = performance.now();
  const report = await store.forgetting.sweep();
  const sweepMs = performance.now() - t0;
  run.phase = 'done';
  await writer;
  console.log(`${WORKSHOPS} open workshops of ${PEOPLE}: the biggest private tables ${sizes.rows[0].mb} MB with indexes`);
  console.log(`sweep ${sweepMs.toFixed(0)} ms: ${JSON.stringify(report.tables)} (skipped ${report.skipped.join(', ') || 'none'})`);
  console.log(
    `a workshop's commits: p50 ${pct(latencies.quiet, 0.5).toFixed(1)} / p95 ${pct(latencies.quiet, 0.95).toFixed(1)} / max ${Math.max(...latencies.quiet).toFixed(1)} ms quiet; ` +
      `p50 ${pct(latencies.sweep, 0.5).toFixed(1)} / p95 ${pct(latencies.sweep, 0.95).toFixed(1)} / max ${Math.max(...latencies.sweep).toFixed(1)} ms during the sweep`,
  );
} finally {
  await store.close();
  await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await admin.end();
}
