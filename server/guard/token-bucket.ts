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

  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Seconds until the next token (for a Retry-After header). */
  retryAfterSeconds(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.perSecond);
  }

  /** An abuser: no tokens until they have refilled from nothing. */
  drain(): void {
    this.#refill();
    this.#tokens = 0;
  }
}
