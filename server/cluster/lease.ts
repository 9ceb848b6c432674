import pg from 'pg';
import type { Fence } from '../store/postgres.ts';
import type { LeaseWatch } from '../metrics/metrics.ts';
import { log } from '../log/logger.ts';

export interface LeaseOptions {
  /** This process: unique per start, so a restarted node never mistakes an old lease for its own. */
  nodeId: string;
  /** Where other nodes reach this one to serve a workshop it owns (server/cluster/forward.ts). */
  nodeUrl: string;
  /** How long a lease lasts without renewal: the longest a dead owner keeps a workshop. */
  leaseMs: number;
  /** How long a claim waits for another node's lease to run out before giving up. */
  claimWaitMs?: number;
  /** Told of every workshop taken from another node or for the first time, and of every one lost (metrics). */
  watch?: LeaseWatch;
}

/** PostgreSQL's "lock not available": a lease statement gave up waiting on another node's lock. */
const LOCK_TIMEOUT = '55P03';
const lockTimedOut = (err: unknown) => (err as { code?: string })?.code === LOCK_TIMEOUT;

/** Another node holds the workshop and kept it while we waited: serve through that node. */
export class OwnedElsewhere extends Error {
  readonly status = 503;
  constructor(workshopId: string) {
    super(`workshop ${workshopId} is owned by another node`);
  }
}

export interface Owner {
  workshopId: string;
  nodeId: string;
  nodeUrl: string;
  /** The lease had not run out, by the database's clock. */
  live: boolean;
}

interface Held {
  epoch: number;
  /** This process's clock (performance.now) past which it no longer counts on the lease. */
  validUntil: number;
}

// Times are the database's clock at the moment of the write (clock_timestamp()), never now(),
// the start of a statement that may have waited: a lease taken after a wait on a lock was
// otherwise already out of time when it was written (issue 25).
const interval = 'make_interval(secs => $LEASE::double precision / 1000)';
// A live lease is taken over only from a node whose address refuses connections ($5: its
// process is gone); the epoch it bumps fences whatever that node might still send.
const TAKE = `
INSERT INTO leases (workshop_id, node_id, node_url, epoch, expires_at)
VALUES ($1, $2, $3, 1, clock_timestamp() + ${interval.replace('$LEASE', '$4')})
ON CONFLICT (workshop_id) DO UPDATE
  SET node_id = excluded.node_id, node_url = excluded.node_url, epoch = leases.epoch + 1,
      expires_at = clock_timestamp() + ${interval.replace('$LEASE', '$4')}
  WHERE leases.expires_at < clock_timestamp() OR leases.node_id = excluded.node_id OR leases.node_url = ANY($5::text[])
RETURNING epoch, (SELECT code FROM workshops WHERE id = $1) AS code,
  (SELECT node_id FROM leases WHERE workshop_id = $1) AS previous,
  (SELECT expires_at > clock_timestamp() FROM leases WHERE workshop_id = $1) AS previous_live`;
const HOLDER = `
SELECT node_id, epoch, expires_at > clock_timestamp() AS live,
  extract(epoch FROM expires_at - clock_timestamp()) * 1000 AS remaining_ms
FROM leases WHERE workshop_id = $1`;
/**
 * A live owner renews every third of a lease, so its lease never has less than two thirds left;
 * one with more than this share left was taken or renewed just now by a node that is alive.
 */
const FRESH_SHARE = 0.7;
const RENEW = `
UPDATE leases SET expires_at = clock_timestamp() + ${interval.replace('$LEASE', '$3')}
WHERE node_id = $1 AND workshop_id = ANY($2::text[])
RETURNING workshop_id, epoch`;
// By epoch: a release that reaches the database after this node took the workshop again is void.
const RELEASE = `
UPDATE leases SET expires_at = clock_timestamp() - interval '1 millisecond'
FROM unnest($2::text[], $3::bigint[]) AS given(workshop_id, epoch)
WHERE leases.node_id = $1 AND leases.workshop_id = given.workshop_id AND leases.epoch = given.epoch`;
const OWNER = `
SELECT w.id AS workshop_id, l.node_id, l.node_url, l.expires_at > clock_timestamp() AS live
FROM workshops w LEFT JOIN leases l ON l.workshop_id = w.id WHERE w.code = $1`;

