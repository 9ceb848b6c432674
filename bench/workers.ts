import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FromWorker, ToWorker } from './ipc.ts';
import { ROOT, track } from './servers.ts';

type Reply<T extends FromWorker['t']> = Extract<FromWorker, { t: T }>;

/** The load-generator processes of one run, and a request/answer helper over their IPC. */
export class Workers {
  readonly procs: ChildProcess[] = [];

  /** `execArgv`: more node flags for the load generators (e.g. --cpu-prof). */
  static async start(n: number, execArgv: string[] = []): Promise<Workers> {
    const w = new Workers();
    for (let i = 0; i < n; i++) {
      w.procs.push(
        track(
          fork(join(ROOT, 'bench/loadgen.ts'), [], {
            cwd: ROOT,
            execArgv: [...execArgv, '--import', 'tsx'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          }),
        ),
      );
    }
    await Promise.all(w.procs.map((p) => answer(p, null, 'ready', 30_000)));
    return w;
  }

  get pids(): number[] {
    return this.procs.map((p) => p.pid!).filter(Boolean);
  }

  /** Send each worker its message and wait for every answer of the given type. */
  all<T extends FromWorker['t']>(msgs: ToWorker | ToWorker[], want: T, timeoutMs: number): Promise<Array<Reply<T>>> {
    return Promise.all(this.procs.map((p, i) => answer(p, Array.isArray(msgs) ? msgs[i] : msgs, want, timeoutMs)));
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        if (p.exitCode !== null || p.signalCode !== null) return;
        const exited = new Promise((r) => p.once('exit', r));
        if (p.connected) p.send({ t: 'exit' } satisfies ToWorker);
        const t = setTimeout(() => p.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(t);
      }),
    );
  }
}

function answer<T extends FromWorker['t']>(p: ChildProcess, msg: ToWorker | null, want: T, timeoutMs: number): Promise<Reply<T>> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, m?: Reply<T>) => {
      clearTimeout(timer);
      p.off('message', onMessage);
      p.off('exit', onExit);
      if (err) reject(err);
      else resolve(m!);
    };
    const onMessage = (m: FromWorker) => {
      if (m.t === want) done(null, m as Reply<T>);
      else if (m.t === 'error') done(new Error(`load generator ${p.pid}: ${m.message}`));
    };
    const onExit = (code: number | null) => done(new Error(`load generator ${p.pid} exited (${code}) while waiting for "${want}"`));
    const timer = setTimeout(() => done(new Error(`load generator ${p.pid}: no "${want}" within ${timeoutMs} ms`)), timeoutMs);
    p.on('message', onMessage);
    p.once('exit', onExit);
    if (msg) p.send(msg);
  });
}
