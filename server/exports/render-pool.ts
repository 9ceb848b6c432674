import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { RenderJob } from './render.ts';

/** Jobs waiting beyond this are refused at once: the facilitator's own downloads never queue so. */
const QUEUE_MAX = 16;
/** Files kept, by kind and document state, so a repeated download costs nothing. */
const CACHE_MAX = 24;

export class RenderBusy extends Error {}

/**
 * Heavy exports are rendered on one worker thread, one at a time, so a loop of downloads
 * cannot stall every workshop's commands (four PNG loops took a quiet user's ack p50 to 1.9 s
 * on the event loop). The same export of the same board is made once and then served from
 * a small cache.
 */
export class RenderPool {
  #worker: Worker | null = null;
  #next = 1;
  readonly #waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  readonly #cache = new Map<string, Promise<Buffer>>();

  /** Exports being made now and waiting for the worker (it makes one at a time): for metrics. */
  get load(): { running: number; queued: number } {
    const n = this.#waiting.size;
    return { running: Math.min(n, 1), queued: Math.max(0, n - 1) };
  }

  render(job: RenderJob, workshopId: string): Promise<Buffer> {
    const { exportedAt: _when, ...board } = job.model;
    const key = `${workshopId} ${job.kind} ${job.timeZone} ${createHash('sha256').update(JSON.stringify(board)).digest('base64url')}`;
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    if (this.#waiting.size >= QUEUE_MAX) return Promise.reject(new RenderBusy('too many exports are being made'));
    const made = this.#send(job);
    this.#cache.set(key, made);
    made.catch(() => this.#cache.delete(key));
    if (this.#cache.size > CACHE_MAX) this.#cache.delete(this.#cache.keys().next().value!);
    return made;
  }

  #send(job: RenderJob): Promise<Buffer> {
    const id = this.#next++;
    return new Promise<Buffer>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#thread().postMessage({ id, job });
    });
  }

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    // From source (tsx) the worker registers tsx first; bundled, it is render-worker.js.
    const fromSource = import.meta.url.endsWith('.ts');
    const w = new Worker(new URL(fromSource ? './render-worker-source.mjs' : './render-worker.js', import.meta.url));
    w.unref();
    w.on('message', (m: { id: number; bytes?: Uint8Array; error?: string }) => {
      const p = this.#waiting.get(m.id);
      this.#waiting.delete(m.id);
      if (m.bytes) p?.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      else p?.reject(new Error(m.error ?? 'render failed'));
    });
    w.on('error', (err) => this.#fail(err));
    w.on('exit', () => this.#fail(new Error('the render worker stopped')));
    this.#worker = w;
    return w;
  }

  #fail(err: Error): void {
    this.#worker = null;
    for (const p of this.#waiting.values()) p.reject(err);
    this.#waiting.clear();
  }

  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.terminate();
  }
}
