import { randomInt } from 'node:crypto';

/** Fisher–Yates with a cryptographic source: an order nobody can predict or reconstruct. */
export function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
