import { writeFileSync } from 'node:fs';
import { brainstormWorkshop, launch, throttle } from '../page-load.ts';

/**
 * Where a slow phone's main thread goes while the participant page loads (slow 4G, 4× CPU): a
 * CPU profile from navigation to "Connected", summed by script file and by function (self time).
 * `npx tsx bench/experiments/page-profile.ts http://127.0.0.1:PORT [out.cpuprofile]`
 */
const base = process.argv[2];
const code = await brainstormWorkshop(base);
const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, serviceWorkers: 'block' });
const page = await ctx.newPage();
const cdp = await throttle(ctx, page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await page.goto(`${base}/w/${code}`, { waitUntil: 'commit' });
await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 60_000 });
const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
if (process.argv[3]) writeFileSync(process.argv[3], JSON.stringify(profile));
await browser.close();

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}
// Self time per node from the samples.
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byFile = new Map<string, number>();
const byFn = new Map<string, number>();
for (const n of profile.nodes) {
  const t = (self.get(n.id) ?? 0) / 1000;
  const file = n.callFrame.url.split('/').pop() || `(${n.callFrame.functionName || 'program'})`;
  byFile.set(file, (byFile.get(file) ?? 0) + t);
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + t);
}
const top = (m: Map<string, number>, k: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`)
    .join('\n');
console.log(`main thread, by file (self time, throttled):\n${top(byFile, 12)}\nby function:\n${top(byFn, 20)}`);
