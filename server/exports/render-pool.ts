import { Worker } from 'node:worker_threads';
import type { RenderJob } from './render.ts';

/** The pool's bounds; the defaults suit one two-core node (docs/PROTOCOL.md, "Limits"). */
export interface RenderPoolOptions {
  /** Worker threads, each making one file at a time (one leaves the other core to the event loop). */
  workers?: number;
  /** A worker's JavaScript heap (MB): an export past it fails alone, and the worker is replaced. */
  heapMb?: number;
  /** A file not made by then is given up, its worker replaced. */
  timeoutMs?: number;
  /** Exports waiting or being made, in all, for one address, and for one workshop. */
  queueMax?: number;
  perAddress?: number;
  perWorkshop?: number;
  /** Bytes of finished files kept, by document state, so a repeated download costs nothing. */
  cacheBytes?: number;
}

const DEFAULTS: Required<RenderPoolOptions> = {
  workers: 1,
  heapMb: 256,
  timeoutMs: 60_000,
  queueMax: 32,
  perAddress: 3,
  perWorkshop: 3,
  cacheBytes: 64 * 1024 * 1024,
};

/** Too many exports are waiting (for everyone, this address, or this workshop): try again soon. */
export class RenderBusy extends Error {}
/** This export could not be made within the worker's time or memory. */
export class RenderFailed extends Error {}

/** One export asked for: who asks, for which workshop, and a key naming its content. */
export interface RenderRequest {
  job: RenderJob;
  /** The same key means the same bytes (workshop, document state, kind, time zone). */
  key: string;
  workshop: string;
  address: string;
  /** Aborted when the client has gone: a job nobody waits for any more is dropped or stopped. */
  signal?: AbortSignal;
}

