import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseOptions, scenariosOf, USAGE, type Options } from './config.ts';
import { report, type ScenarioJson } from './report.ts';
import { makePlan, pool, runTarget, type Recording, type TargetResult } from './scenario.ts';
import { measureParticipantPage, type PageLoad } from './page-load.ts';
import { killChildren, ROOT, startOurs } from './servers.ts';
import { runMultinode, type MultinodeJson } from './multinode.ts';
import { runCosts, type CostsJson } from './costs.ts';

/**
 * `npm run bench`: drives the production build of the server, and the two floors, through each
 * scenario with the same load generators, prints a table and writes bench/results/latest.json.
 * See docs/BENCHMARKS.md.
 */

let opts: Options | null;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (!opts) {
  console.log(USAGE);
  process.exit(0);
}
const o = opts;

// Whatever happens, no server or load generator outlives the run.
process.on('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    killChildren();
    process.exit(130);
  });
}
const scenarios = scenariosOf(o);
// A generous bound on the whole run; each step has its own, tighter one.
const budgetMs =
  scenarios.length * o.rounds * o.targets.length * (Math.max(o.brainstormS, o.bigBrainstormS) + 20 + o.voteS + 30 + 120) * 1000 +
  (o.scenarios.includes('costs') ? 600_000 : 0) +
  (o.scenarios.includes('multinode') ? 1200_000 : 0);
setTimeout(() => {
  console.error(`bench: still running after ${Math.round(budgetMs / 1000)} s; stopping`);
  killChildren();
  process.exit(1);
}, budgetMs).unref();

if (!existsSync(resolve(ROOT, o.server))) {
  console.error(`bench: ${o.server} is missing; run \`npm run build\` first (npm run bench does).`);
  process.exit(2);
}

const log = (s: string) => console.log(s);
log(
  `bench: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}, ${o.workers} load generators${o.quick ? ', quick' : ''}; server ${o.server}`,
);

const out: Array<ScenarioJson | MultinodeJson | CostsJson> = [];
const tables: string[] = [];
// One part failing (a scenario too big for the machine's load at the time) is reported, and
// the others still run; the exit code says something failed.
let failed = 0;
async function part(what: string, run: () => Promise<{ json: ScenarioJson | MultinodeJson | CostsJson; table: string }>) {
  try {
    const { json, table } = await run();
    out.push(json);
    tables.push(table);
    log(table);
  } catch (err) {
    failed++;
    console.error(`\nbench: ${what} failed: ${(err as Error).stack ?? err}`);
    tables.push(`\n${what}: FAILED (${(err as Error).message.split('\n')[0]})`);
    killChildren();
  }
}
for (const sc of scenarios) {
  log(`\n${sc.name}`);
  await part(sc.name, async () => {
    const plan = makePlan(sc, o);
    const runs = new Map<string, TargetResult[]>();
    // Rounds interleave the targets, so changes in outside load fall on all of them alike.
    for (let round = 1; round <= o.rounds; round++) {
      if (o.rounds > 1) log(` round ${round} of ${o.rounds}`);
      const recording: Recording = { base: [], updates: new Map(), times: new Map() };
      for (const target of o.targets.filter((t) => sc.targets.includes(t))) {
        const r = await runTarget(sc, target, o, plan, recording, log);
        runs.set(target, [...(runs.get(target) ?? []), r]);
      }
    }
    return report(sc, o, [...runs.values()].map(pool));
  });
}
if (o.scenarios.includes('costs')) {
  log('\nserver CPU costs');
  await part('server CPU costs', () => runCosts(o, log));
}
if (o.scenarios.includes('multinode')) {
  log('\nseveral nodes');
  await part('several nodes', () => runMultinode(o, log));
}

// The participant page (issue "Phones first"): its JavaScript, gzipped, and its load time on an
// emulated slow 4G phone with a 4× slower CPU, in Debian's Chromium.
let page: PageLoad | null = null;
try {
  if (!o.page) throw new Error('--no-page');
  const server = await startOurs({ dataRoot: o.dataRoot ?? undefined });
  try {
    page = await measureParticipantPage(server.url);
  } finally {
    await server.stop();
  }
  const ok = (met: boolean) => (met ? 'met  ' : 'MISSED');
  log('\nparticipant page (360×640; slow 4G: 562.5 ms latency, 1.44 Mbit/s; CPU 4× slower)');
  log(
    `  JavaScript: ${page.js_files} files, ${(page.js_bytes / 1024).toFixed(1)} KB, ${(page.js_gzip_bytes / 1024).toFixed(1)} KB gzipped`,
  );
  log(
    `  usable (board on screen): ${page.usable_ms_slow4g} ms; connected: ${page.connected_ms_slow4g} ms; unthrottled: ${page.usable_ms_fast} ms (median of 3)`,
  );
  log(`  ${ok(page.js_gzip_bytes <= 80 * 1024)} JavaScript ≤ 80 KB gzipped: ${(page.js_gzip_bytes / 1024).toFixed(1)} KB`);
  log(`  ${ok(page.usable_ms_slow4g <= 2500)} usable within 2.5 s on slow 4G with 4× CPU slowdown: ${page.usable_ms_slow4g} ms`);
} catch (err) {
  log(`\nparticipant page: not measured (${(err as Error).message.split('\n')[0]})`);
}

const file = resolve(ROOT, o.out);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify({ scenarios: out, participant_page: page }, null, 2)}\n`);
if (tables.length > 1) log(`\n${'='.repeat(100)}${tables.join('\n')}`);
log(`\nwritten: ${o.out}; ${Math.round(performance.now() / 1000)} s`);
process.exit(failed ? 1 : 0);
