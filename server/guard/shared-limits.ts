import { createHmac } from 'node:crypto';
import { Redis } from 'ioredis';
import type { LimitKind, LimitSettings } from './address-limits.ts';

/**
 * A token bucket in Redis, taken atomically: the time is Redis's own, so every node counts alike.
 * Returns [1, 0] when taken, else [0, seconds to wait].
 */
const TAKE = `
local cap, rate, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + (now - at) / 1000 * rate)
local want = math.min(n, cap)
local ok = 0
if tokens >= want then tokens = tokens - n; ok = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate * 1000) + 1000)
if ok == 1 then return {1, 0} end
return {0, math.max(1, math.ceil((want - tokens) / rate))}`;

/** Whether one token is there, spending nothing: [1 or 0, seconds to wait]. */
const PEEK = `
local cap, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = math.min(cap, (tonumber(b[1]) or cap) + (now - (tonumber(b[2]) or now)) / 1000 * rate)
if tokens >= 1 then return {1, 0} end
return {0, math.max(1, math.ceil((1 - tokens) / rate))}`;

/**
 * The deployment's per-address limits, kept in Redis so that N nodes allow what one does (issue
 * 25: through HAProxy 60 of 80 creations passed, 3 nodes × 20). Only the allowances a stranger
 * aims at the whole deployment go here (creating, importing, guessing codes, pages, exports);
 * what protects one node's own resources (connections, events, join bytes) stays on that node.
 * Addresses never reach Redis: the key is a keyed hash of the address. When Redis does not
 * answer within a moment, the node's own buckets decide, so no request waits on Redis.
 */
export class SharedLimits {
  readonly #redis: Redis;
  readonly #secret: string;

  constructor(
    url: string,
    private readonly prefix: string,
    secret: string,
  ) {
    this.#secret = secret;
    this.#redis = new Redis(url, { maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: 250, lazyConnect: false });
    this.#redis.on('error', () => undefined); // reported by the cluster's own connection
    this.#redis.defineCommand('fishboneTake', { numberOfKeys: 1, lua: TAKE });
    this.#redis.defineCommand('fishbonePeek', { numberOfKeys: 1, lua: PEEK });
  }

  #run(command: 'fishboneTake' | 'fishbonePeek', ...args: Array<string | number>): Promise<[number, number]> {
    const fn = (this.#redis as unknown as Record<string, (...a: Array<string | number>) => Promise<[number, number]>>)[command];
    return fn.call(this.#redis, ...args);
  }

  #key(kind: LimitKind, address: string): string {
    return `${this.prefix}:limit:${kind}:${createHmac('sha256', this.#secret).update(address).digest('base64url').slice(0, 22)}`;
  }

  /** Take `n` of `kind` for `address`: 0 when allowed, the seconds to wait, or null when Redis did not answer. */
  async take(kind: LimitKind, address: string, settings: LimitSettings, n = 1): Promise<number | null> {
    const { burst, perSecond } = settings[kind];
    try {
      const [ok, wait] = await this.#run('fishboneTake', this.#key(kind, address), burst, perSecond, n);
      return ok === 1 ? 0 : wait;
    } catch {
      return null;
    }
  }

  /** The seconds `address` must wait for one of `kind`, spending nothing (null: Redis did not answer). */
  async peek(kind: LimitKind, address: string, settings: LimitSettings): Promise<number | null> {
    const { burst, perSecond } = settings[kind];
    try {
      const [ok, wait] = await this.#run('fishbonePeek', this.#key(kind, address), burst, perSecond);
      return ok === 1 ? 0 : wait;
    } catch {
      return null;
    }
  }

  /** Give `n` back (a looked-up code that was found costs nothing). */
  async give(kind: LimitKind, address: string, settings: LimitSettings, n = 1): Promise<void> {
    await this.take(kind, address, settings, -n);
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => undefined);
  }
}