interface Task {
  key: string;
  job: RenderJob;
  workshop: string;
  address: string;
  waiters: Set<{ resolve: (b: Buffer) => void; reject: (e: Error) => void }>;
  slot: Slot | null;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Heavy exports (the fishbone's SVG and PNG, the slides, the Word report) are made on worker
 * threads, never on the event loop, so no download stalls another workshop's commands (issue 21:
 * a 2,000-note SVG on the event loop put every other workshop's ack p50 at 7.7 s).
 *
 * Bounded for a stranger: each worker has a heap limit and each job a time limit; few jobs may
 * wait, for anyone, per address and per workshop; the next job is taken from the address (then
 * the workshop) served longest ago, so one address's loop takes turns with everyone else; a job
 * whose clients have all gone is dropped, or its worker stopped; the same file of the same
 * document state is made once and then served from a cache bounded in bytes.
 */
export class RenderPool {
  readonly #o: Required<RenderPoolOptions>;
  readonly #slots: Slot[] = [];
  /** Waiting or running, by key. */
  readonly #tasks = new Map<string, Task>();
  /** Waiting, oldest first. */
  readonly #queue: Task[] = [];
  readonly #cache = new Map<string, Buffer>();
  #cacheBytes = 0;
  /** When each address and workshop was last served (a counter): the least recent goes first. */
  readonly #served = new Map<string, number>();
  #turn = 0;
  #closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.#o = { ...DEFAULTS, ...options };
  }

  /** Exports waiting and being made, for metrics and tests. */
  get counts(): { queued: number; running: number } {
    return { queued: this.#queue.length, running: this.#slots.filter((s) => s.task).length };
  }

  render(r: RenderRequest): Promise<Buffer> {
    const hit = this.#cache.get(r.key);
    if (hit) {
      this.#cache.delete(r.key);
      this.#cache.set(r.key, hit); // most recently used last
      return Promise.resolve(hit);
    }
    if (r.signal?.aborted) return Promise.reject(new RenderFailed('the client has gone'));
    let task = this.#tasks.get(r.key);
    if (!task) {
      const mine = (pick: (t: Task) => string, v: string) => [...this.#tasks.values()].filter((t) => pick(t) === v).length;
      if (
        this.#queue.length >= this.#o.queueMax ||
        mine((t) => t.address, r.address) >= this.#o.perAddress ||
        mine((t) => t.workshop, r.workshop) >= this.#o.perWorkshop
      )
        return Promise.reject(new RenderBusy('too many exports are being made'));
      task = { key: r.key, job: r.job, workshop: r.workshop, address: r.address, waiters: new Set(), slot: null };
      this.#tasks.set(r.key, task);
      this.#queue.push(task);
    }
    const t = task;
    return new Promise<Buffer>((resolve, reject) => {
      const waiter = { resolve, reject };
      t.waiters.add(waiter);
      r.signal?.addEventListener(
        'abort',
        () => {
          if (!t.waiters.delete(waiter)) return;
          reject(new RenderFailed('the client has gone'));
          if (t.waiters.size === 0) this.#drop(t);
        },
        { once: true },
      );
      this.#pump();
    });
  }

  /** Nobody waits for `t` any more: out of the queue, or its worker stopped. */
  #drop(t: Task): void {
    if (this.#tasks.get(t.key) === t) this.#tasks.delete(t.key);
    const i = this.#queue.indexOf(t);
    if (i >= 0) this.#queue.splice(i, 1);
    if (t.slot) this.#retire(t.slot);
    this.#pump();
  }

  /** The next waiting task: from the address served longest ago, then its workshop served longest ago. */
  #next(): Task | undefined {
    const last = (k: string) => this.#served.get(k) ?? -1;
    let best: Task | undefined;
    for (const t of this.#queue) {
      if (!best) best = t;
      else {
        const a = last(`a ${t.address}`) - last(`a ${best.address}`);
        if (a < 0 || (a === 0 && last(`w ${t.workshop}`) < last(`w ${best.workshop}`))) best = t;
      }
    }
    return best;
  }

  #pump(): void {
    if (this.#closed) return;
    for (;;) {
      const slot = this.#freeSlot();
      const t = slot && this.#next();
      if (!slot || !t) return;
      this.#queue.splice(this.#queue.indexOf(t), 1);
      const turn = ++this.#turn;
      this.#served.set(`a ${t.address}`, turn);
      this.#served.set(`w ${t.workshop}`, turn);
      if (this.#served.size > 10_000) this.#served.delete(this.#served.keys().next().value!);
      t.slot = slot;
      slot.task = t;
      slot.timer = setTimeout(() => this.#fail(slot, new RenderFailed('the export took too long')), this.#o.timeoutMs);
      slot.worker.postMessage({ key: t.key, job: t.job });
    }
  }

  #freeSlot(): Slot | null {
    const idle = this.#slots.find((s) => !s.task);
    if (idle) return idle;
    if (this.#slots.length >= this.#o.workers) return null;
    const slot: Slot = { worker: this.#spawn(), task: null, timer: null };
    slot.worker.on('message', (m: { key: string; bytes?: Uint8Array; error?: string }) => {
      const t = slot.task;
      if (!t || t.key !== m.key) return;
      this.#finish(slot);
      if (m.bytes) {
        const body = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength);
        this.#remember(t.key, body);
        for (const w of t.waiters) w.resolve(body);
      } else for (const w of t.waiters) w.reject(new Error(m.error ?? 'render failed'));
      t.waiters.clear();
      this.#pump();
    });
    // Out of memory (the heap limit), or a crash: that job fails, the others go on.
    slot.worker.on('error', (err: Error & { code?: string }) =>
      this.#fail(slot, err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new RenderFailed('the export needs too much memory') : err),
    );
    slot.worker.on('exit', () => this.#fail(slot, new RenderFailed('the render worker stopped')));
    this.#slots.push(slot);
    return slot;
  }

  #spawn(): Worker {
    // From source (tsx) the worker registers tsx first; bundled, it is render-worker.js.
    const fromSource = import.meta.url.endsWith('.ts');
    const w = new Worker(new URL(fromSource ? './render-worker-source.mjs' : './render-worker.js', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.#o.heapMb, maxYoungGenerationSizeMb: 32 },
    });
    w.unref();
    return w;
  }

  /** The slot's task is over (done, failed or dropped). */
  #finish(slot: Slot): Task | null {
    const t = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.task = null;
    if (t) {
      t.slot = null;
      if (this.#tasks.get(t.key) === t) this.#tasks.delete(t.key);
    }
    return t;
  }

  #fail(slot: Slot, err: Error): void {
    const t = this.#finish(slot);
    for (const w of t?.waiters ?? []) w.reject(err);
    t?.waiters.clear();
    this.#retire(slot);
    this.#pump();
  }

  /** Stop a slot's worker (a job nobody waits for, a time or memory overrun); a new one starts when needed. */
  #retire(slot: Slot): void {
    const i = this.#slots.indexOf(slot);
    if (i < 0) return;
    this.#slots.splice(i, 1);
    this.#finish(slot);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => {});
    void slot.worker.terminate();
  }

  #remember(key: string, body: Buffer): void {
    if (body.byteLength > this.#o.cacheBytes / 4) return;
    this.#cache.set(key, body);
    this.#cacheBytes += body.byteLength;
    while (this.#cacheBytes > this.#o.cacheBytes) {
      const [k, b] = this.#cache.entries().next().value!;
      this.#cache.delete(k);
      this.#cacheBytes -= b.byteLength;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#tasks.values()) for (const w of t.waiters) w.reject(new RenderFailed('the server is stopping'));
    this.#tasks.clear();
    this.#queue.length = 0;
    await Promise.all(
      this.#slots.splice(0).map((s) => {
        this.#finish(s);
        s.worker.removeAllListeners();
        return s.worker.terminate();
      }),
    );
  }
}
