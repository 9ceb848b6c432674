import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './process.ts';
import { sleep } from './wait.ts';

/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, its own port), so a test
 * can stop and start it without touching the machine's shared one. Runs as the `postgres` user
 * (PostgreSQL refuses root), with Debian's binaries from the `postgresql` package.
 */
export class PrivatePostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'fishbone-pg-'));
  port = 0;
  readonly #bin = join('/usr/lib/postgresql', readdirSync('/usr/lib/postgresql').sort().at(-1)!, 'bin');

  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  #asPostgres(cmd: string, args: string[]): void {
    const asRoot = process.getuid?.() === 0;
    execFileSync(asRoot ? 'runuser' : join(this.#bin, cmd), asRoot ? ['-u', 'postgres', '--', join(this.#bin, cmd), ...args] : args, {
      stdio: 'ignore',
    });
  }

  async init(): Promise<void> {
    this.port = await freePort();
    if (process.getuid?.() === 0)
      chownSync(
        this.dir,
        Number(execFileSync('id', ['-u', 'postgres']).toString()),
        Number(execFileSync('id', ['-g', 'postgres']).toString()),
      );
    this.#asPostgres('initdb', ['-D', join(this.dir, 'data'), '-U', 'postgres', '--auth=trust', '--no-sync']);
    await this.start();
  }

  async start(): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    this.#asPostgres('pg_ctl', ['-D', join(this.dir, 'data'), '-o', opts, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  /** A fast shutdown, as an operator's stop or a crash-restart does: every connection is cut. */
  async stop(): Promise<void> {
    this.#asPostgres('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  async remove(): Promise<void> {
    try {
      await this.stop();
    } catch {
      /* not running */
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A Redis server of the test's own, on its own port, stopped and started again by its pid. */
export class PrivateRedis {
  port = 0;
  proc: ChildProcess | null = null;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.proc = proc;
    const end = Date.now() + 10_000;
    for (;;) {
      try {
        execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { stdio: 'pipe' });
        return;
      } catch {
        if (Date.now() > end) throw new Error('redis-server did not start');
        await sleep(50);
      }
    }
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    process.kill(p.pid!, 'SIGKILL');
    await exited;
    this.proc = null;
  }
}
