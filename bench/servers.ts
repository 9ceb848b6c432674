import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep } from './clock.ts';

/** Every process the benchmark starts, so that any exit path can stop them all. */
export const children = new Set<ChildProcess>();

export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GUARD = fileURLToPath(new URL('./guard.cjs', import.meta.url));

export function track(c: ChildProcess): ChildProcess {
  children.add(c);
  c.once('exit', () => children.delete(c));
  return c;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerHandle {
  pid: number;
  url: string;
  /** The last lines it printed, for error reports. */
  log(): string;
  /** The longest event-loop delay between two mono() times, and how many 250 ms slots had one over 100 ms. */
  stalls(from: number, to: number): { maxMs: number; over100: number };
  stop(): Promise<void>;
}

async function start(args: string[], env: Record<string, string>, cleanup: () => void): Promise<ServerHandle> {
  const port = await freePort();
  const scratch = mkdtempSync(join(tmpdir(), 'fishbone-bench-run-'));
  const stallsFile = join(scratch, 'stalls.txt');
  const proc = track(
    spawn(process.execPath, ['--require', GUARD, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', PORT: String(port), BENCH_STALLS: stallsFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  const keep = (b: Buffer) => (out = (out + b.toString()).slice(-4000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const handle: ServerHandle = {
    pid: proc.pid!,
    url,
    log: () => out,
    stalls(from, to) {
      let lines: string[] = [];
      try {
        lines = readFileSync(stallsFile, 'utf8').trim().split('\n');
      } catch {
        /* nothing written yet */
      }
      let maxMs = 0;
      let over100 = 0;
      for (const line of lines) {
        const [t, ms] = line.split(' ').map(Number);
        if (t < from || t > to + 250) continue;
        maxMs = Math.max(maxMs, ms);
        if (ms > 100) over100++;
      }
      return { maxMs, over100 };
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000)]);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      }
      rmSync(scratch, { recursive: true, force: true });
      cleanup();
    },
  };
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/healthz`)).ok) return handle;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  await handle.stop();
  throw new Error(`server did not start:\n${out}`);
}

/** Fishbone Live's production build (or another build of it, to compare), on a fresh SQLite file. */
export function startOurs(opts: { cpuProfDir?: string; dataRoot?: string; entry?: string } = {}): Promise<ServerHandle> {
  const dataDir = mkdtempSync(join(opts.dataRoot ?? tmpdir(), 'fishbone-bench-'));
  const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  return start([...prof, opts.entry ?? 'dist/server/main.js'], { DATA_DIR: dataDir }, () =>
    rmSync(dataDir, { recursive: true, force: true }),
  );
}

/** The plain relay both floors run on. */
export function startRelay(opts: { cpuProfDir?: string } = {}): Promise<ServerHandle> {
  const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  return start([...prof, '--import', 'tsx', 'bench/floors/relay.ts'], {}, () => undefined);
}
