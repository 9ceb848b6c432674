/**
 * A token bucket: bursts are fine (a phone catching up on queued notes), a flood is refused with
 * a clear error while everyone else carries on.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#tokens = capacity;
    this.#last = now();
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((t - this.#last) / 1000) * this.perSecond);
    this.#last = t;
  }

  /** Take `n` tokens (one by default); more than the capacity is allowed from a full bucket. */
  take(n = 1): boolean {
    this.#refill();
    if (this.#tokens < Math.min(n, this.capacity)) return false;
    this.#tokens -= n;
    return true;
  }

  /** Seconds until `n` tokens are there (for a Retry-After header). */
  retryAfterSeconds(n = 1): number {
    this.#refill();
    const want = Math.min(n, this.capacity);
    return this.#tokens >= want ? 0 : Math.ceil((want - this.#tokens) / this.perSecond);
  }

  /** One token back (up to the capacity). */
  give(n = 1): void {
    this.#refill();
    this.#tokens = Math.min(this.capacity, this.#tokens + n);
  }

  /** An abuser: no tokens until they have refilled from nothing. */
  drain(): void {
    this.#refill();
    this.#tokens = 0;
  }
}
