import type { Clock } from '../../server/workshop/clock.ts';
import { RELEASE_TIMING, type ReleaseTiming } from '../../server/workshop/disclosure.ts';
import type { TestClient } from './client.ts';

/**
 * A clock the test moves by hand (server/workshop/clock.ts): the server's releases wait on it,
 * so a test decides exactly when "a few seconds later" is, and reads every frame in between.
 */
export class ManualClock implements Clock {
  #now: number;
  #timers: Array<{ at: number; fn: () => void; id: number }> = [];
  #seq = 0;

  constructor(start = Date.now()) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, fn: () => void): () => void {
    const id = ++this.#seq;
    this.#timers.push({ at: this.#now + ms, fn, id });
    return () => {
      this.#timers = this.#timers.filter((t) => t.id !== id);
    };
  }

  /** Move time on by `ms`, running each timer that falls due, in order, at its own time. */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = end;
  }

  /** Timers still waiting. */
  get pending(): number {
    return this.#timers.length;
  }
}

/**
 * Move the clock past every release due by now (server/workshop/disclosure.ts), and wait until
 * what it released has reached `via`. Counts follow a moment later (`until` them, or `probe`).
 */
export async function afterReleases(clock: ManualClock, via: TestClient, timing: ReleaseTiming = RELEASE_TIMING): Promise<void> {
  clock.advance(timing.quietMs + timing.jitterMs);
  // A refused command (no timer runs in these tests) goes through the workshop's queue behind
  // any release the clock has started, and is answered after its views were sent.
  await via.send({ type: 'timer.pause' });
  await via.sync();
}
