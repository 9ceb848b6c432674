import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseOptions, scenariosOf, USAGE, type Options } from './config.ts';
import { runExports, type ExportsJson } from './exports.ts';
import { report, type ScenarioJson } from './report.ts';
import { makePlan, pool, runTarget, type Recording, type TargetResult } from './scenario.ts';
import { comparePageLoads, pageLoadTable, type PageLoad } from './page-load.ts';
import { killChildren, ROOT } from './servers.ts';
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
  (o.scenarios.includes('multinode') ? 1200_000 : 0) +
  (o.scenarios.includes('exports') ? 180_000 : 0) +
  600_000; // the participant page's loads, both builds
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

const out: Array<ScenarioJson | MultinodeJson | CostsJson | ExportsJson> = [];
const tables: string[] = [];
// One part failing (a scenario too big for the machine's load at the time) is reported, and
// the others still run; the exit code says something failed.
let failed = 0;
async function part(what: string, run: () => Promise<{ json: ScenarioJson | MultinodeJson | CostsJson | ExportsJson; table: string }>) {
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
if (o.scenarios.includes('exports')) {
  log('\nexports at the caps');
  await part('exports at the caps', () => runExports(o, log));
}

// The participant page (issue 17, "The phone's first load"): its JavaScript, gzipped, and its
// load on an emulated slow 4G phone with a 4× slower CPU, in Debian's Chromium; beside an old
// build's when --page-old names one (bench/page-load.ts).
let page: PageLoad | null = null;
let pageOld: PageLoad | null = null;
try {
  if (!o.page) throw new Error('--no-page');
  const entries = [o.server, ...(o.pageOld ? [o.pageOld] : [])];
  [page, pageOld = null] = await comparePageLoads(entries, { loads: o.quick ? 3 : 5, dataRoot: o.dataRoot ?? undefined });
  log(`\n${pageLoadTable([page, ...(pageOld ? [pageOld] : [])])}`);
} catch (err) {
  log(`\nparticipant page: not measured (${(err as Error).message.split('\n')[0]})`);
}

const file = resolve(ROOT, o.out);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify({ scenarios: out, participant_page: page, participant_page_old: pageOld }, null, 2)}\n`);
if (tables.length > 1) log(`\n${'='.repeat(100)}${tables.join('\n')}`);
log(`\nwritten: ${o.out}; ${Math.round(performance.now() / 1000)} s`);
process.exit(failed ? 1 : 0);