/**
 * Which workshops this node owns: a row per workshop in PostgreSQL's `leases`, taken and renewed
 * on the database's clock, never on this machine's. Taking one bumps its epoch, the fencing token
 * every commit checks in its own transaction (server/store/postgres.ts): once another node has
 * taken a workshop, nothing this node still has in flight can be written, however long it was
 * paused. Leases are renewed every third of their length; one that came back with another owner
 * is reported lost. This node also stops counting on a lease once a full lease time has passed
 * on its own clock since the renewal that last confirmed it (it may have been paused).
 */
export class Leases implements Fence {
  readonly nodeId: string;
  /**
   * The lease statements' own connections: none of them waits on another node's row lock longer
   * than a quarter of a lease (a node paused inside a commit held every takeover for as long as
   * it was paused: 63 s for a 60 s pause); a statement that would is tried again.
   */
  readonly #pool: pg.Pool;
  readonly #held = new Map<string, Held>();
  /** Nodes (by address) whose connections were refused lately: their process is gone. */
  readonly #gone = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #renewing: Promise<void> | null = null;
  /** Set when this node stops: it takes no workshop any more. */
  stopping = false;
  readonly #lost: Array<(workshopId: string) => void> = [];

  /** Be told when a workshop this node held was taken by another node. */
  onLost(listener: (workshopId: string) => void): void {
    this.#lost.push(listener);
  }

