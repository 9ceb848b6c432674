import type { Store } from '../store/store.ts';
import { Workshop, type Fanout } from './workshop.ts';

const IDLE_UNLOAD_MS = 10 * 60 * 1000;

/**
 * The open workshops of this server, loaded from the store on first use. All of a workshop's
 * state lives in its own Workshop, so workshops can later be spread over several nodes.
 */
export class Registry {
  readonly #open = new Map<string, Workshop>();
  readonly #loading = new Map<string, Promise<Workshop | null>>();
  readonly #idByCode = new Map<string, string>();
  readonly #idle = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly store: Store,
    private readonly fanout: Fanout,
    private readonly now: () => number,
  ) {}

  async byCode(code: string): Promise<Workshop | null> {
    let id = this.#idByCode.get(code);
    if (!id) {
      id = (await this.store.findIdByCode(code)) ?? undefined;
      if (!id) return null;
      this.#idByCode.set(code, id);
    }
    return this.byId(id);
  }

  byId(id: string): Promise<Workshop | null> {
    const open = this.#open.get(id);
    if (open && !open.broken) return Promise.resolve(open);
    let loading = this.#loading.get(id);
    if (!loading) {
      loading = this.store.load(id).then((loaded) => {
        this.#loading.delete(id);
        if (!loaded) return null;
        const w = new Workshop(loaded, this.store, this.fanout, this.now);
        this.#open.set(id, w);
        return w;
      });
      loading.catch(() => this.#loading.delete(id));
      this.#loading.set(id, loading);
    }
    return loading;
  }

  /**
   * The last connection to a workshop went away: keep it in memory a while (people reconnect),
   * then let it go. Everything is in the store, so the next join loads it again.
   */
  release(w: Workshop, afterMs = IDLE_UNLOAD_MS): void {
    clearTimeout(this.#idle.get(w.id));
    const t = setTimeout(() => {
      this.#idle.delete(w.id);
      if (w.connections.size === 0 && this.#open.get(w.id) === w) this.#open.delete(w.id);
    }, afterMs);
    t.unref();
    this.#idle.set(w.id, t);
  }

  /** Forget an open workshop (after a failed write); the next use reloads it from the store. */
  evict(w: Workshop): void {
    if (this.#open.get(w.id) === w) this.#open.delete(w.id);
  }

  /** A deleted workshop: drop it from memory and from the code cache. */
  forget(id: string, code: string): void {
    this.#open.delete(id);
    this.#idByCode.delete(code);
  }

  close(): void {
    for (const t of this.#idle.values()) clearTimeout(t);
    this.#idle.clear();
  }

  get openCount(): number {
    return this.#open.size;
  }
}
