/**
 * The time releases are scheduled on (disclosure.ts). The server runs on the system's clock;
 * tests pass one they move by hand, so a release a few seconds away takes no time to reach.
 */
export interface Clock {
  now(): number;
  /** Run `fn` once, `ms` from now. The returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    // A release due later never keeps a stopping process alive.
    t.unref();
    return () => clearTimeout(t);
  },
};
