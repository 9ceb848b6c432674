import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mono } from './clock.ts';

/**
 * Samples, from /proc, the CPU time and memory of the server under test, the CPU time of the
 * benchmark's own processes, and how busy the whole machine is: the difference is other work
 * sharing the cores (this machine is shared), which the report states beside each result.
 */

const TICK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process (all its threads), in seconds; null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command name start at field 3 (state): utime is 14, stime 15.
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return null;
  }
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM). */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Busy and total CPU seconds of the whole machine, summed over all cores. */
function machine(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = v[3] + v[4];
  return { busy: (total - idle) / TICK, total: total / TICK };
}

interface Sample {
  t: number;
  server: number;
  rssKb: number;
  own: number;
  busy: number;
}

export interface Window {
  seconds: number;
  /** Server CPU as % of one core, on average and at its busiest second. */
  serverPct: number;
  serverPeakPct: number;
  /** Cores in use on average: by the load generators and orchestrator, by everything else. */
  loadgenCores: number;
  otherCores: number;
}

export class Monitor {
  readonly samples: Sample[] = [];
  readonly marks = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #peakRssKb = 0;

  constructor(
    readonly serverPid: number,
    private ownPids: () => number[],
  ) {}

  start(everyMs = 250): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): Sample {
    const own = [process.pid, ...this.ownPids()].reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
    const m = machine();
    const s: Sample = {
      t: mono(),
      server: cpuSeconds(this.serverPid) ?? NaN,
      rssKb: statusKb(this.serverPid, 'VmRSS') ?? NaN,
      own,
      busy: m.busy,
    };
    if (s.rssKb > this.#peakRssKb) this.#peakRssKb = s.rssKb;
    this.samples.push(s);
    return s;
  }

  mark(name: string): void {
    this.sample();
    this.marks.set(name, this.samples.length - 1);
  }

  /** Server CPU seconds between two marks. */
  cpuBetween(from: string, to: string): number {
    return this.samples[this.marks.get(to)!].server - this.samples[this.marks.get(from)!].server;
  }

  timeOf(mark: string): number {
    return this.samples[this.marks.get(mark)!].t;
  }

  rssKb(): number {
    return this.sample().rssKb;
  }

  /** The kernel's high-water mark of the server's resident set, or the sampled peak. */
  peakRssKb(): number {
    return Math.max(statusKb(this.serverPid, 'VmHWM') ?? 0, this.#peakRssKb);
  }

  window(from: string, to: string): Window {
    const a = this.samples[this.marks.get(from)!];
    const b = this.samples[this.marks.get(to)!];
    const i0 = this.marks.get(from)!;
    const i1 = this.marks.get(to)!;
    const dt = (b.t - a.t) / 1000;
    let peak = 0;
    for (let i = i0; i <= i1; i++) {
      // The busiest stretch of about one second.
      let j = i;
      while (j < i1 && this.samples[j].t - this.samples[i].t < 1000) j++;
      const span = (this.samples[j].t - this.samples[i].t) / 1000;
      if (span >= 0.9) peak = Math.max(peak, (this.samples[j].server - this.samples[i].server) / span);
    }
    const server = b.server - a.server;
    const own = b.own - a.own;
    return {
      seconds: dt,
      serverPct: (100 * server) / dt,
      serverPeakPct: 100 * peak,
      loadgenCores: own / dt,
      otherCores: Math.max(0, (b.busy - a.busy - server - own) / dt),
    };
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
