import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { TestClient } from '../support/client.ts';
import type { ServerProcess } from '../support/process.ts';
import { createWorkshop } from '../support/server.ts';
import { sleep } from '../support/wait.ts';

/**
 * The abuse suite's yardstick: a quiet participant in a workshop of their own keeps working while
 * an attacker, in a process of its own (so its CPU is not the test's), floods the server. Its
 * acknowledgement p95 is compared with its own figure measured in the same run without a flood.
 */

export const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

/** A participant who changes their group, again and again: a small command with no cap. */
export async function quietParticipant(server: ServerProcess, code?: string): Promise<TestClient> {
  let c = code;
  if (!c) {
    const w = await createWorkshop(server.url, { title: 'Quiet room', silent: false }, '192.0.2.1');
    const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
    await fac.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
    fac.close();
    c = w.code;
  }
  return TestClient.participant(server.url, c);
}

/** Acknowledgement times of commands sent one after another, about 12 a second, for `ms`. */
export async function probe(p: TestClient, ms: number): Promise<number[]> {
  const times: number[] = [];
  const end = Date.now() + ms;
  let i = 0;
  while (Date.now() < end) {
    const t0 = performance.now();
    const r = await p.send({ type: 'profile.set', group: i++ % 2 ? 'NHS' : 'Council' });
    times.push(performance.now() - t0);
    await sleep(80);
    expect(r.ok, `the quiet participant was refused: ${JSON.stringify(r)}`).toBe(true);
  }
  return times;
}

export interface FloodResult {
  kind: string;
  seconds: number;
  counts: Record<string, number>;
}

/** Run the attacker process (tests/abuse/flooder.ts) at the lowest priority; resolves with its summary. */
export function flood(server: ServerProcess, kind: string, seconds: number, ...args: string[]): Promise<FloodResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'nice',
      ['-n', '19', process.execPath, '--import', 'tsx', 'tests/abuse/flooder.ts', server.url, kind, String(seconds), ...args],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as FloodResult) : reject(new Error(`flooder exited ${code}`)),
    );
  });
}

/** "Near its quiet figure" on a shared two-core machine: within `ratio`×, or `plusMs` more. */
export const near = (measured: number, quiet: number, ratio = 10, plusMs = 100) =>
  expect(measured).toBeLessThanOrEqual(Math.max(ratio * quiet, quiet + plusMs));

/** The server process's resident memory now and at its peak (MB), from /proc. */
export function memoryOf(server: ServerProcess): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${server.proc!.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}
