import { svgToPng } from '../server/exports/fishbone-png.ts';
import { fishboneSvg } from '../server/exports/fishbone-svg.ts';
import { outcomeOf } from '../server/exports/outcome.ts';
import { wordReport } from '../server/exports/report-docx.ts';
import { slidesPptx } from '../server/exports/slides.ts';
import { bigBoard } from './export-board.ts';

/**
 * `npx tsx bench/exports.ts [NOTES] [ROUNDS]`: how long the heavy exports take for a big board
 * (bench/export-board.ts; default 300 notes). Prints the median wall and CPU milliseconds of each
 * builder over ROUNDS runs (default 3), after one warm-up. The builders are pure functions of
 * the export model, so this is what a request (or, later, a worker) spends on each.
 */

async function measure(what: string, rounds: number, run: () => unknown): Promise<void> {
  await run(); // warm-up: module loading, font loading
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await run();
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`${what.padEnd(26)} ${median(wall).toFixed(0).padStart(6)} ms wall ${median(cpu).toFixed(0).padStart(6)} ms cpu`);
}

const count = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 3);
const exp = bigBoard(count);
const timeZone = 'Europe/London';
const svg = fishboneSvg(exp);
console.log(`${count} notes; the fishbone is ${/width="(\d+)" height="(\d+)"/.exec(svg)!.slice(1).join(' x ')}`);
await measure('fishbone.svg', rounds, () => fishboneSvg(exp));
await measure('fishbone.png (with svg)', rounds, () => svgToPng(fishboneSvg(exp)));
await measure('slides.pptx', rounds, () => slidesPptx(outcomeOf(exp, { timeZone })));
await measure('report.docx', rounds, () => wordReport(exp, { timeZone }));
