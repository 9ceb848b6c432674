import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';
import proxyaddr from 'proxy-addr';
import { TokenBucket } from './token-bucket.ts';

/**
 * What one client address may do, whatever the workshop: a stranger on the internet must not
 * be able to fill the disk with workshops, guess join codes, or hold thousands of sockets.
 * A venue's Wi-Fi puts every phone behind one address, so each limit is set well above what a
 * room of 300 does (docs/PROTOCOL.md, "Limits").
 */
export const ADDRESS_LIMITS = {
  /** New workshops: a facilitator makes a few a day. */
  create: { burst: 20, perSecond: 1 / 6 },
  /** New partnerships (issue 26): rarer still than workshops; the same allowance. */
  partnership: { burst: 20, perSecond: 1 / 6 },
  /** Imports carry up to 2 MB each. */
  import: { burst: 5, perSecond: 1 / 30 },
  /** Codes that name no workshop (typos, or someone guessing): HTTP lookups and socket joins. */
  unknownCode: { burst: 20, perSecond: 1 },
  /** Participant pages with a board (a 2,000-note board's is megabytes): a venue's phones, twice each. */
  page: { burst: 600, perSecond: 30 },
  /**
   * Socket events from all of an address's sockets together, on top of each socket's own
   * allowance: a venue of 300 phones taps far below it; 2,000 sockets each within their own
   * allowance are not (issue 21: 58,000 events a second from one address).
   */
  events: { burst: 3000, perSecond: 1000 },
  /**
   * Bytes of join answers (the document a phone catches up with): a venue's 300 phones joining
   * a real day's board (~50 KB) take a few MB; a board at the caps answers ~1 MB a join, and a
   * connection that never reads parks that in the kernel (issue 21: 300 such, ~300 MB).
   */
  joinBytes: { burst: 32 * 1024 * 1024, perSecond: 1024 * 1024 },
  /** New socket connections; a flooder who is cut off finds this empty. */
  connect: { burst: 600, perSecond: 30 },
  /** Export downloads per facilitator key: every button once, then one every 2 s (pictures cost CPU). */
  export: { burst: 20, perSecond: 1 / 2 },
} as const;
export type LimitKind = keyof typeof ADDRESS_LIMITS;
export type LimitSettings = Record<LimitKind, { burst: number; perSecond: number }>;

/** Connections open at once from one address (a venue of 300 phones with a tab or two each). */
export const MAX_SOCKETS_PER_ADDRESS = 2000;
/** Addresses remembered per kind; the least recently seen are forgotten first. */
const REMEMBERED = 20_000;

export class AddressLimits {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #sockets = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly settings: LimitSettings = ADDRESS_LIMITS,
  ) {}

  #bucket(kind: LimitKind, key: string): TokenBucket {
    const id = `${kind} ${key}`;
    let b = this.#buckets.get(id);
    if (b) this.#buckets.delete(id);
    else b = new TokenBucket(this.settings[kind].burst, this.settings[kind].perSecond, this.now);
    this.#buckets.set(id, b); // most recently used last
    if (this.#buckets.size > REMEMBERED) this.#buckets.delete(this.#buckets.keys().next().value!);
    return b;
  }

  /** Take `n` (one by default) from `key`'s allowance of `kind`: 0 if allowed, else the seconds to wait. */
  take(kind: LimitKind, key: string, n = 1): number {
    const b = this.#bucket(kind, key);
    return b.take(n) ? 0 : Math.max(1, b.retryAfterSeconds(n));
  }

  /** Give one back to `key`'s allowance of `kind` (a lookup that found its workshop costs nothing). */
  give(kind: LimitKind, key: string): void {
    this.#bucket(kind, key).give();
  }

  /** Seconds `key` must wait for `kind` without spending anything (0: it may go on). */
  waitFor(kind: LimitKind, key: string): number {
    return this.#bucket(kind, key).retryAfterSeconds();
  }

  /** An abuser was cut off: no new connections until their allowance has refilled. */
  punish(key: string): void {
    this.#bucket('connect', key).drain();
  }

  /** A socket opened from `key`: false if that address already holds too many. */
  opened(key: string): boolean {
    const n = this.#sockets.get(key) ?? 0;
    if (n >= MAX_SOCKETS_PER_ADDRESS) return false;
    this.#sockets.set(key, n + 1);
    return true;
  }

  closed(key: string): void {
    const n = (this.#sockets.get(key) ?? 1) - 1;
    if (n <= 0) this.#sockets.delete(key);
    else this.#sockets.set(key, n);
  }
}

/**
 * The client's address as the limits count it: the TCP peer, or the address a trusted proxy
 * forwarded (`X-Forwarded-For`, only from proxies the TRUST_PROXY setting names; by default
 * loopback, i.e. a proxy on the same machine), then keyed by `limitKey`.
 */
export const clientAddress = (req: IncomingMessage, trust: (addr: string, i: number) => boolean): string => limitKey(proxyaddr(req, trust));

/**
 * One allowance per IPv4 address and per IPv6 /64: a single subscriber is given a whole /64,
 * so keying on the full /128 gave a fresh allowance to every one of its 2^64 addresses (issue
 * 21: 216 creations a second from one /64). An IPv4 address written as IPv6 (::ffff:a.b.c.d) is
 * its IPv4 address.
 */
export function limitKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1];
  if (!isIPv6(bare)) return bare;
  const [head, tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) is past the first 64 bits; only the groups count.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export const trustFunction = (setting: string | undefined): ((addr: string, i: number) => boolean) => {
  const list = (setting ?? 'loopback')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.includes('none') ? () => false : proxyaddr.compile(list);
};
