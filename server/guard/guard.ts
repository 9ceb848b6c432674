import type { RequestHandler, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { fail } from '../workshop/result.ts';
import type { Registry } from '../workshop/registry.ts';
import { normalizeCode } from '../workshop/keys.ts';
import type { Workshop } from '../workshop/workshop.ts';
import { AddressLimits, clientAddress, trustFunction, type LimitKind, type LimitSettings } from './address-limits.ts';

/** The seconds a refused client must wait. */
export interface Limited {
  retryAfter: number;
}

export const isLimited = (x: unknown): x is Limited => typeof x === 'object' && x !== null && 'retryAfter' in x;

/** 429 with Retry-After: the one way an HTTP client hears it has to slow down. */
export function tooMany(res: Response, seconds: number): void {
  res.set('retry-after', String(seconds)).status(429).json(fail('rate_limited'));
}

/**
 * Per-address limits at every door a stranger can knock on: HTTP routes, socket connections,
 * and every lookup of a join code, where a miss costs the address a token so that codes cannot
 * be guessed at speed.
 */
/** Codes remembered as found from an address (most recently used last). */
const KNOWN_CODES = 50_000;

export class Guard {
  readonly limits: AddressLimits;
  readonly trust: (addr: string, i: number) => boolean;
  /** `address code` pairs whose lookup found a workshop: that address already knows that code. */
  readonly #known = new Map<string, true>();

  constructor(
    private readonly registry: Registry,
    trustProxy: string | undefined,
    now: () => number,
    settings?: LimitSettings,
  ) {
    this.limits = new AddressLimits(now, settings);
    this.trust = trustFunction(trustProxy);
  }

  addressOf(req: IncomingMessage): string {
    return clientAddress(req, this.trust);
  }

  /**
   * The workshop a code names, for this address; a code that names none costs a token. An
   * address out of tokens is refused every lookup (a guesser must not learn a hit from a 200
   * among 429s) except of codes it has already found: a guesser behind a venue's shared address
   * does not keep that venue's phones out of the workshop the room has been joining (issue 21:
   * 14 of 20 joins refused), and learns nothing it did not know.
   */
  async find(addr: string, rawCode: string): Promise<Workshop | null | Limited> {
    const pair = `${addr} ${normalizeCode(rawCode)}`;
    const known = this.#known.has(pair);
    const wait = known ? 0 : this.limits.waitFor('unknownCode', addr);
    if (wait > 0) return { retryAfter: wait };
    const w = await this.registry.find(rawCode);
    if (!w) {
      this.limits.take('unknownCode', addr);
      this.#known.delete(pair);
    } else {
      this.#known.delete(pair);
      this.#known.set(pair, true);
      if (this.#known.size > KNOWN_CODES) this.#known.delete(this.#known.keys().next().value!);
    }
    return w;
  }

  /** Middleware: spend one of `kind` for the request's address, or answer 429. */
  http(kind: LimitKind): RequestHandler {
    return (req, res, next) => {
      const wait = this.limits.take(kind, this.addressOf(req));
      if (wait > 0) return tooMany(res, wait);
      next();
    };
  }
}
