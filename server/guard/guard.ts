import type { Request, RequestHandler, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { verifiedClient } from '../cluster/node-auth.ts';
import { fail } from '../workshop/result.ts';
import type { Registry } from '../workshop/registry.ts';
import { normalizeCode } from '../workshop/keys.ts';
import type { Workshop } from '../workshop/workshop.ts';
import {
  ADDRESS_LIMITS,
  AddressLimits,
  clientAddress,
  limitKey,
  trustFunction,
  type LimitKind,
  type LimitSettings,
} from './address-limits.ts';
import type { SharedLimits } from './shared-limits.ts';

/** The seconds a refused client must wait. */
export interface Limited {
  retryAfter: number;
}

export const isLimited = (x: unknown): x is Limited => typeof x === 'object' && x !== null && 'retryAfter' in x;

/** 429 with Retry-After: the one way an HTTP client hears it has to slow down. */
export function tooMany(res: Response, seconds: number): void {
  res.set('retry-after', String(seconds)).status(429).json(fail('rate_limited'));
}

/** Codes remembered as found from an address (most recently used last). */
const KNOWN_CODES = 50_000;

/**
 * The allowances a stranger would aim at a whole deployment: with several nodes they are kept in
 * Redis (server/guard/shared-limits.ts), one for all nodes. The others protect each node's own
 * resources and stay on it.
 */
const SHARED: ReadonlySet<LimitKind> = new Set(['create', 'import', 'unknownCode', 'page', 'export']);

/**
 * Per-address limits at every door a stranger can knock on: HTTP routes, socket connections,
 * and every lookup of a join code, where a miss costs the address a token so that codes cannot
 * be guessed at speed.
 */
export class Guard {
  readonly limits: AddressLimits;
  readonly trust: (addr: string, i: number) => boolean;
  readonly #settings: LimitSettings;
  /** `address code` pairs whose lookup found a workshop: that address already knows that code. */
  readonly #known = new Map<string, true>();

  constructor(
    private readonly registry: Registry,
    trustProxy: string | undefined,
    now: () => number,
    settings: LimitSettings = ADDRESS_LIMITS,
    private readonly shared: SharedLimits | null = null,
  ) {
    this.#settings = settings;
    this.limits = new AddressLimits(now, settings);
    this.trust = trustFunction(trustProxy);
  }

  /** The client's address for the limits: as another node of the deployment vouched for it, else as seen here. */
  addressOf(req: IncomingMessage): string {
    const vouched = verifiedClient(req);
    return vouched ? limitKey(vouched) : clientAddress(req, this.trust);
  }

  /** Spend `n` of `kind` for `addr`: 0 when allowed, else the seconds to wait. */
  async take(kind: LimitKind, addr: string, n = 1): Promise<number> {
    if (this.shared && SHARED.has(kind)) {
      const wait = await this.shared.take(kind, addr, this.#settings, n);
      if (wait !== null) return wait;
    }
    return this.limits.take(kind, addr, n);
  }

  async #give(kind: LimitKind, addr: string): Promise<void> {
    if (this.shared && SHARED.has(kind)) await this.shared.give(kind, addr, this.#settings);
    else this.limits.give(kind, addr);
  }

  #pair = (addr: string, rawCode: string) => `${addr} ${normalizeCode(rawCode)}`;

  /**
   * Whether `addr` may look `code` up now, without spending anything: a router asks before it
   * asks the database who owns a workshop, so a stranger's random codes cost the database
   * nothing once their allowance is spent.
   */
  async mayLookUp(addr: string, rawCode: string): Promise<boolean> {
    if (this.#known.has(this.#pair(addr, rawCode))) return true;
    if (this.shared) {
      const wait = await this.shared.peek('unknownCode', addr, this.#settings);
      if (wait !== null) return wait === 0;
    }
    return this.limits.waitFor('unknownCode', addr) === 0;
  }

  /**
   * The workshop a code names, for this address. A lookup spends a token first and gets it back
   * if the code names a workshop, so concurrent guesses cannot all pass one check (issue 25: 32
   * at once got 17 misses a second past a limit of 1). An address out of tokens is refused every
   * lookup (a guesser must not learn a hit from a 200 among 429s) except of codes it has already
   * found: a guesser behind a venue's shared address does not keep that venue's phones out of
   * the workshop the room has been joining (issue 21: 14 of 20 joins refused), and learns nothing
   * it did not know.
   */
  /** The workshop an HTTP request names by its `:code`; null once it has answered 429 or 404 itself. */
  async requested(req: Request, res: Response): Promise<Workshop | null> {
    const w = await this.find(this.addressOf(req), String(req.params.code ?? ''));
    if (isLimited(w)) {
      tooMany(res, w.retryAfter);
      return null;
    }
    if (!w) res.status(404).json(fail('unknown_workshop'));
    return w;
  }

  async find(addr: string, rawCode: string): Promise<Workshop | null | Limited> {
    const pair = this.#pair(addr, rawCode);
    const known = this.#known.has(pair);
    if (!known) {
      const wait = await this.take('unknownCode', addr);
      if (wait > 0) return { retryAfter: wait };
    }
    const w = await this.registry.find(rawCode);
    this.#known.delete(pair);
    if (w) {
      if (!known) await this.#give('unknownCode', addr);
      this.#known.set(pair, true);
      if (this.#known.size > KNOWN_CODES) this.#known.delete(this.#known.keys().next().value!);
    }
    return w;
  }

  /** Middleware: spend one of `kind` for the request's address, or answer 429. */
  http(kind: LimitKind): RequestHandler {
    return async (req, res, next) => {
      const wait = await this.take(kind, this.addressOf(req));
      if (wait > 0) return tooMany(res, wait);
      next();
    };
  }
}