  constructor(
    databaseUrl: string,
    private readonly opts: LeaseOptions,
  ) {
    this.nodeId = opts.nodeId;
    const wait = Math.max(100, Math.floor(opts.leaseMs / 4));
    this.#pool = new pg.Pool({
      connectionString: databaseUrl,
      max: 3,
      connectionTimeoutMillis: 5000,
      lock_timeout: wait,
      statement_timeout: Math.max(wait * 2, 1000),
      application_name: `fishbone ${opts.nodeId} leases`,
    });
    this.#pool.on('error', (err) => log.error({ err }, 'postgres leases'));
  }

  /**
   * A node's address refused a connection: its process is gone (nothing listens there), so its
   * live leases may be taken at once instead of when they run out. Safe whatever the truth: the
   * epoch a take bumps refuses every later commit of the old owner (server/store/postgres.ts).
   */
  gone(nodeUrl: string): void {
    if (nodeUrl === this.opts.nodeUrl) return;
    this.#gone.set(nodeUrl, performance.now() + this.opts.leaseMs);
  }

  #goneNow(): string[] {
    const t = performance.now();
    for (const [url, until] of this.#gone) if (until < t) this.#gone.delete(url);
    return [...this.#gone.keys()];
  }

  get leaseMs(): number {
    return this.opts.leaseMs;
  }

  get nodeUrl(): string {
    return this.opts.nodeUrl;
  }

  start(): void {
    this.#timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.opts.leaseMs / 3)));
    this.#timer.unref();
  }

  epochOf(workshopId: string): number | null {
    const h = this.#held.get(workshopId);
    return h && performance.now() < h.validUntil ? h.epoch : null;
  }

  holds(workshopId: string): boolean {
    return this.epochOf(workshopId) !== null;
  }

  /** The workshops this node holds now. */
  held(): string[] {
    return [...this.#held.keys()];
  }

  /**
   * Take a workshop: at once if no live lease is on it (or it is this node's, or its owner's
   * process is gone), else when the other node's lease runs out, polling until `claimWaitMs`.
   * Each take is a new epoch. A claim that sees another node win the workshop while it waits
   * gives up at once, so its joins go to the winner instead of waiting out the wait.
   */
  async claim(workshopId: string): Promise<{ epoch: number; code: string }> {
    const deadline = performance.now() + (this.opts.claimWaitMs ?? this.opts.leaseMs + 2000);
    let waitingOn: string | null = null;
    let waited = false;
    for (;;) {
      if (this.stopping) throw new OwnedElsewhere(workshopId);
      const started = performance.now();
      try {
        // `previous`: the owner before this statement (its subqueries see the table as it was).
        const r = await this.#pool.query<{ epoch: string; code: string; previous: string | null; previous_live: boolean | null }>({
          name: 'lease-take',
          text: TAKE,
          values: [workshopId, this.nodeId, this.opts.nodeUrl, this.opts.leaseMs, this.#goneNow()],
        });
        if (r.rows.length) {
          const epoch = Number(r.rows[0].epoch);
          this.#held.set(workshopId, { epoch, validUntil: started + this.opts.leaseMs });
          const { previous, previous_live } = r.rows[0];
          // A live owner that stopped renewing had to be waited out, or its process was found
          // gone and its lease taken at once: that is a failover.
          if (previous !== this.nodeId)
            this.opts.watch?.taken(previous === null ? 'first' : waited || previous_live ? 'failover' : 'moved');
          return { epoch, code: r.rows[0].code };
        }
        const holder = (
          await this.#pool.query<{ node_id: string; epoch: string; live: boolean; remaining_ms: string }>(HOLDER, [workshopId])
        ).rows[0];
        if (holder?.live) {
          // Another node won it while this one waited, or holds it freshly (it is alive: a phone
          // was sent here by a stale route): its joins go there now, not after the wait.
          const now = `${holder.node_id} ${holder.epoch}`;
          if (waitingOn !== null && waitingOn !== now) throw new OwnedElsewhere(workshopId);
          if (Number(holder.remaining_ms) > FRESH_SHARE * this.opts.leaseMs) throw new OwnedElsewhere(workshopId);
          waitingOn = now;
        }
      } catch (err) {
        if (!lockTimedOut(err)) throw err;
      }
      waited = true;
      if (performance.now() > deadline) throw new OwnedElsewhere(workshopId);
      await new Promise((res) => setTimeout(res, Math.min(250, this.opts.leaseMs / 4)));
    }
  }

  /** Give a workshop up now (unloaded, or this node is stopping): another node may take it at once. */
  async release(workshopIds: string[]): Promise<void> {
    const ids: string[] = [];
    const epochs: number[] = [];
    for (const id of workshopIds) {
      const h = this.#held.get(id);
      if (!h) continue;
      this.#held.delete(id);
      ids.push(id);
      epochs.push(h.epoch);
    }
    if (ids.length) await this.#pool.query(RELEASE, [this.nodeId, ids, epochs]);
  }

  async releaseAll(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#renewing?.catch(() => undefined);
    await this.release([...this.#held.keys()]);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  /** Extend every lease held; report those another node has taken since. */
  renew(): Promise<void> {
    if (this.#renewing || this.#held.size === 0) return this.#renewing ?? Promise.resolve();
    const started = performance.now();
    const asked = new Map([...this.#held].map(([id, h]) => [id, h.epoch]));
    this.#renewing = this.#pool
      .query<{ workshop_id: string; epoch: string }>({
        name: 'lease-renew',
        text: RENEW,
        values: [this.nodeId, [...asked.keys()], this.opts.leaseMs],
      })
      .then((r) => {
        const renewed = new Map(r.rows.map((row) => [row.workshop_id, Number(row.epoch)]));
        for (const [id, epoch] of asked) {
          const h = this.#held.get(id);
          if (!h || h.epoch !== epoch) continue; // released or re-taken meanwhile
          if (renewed.get(id) === epoch) h.validUntil = started + this.opts.leaseMs;
          else {
            this.#held.delete(id);
            this.opts.watch?.lost();
            for (const tell of this.#lost) tell(id);
          }
        }
      })
      .catch((err: Error) => log.error({ err }, 'lease renewal failed'))
      .finally(() => (this.#renewing = null));
    return this.#renewing;
  }

  /** Who holds the workshop with this code, if anyone (null: no such workshop). */
  async ownerOf(code: string): Promise<Owner | null> {
    const r = await this.#pool.query<{ workshop_id: string; node_id: string | null; node_url: string | null; live: boolean | null }>({
      name: 'lease-owner',
      text: OWNER,
      values: [code],
    });
    const row = r.rows[0];
    if (!row) return null;
    return { workshopId: row.workshop_id, nodeId: row.node_id ?? '', nodeUrl: row.node_url ?? '', live: row.live === true };
  }
}
