import type { Store } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { ReleaseTiming } from './disclosure.ts';
import { FACTS } from './facts.ts';
import { isWellFormedCode, normalizeCode } from './keys.ts';
import { Workshop, type WorkshopHooks } from './workshop.ts';

/**
 * Several nodes on one database: a workshop may be loaded on one node at a time
 * (server/cluster/lease.ts). Absent on a single node.
 */
export interface Ownership {
  /** Become the one node that may change this workshop; resolves before it is loaded. */
  claim(workshopId: string): Promise<unknown>;
  /** This node no longer has the workshop in memory: another node may take it at once. */
  release(workshopId: string): void;
  /** Tell `listener` when this node may no longer change a workshop it holds (and why). */
  onLost(listener: (workshopId: string, reason: string) => void): void;
}

export interface RegistryOptions {
  /** How long a workshop nobody is connected to stays in memory (people reconnect). */
  idleMs?: number;
  /** At most this many such workshops stay in memory; the longest unused go first. */
  maxIdle?: number;
  ownership?: Ownership;
  /** The clock releases are scheduled on, and their timing (disclosure.ts); tests pass their own. */
  clock?: Clock;
  releaseTiming?: ReleaseTiming;
}

/**
 * The open workshops of this server, loaded from the store on first use and let go again when
 * nobody has been connected for a while — however they were loaded (a join, a page, an export),
 * so a stream of anonymous GETs cannot fill the memory. Everything is in the store, so the next
 * use loads a workshop again.
 */
export class Registry {
  readonly #open = new Map<string, Workshop>();
  readonly #loading = new Map<string, Promise<Workshop | null>>();
  readonly #idByCode = new Map<string, string>();
  /** Open workshops nobody is connected to, least recently used first, with their unload timers. */
  readonly #idle = new Map<string, NodeJS.Timeout>();
  readonly #hooks: WorkshopHooks;
  readonly #idleMs: number;
  readonly #maxIdle: number;
  readonly #ownership: Ownership | undefined;
  readonly #opts: RegistryOptions;

  constructor(
    private readonly store: Store,
    hooks: WorkshopHooks,
    private readonly now: () => number,
    opts: RegistryOptions = {},
  ) {
    this.#idleMs = opts.idleMs ?? 10 * 60 * 1000;
    this.#maxIdle = opts.maxIdle ?? 500;
    this.#ownership = opts.ownership;
    this.#ownership?.onLost((id, reason) => this.lost(id, reason));
    this.#opts = opts;
    this.#hooks = {
      committed: (w, e) => hooks.committed(w, e),
      broken: (w) => {
        this.evict(w);
        hooks.broken(w);
      },
    };
  }

  /** The workshop a typed or linked code names (case, spaces and dashes forgiven), or null. */
  async find(rawCode: string): Promise<Workshop | null> {
    const code = normalizeCode(rawCode);
    if (!isWellFormedCode(code)) return null;
    let id = this.#idByCode.get(code);
    if (!id) {
      id = (await this.store.findIdByCode(code)) ?? undefined;
      if (!id) return null;
      this.#idByCode.set(code, id);
    }
    return this.byId(id);
  }

  async byId(id: string): Promise<Workshop | null> {
    const open = this.#open.get(id);
    if (open && !open.broken) {
      this.#used(open);
      return open;
    }
    let loading = this.#loading.get(id);
    if (!loading) {
      const claimed = this.#ownership ? this.#ownership.claim(id) : Promise.resolve();
      loading = claimed
        .then(() => this.store.load(id))
        .then((loaded) => {
          this.#loading.delete(id);
          if (!loaded) return null;
          const w = new Workshop(loaded, this.store, this.#hooks, FACTS, this.now, this.#opts.clock, this.#opts.releaseTiming);
          this.#open.set(id, w);
          return w;
        });
      loading.catch(() => this.#loading.delete(id));
      this.#loading.set(id, loading);
    }
    const w = await loading;
    if (w) this.#used(w);
    return w;
  }

  /** Someone connected or asked: (re)start the wait before an unused workshop is let go. */
  #used(w: Workshop): void {
    clearTimeout(this.#idle.get(w.id));
    this.#idle.delete(w.id);
    if (w.presence.size > 0) return;
    const t = setTimeout(() => this.#unload(w), this.#idleMs);
    t.unref();
    this.#idle.set(w.id, t);
    if (this.#idle.size > this.#maxIdle) {
      const oldest = this.#idle.keys().next().value!;
      const ow = this.#open.get(oldest);
      if (ow) this.#unload(ow);
      else this.#idle.delete(oldest);
    }
  }

  #unload(w: Workshop): void {
    clearTimeout(this.#idle.get(w.id));
    this.#idle.delete(w.id);
    if (w.presence.size === 0 && this.#open.get(w.id) === w) {
      w.stop();
      this.#open.delete(w.id);
      this.#idByCode.delete(w.row.code);
      this.#ownership?.release(w.id);
    }
  }

  /** The last connection to a workshop went away. */
  release(w: Workshop): void {
    this.#used(w);
  }

  /** Forget an open workshop (after a failed write); the next use reloads it from the store. */
  evict(w: Workshop): void {
    if (this.#open.get(w.id) !== w) return;
    w.stop();
    this.#open.delete(w.id);
    this.#ownership?.release(w.id);
  }

  /** Another node owns the workshop now (or this node stops): stop serving this copy; its sockets reconnect there. */
  lost(id: string, reason = 'another node owns it now'): void {
    this.#open.get(id)?.abandon(reason);
  }

  /** A deleted workshop: drop it from memory and from the code cache. */
  forget(id: string, code: string): void {
    clearTimeout(this.#idle.get(id));
    this.#idle.delete(id);
    this.#open.get(id)?.stop();
    this.#open.delete(id);
    this.#idByCode.delete(code);
    this.#ownership?.release(id);
  }

  close(): void {
    for (const t of this.#idle.values()) clearTimeout(t);
    this.#idle.clear();
    for (const w of this.#open.values()) w.stop();
  }

  get openCount(): number {
    return this.#open.size;
  }
}
