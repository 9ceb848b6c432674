import { readFileSync } from 'node:fs';

/**
 * Summarize a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): self time by function
 * and by package, and inclusive time of the functions named on the command line.
 *   npx tsx bench/profile-top.ts DIR/CPU.*.cpuprofile [functionName ...] [--window FROM,TO]
 * `--window FROM,TO` keeps only the samples between two mono() times in ms (bench/clock.ts: V8
 * stamps samples on the same CLOCK_MONOTONIC, in µs), e.g. one join storm.
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const argv = process.argv.slice(2);
const wi = argv.indexOf('--window');
const window =
  wi >= 0
    ? argv
        .splice(wi, 2)[1]
        .split(',')
        .map((x) => Number(x) * 1000)
    : null;
const [file, ...names] = argv;
if (!file) {
  console.error('usage: npx tsx bench/profile-top.ts FILE.cpuprofile [functionName ...]');
  process.exit(2);
}
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
if (window) {
  // Sample i was taken at startTime + the sum of timeDeltas[0..i]; keep those in the window.
  let t = p.startTime;
  const keep = p.samples.map((_, i) => (t += p.timeDeltas[i] ?? 0) >= window[0] && t <= window[1]);
  p.samples = p.samples.filter((_, i) => keep[i]);
  p.timeDeltas = p.timeDeltas.filter((_, i) => keep[i]);
  p.startTime = window[0];
  p.endTime = window[1];
}
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<number, number>();
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));

const where = (n: Node) => {
  const u = n.callFrame.url.replace(/^file:\/\//, '');
  const m = u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return m ? m[1] : u.includes('dist/server') ? 'server (dist/server/main.js)' : u.startsWith('node:') ? u : u || '(native)';
};
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n)}:${n.callFrame.lineNumber + 1}`;

const total = (p.endTime - p.startTime) / 1000;
const sum = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, ms] of self) {
  const n = byId.get(id)!;
  sum(fn, label(n), ms);
  sum(pkg, ['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName) ? n.callFrame.functionName : where(n), ms);
}
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');

console.log(`profile: ${total.toFixed(0)} ms wall\n\nself time by package:\n${top(pkg, 15)}\n\nself time by function:\n${top(fn, 30)}`);

// Inclusive time of named functions: samples with that function anywhere on the stack.
for (const name of names) {
  let ms = 0;
  p.samples.forEach((id, i) => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (byId.get(cur)!.callFrame.functionName === name) {
        ms += (p.timeDeltas[i] ?? 0) / 1000;
        break;
      }
    }
  });
  console.log(`\ninclusive ${name}: ${ms.toFixed(0)} ms`);
}
