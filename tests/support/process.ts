import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './wait.ts';

/** A real server process (the production build) on its own port and its own SQLite file. */
export class ServerProcess {
  proc: ChildProcess | null = null;
  /** Every line it wrote to stdout (its log), across restarts. */
  readonly lines: string[] = [];
  /** Every line it wrote to stderr (Node's own warnings; also passed on to the test's stderr). */
  readonly errorLines: string[] = [];
  readonly dataDir = mkdtempSync(join(tmpdir(), 'fishbone-e2e-'));
  constructor(
    readonly port: number,
    /** Extra environment, e.g. a short heartbeat so a frozen phone is dropped within seconds. */
    readonly env: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, ...this.env, PORT: String(this.port), DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Read as it comes: a pipe nobody reads fills up and stops the server mid-write.
    collectLines(this.proc.stdout!, this.lines);
    collectLines(this.proc.stderr!, this.errorLines);
    this.proc.stderr!.pipe(process.stderr, { end: false });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`server exited (${this.proc.exitCode}): ${this.lines.slice(-3).join('\n')}`);
      try {
        if ((await fetch(`${this.url}/healthz`)).ok) return;
      } catch {
        /* not up yet */
      }
      await sleep(100);
    }
    throw new Error('server did not start');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
    this.proc = null;
  }

  async restart(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.stop(signal);
    await this.start();
  }

  cleanup(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function collectLines(stream: NodeJS.ReadableStream, into: string[]): void {
  let partial = '';
  stream.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    into.push(...parts);
  });
  stream.on('end', () => {
    if (partial) into.push(partial);
    partial = '';
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
