import * as Y from 'yjs';
import { docParts, type Meta, type Note } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { Phase } from '../../shared/phases.ts';
import type { Batch, LoadedWorkshop, PrivateOp, Store, WorkshopRow } from '../store/store.ts';
import type { Actor } from './actor.ts';
import { systemClock, type Clock } from './clock.ts';
import { Disclosure, RELEASE_TIMING, type Facts, type ReleaseTiming } from './disclosure.ts';
import { Presence } from './presence.ts';
import { commandKey, PrivateState } from './private-state.ts';
import { fail, ok } from './result.ts';
import { log } from '../log/logger.ts';

/** What a committed change must reach: the room, some people's private views, the counts. */
export interface Effects {
  update: Uint8Array | null;
  selves: Set<string>;
  stats: boolean;
  /** Sessions to end (a revoked facilitator link): their key and the reason they are told. */
  ended: Array<{ key: string; reason: string }>;
}

/** How a workshop's outcomes leave it: the fan-out to sockets, and what to do when it breaks. */
export interface WorkshopHooks {
  /** A change is stored: tell the room, the people concerned, the counts. */
  committed(w: Workshop, effects: Effects): void;
  /** Memory may now differ from the store: stop serving this copy; the next use reloads it. */
  broken(w: Workshop): void;
}

/** The named points of one change (`Workshop.run`). */
export interface RunOptions<T> {
  /** Whose command; with `commandId`, a retry is answered with the first answer. */
  actor?: Actor;
  commandId?: string;
  /** Heard as soon as the result is stored (or refused), before the room hears the change. */
  durable?: (result: Result<T>) => void;
}

const COMPACT_EVERY = 300;
/**
 * A phone sends its outbox one command at a time; a script that sends hundreds at once only
 * lengthens everyone's queue. Past these it is told to slow down at once, without queueing.
 */
export const IN_FLIGHT_PER_ACTOR = 32;
export const QUEUE_MAX = 2000;
/** How many of one sender's waiting changes go into one round (a phone sends one at a time). */
const ROUND_PER_ACTOR = 2;
/** And at most this many changes in one round, the first senders' first. */
const ROUND_MAX = 256;
const SERVER_ORIGIN = 'server';

/** A change waiting for its round. */
interface Job {
  change: () => Result<object>;
  opts: RunOptions<object>;
  resolve: (r: Result<object>) => void;
}

class Tx {
  ops: PrivateOp[] = [];
  updates: Uint8Array[] = [];
  selves = new Set<string>();
  facilitators = false;
  stats = false;
  row = false;
  ended: Effects['ended'] = [];
}

/**
 * One open workshop as a unit of work: its authoritative Y.Doc and, beside it and never in it,
 * its private state. Changes run one at a time through a queue; each runs inside one Yjs
 * transaction and is written to the store as one batch before anyone hears of it.
 */
export class Workshop {
  readonly row: WorkshopRow;
  readonly doc: Y.Doc;
  readonly parts: ReturnType<typeof docParts>;
  readonly private: PrivateState;
  /** Who is connected right now; only counts ever leave it. */
  readonly presence = new Presence();
  /** The one way out of the private state for anything derived from participants' input. */
  readonly disclosure: Disclosure<Workshop>;
  #jobs: Job[] = [];
  #draining = false;
  /** Changes queued or running, in all and per actor. */
  #waiting = 0;
  readonly #inFlight = new Map<string, number>();
  #tx: Tx | null = null;
  #updatesSinceSnapshot: number;
  #broken = false;
  #noteCount: number;

  constructor(
    loaded: LoadedWorkshop,
    private readonly store: Store,
    private readonly hooks: WorkshopHooks,
    /** What disclosure.ts releases (facts.ts). */
    facts: Facts<Workshop>,
    readonly now: () => number,
    clock: Clock = systemClock,
    timing: ReleaseTiming = RELEASE_TIMING,
  ) {
    this.row = loaded.row;
    this.doc = new Y.Doc({ gc: true });
    for (const u of loaded.updates) Y.applyUpdate(this.doc, u, 'store');
    // Yjs gives a doc a new client id when it loads items written under its own; set it after
    // loading so every item, across restarts, carries the workshop's one server client id.
    this.doc.clientID = loaded.row.serverClientId;
    this.parts = docParts(this.doc);
    this.private = PrivateState.replay(loaded.ops);
    // Releases run as changes of their own, queued like any command, on the clock's schedule.
    this.disclosure = new Disclosure(this.private, facts, clock, timing, () => {
      if (!this.#broken)
        void this.run(() => {
          this.disclosure.releaseDue(this);
          return ok();
        });
    });
    // Y.Map's size walks every entry; a cap checked on every note must not (2000 notes: 1.3 s
    // of CPU in a flood). Counted once, then kept up to date from the map's own events.
    this.#noteCount = this.parts.notes.size;
    this.parts.notes.observe((e) => {
      for (const c of e.changes.keys.values()) this.#noteCount += c.action === 'add' ? 1 : c.action === 'delete' ? -1 : 0;
    });
    this.#updatesSinceSnapshot = loaded.updates.length;
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin === SERVER_ORIGIN) this.#tx?.updates.push(u);
    });
  }

  get id(): string {
    return this.row.id;
  }

  get broken(): boolean {
    return this.#broken;
  }

  meta<K extends keyof Meta>(k: K): Meta[K] {
    return this.parts.meta.get(k) as Meta[K];
  }

  get phase(): Phase {
    return this.meta('phase');
  }

  /** Each person's padded self-view size so far in `phase` (self-view.ts wireSelfView). */
  selfFloors(phase: Phase): Map<string, number> {
    if (this.#floors.phase !== phase) this.#floors = { phase, sizes: new Map() };
    return this.#floors.sizes;
  }
  #floors: { phase: Phase | null; sizes: Map<string, number> } = { phase: null, sizes: new Map() };

  /** Notes on the board (not those hidden by a silent brainstorm). */
  get noteCount(): number {
    return this.#noteCount;
  }

  /**
   * Every note key the document has held, deleted ones included: Yjs keeps a small tombstone
   * for each (its key and position), so adding and taking back notes grows the document even
   * with none on the board (issue 21: 4.8 → 34 KB from one person's churn).
   */
  get noteKeysEver(): number {
    return this.parts.notes._map.size;
  }

  note(id: string): Note | undefined {
    return this.parts.notes.get(id);
  }

  /**
   * Run a change: after every earlier one, inside its own Yjs transaction; then store it; then
   * `durable` hears the result; then the room hears the change (a big room's broadcast would
   * otherwise delay every sender's acknowledgement). Resolves once all of that is done.
   *
   * Changes that arrive while a write is under way are applied together when it is done and
   * stored as one batch (so a burst costs one write and one broadcast, not one each); each is
   * still answered on its own, in order, and only once that batch is stored.
   *
   * A command id that already succeeded for this actor is answered with its first answer and
   * changes nothing. Refused changes change nothing and are not remembered, so a retry is
   * judged afresh.
   */
  run<T extends object>(change: () => Result<T>, opts: RunOptions<T> = {}): Promise<Result<T>> {
    const who = opts.actor?.key;
    const mine = who === undefined ? 0 : (this.#inFlight.get(who) ?? 0);
    if (mine >= IN_FLIGHT_PER_ACTOR || this.#waiting >= QUEUE_MAX) {
      const busy: Result<T> = fail('rate_limited');
      opts.durable?.(busy);
      return Promise.resolve(busy);
    }
    if (who !== undefined) this.#inFlight.set(who, mine + 1);
    this.#waiting++;
    return new Promise<Result<T>>((resolve) => {
      this.#jobs.push({ change, opts, resolve } as unknown as Job);
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#jobs.length) await this.#round(this.#nextRound());
    } finally {
      this.#draining = false;
    }
  }

  /**
   * The changes of the next round, in arrival order, but at most ROUND_PER_ACTOR of any one
   * sender's: someone sending one command waits for one round, however much a flooder in the
   * same room has queued.
   */
  #nextRound(): Job[] {
    const taken = new Map<string, number>();
    const round: Job[] = [];
    const rest: Job[] = [];
    for (const job of this.#jobs) {
      const who = job.opts.actor?.key ?? '';
      const n = taken.get(who) ?? 0;
      if (round.length < ROUND_MAX && (n < ROUND_PER_ACTOR || who === '')) {
        taken.set(who, n + 1);
        round.push(job);
      } else rest.push(job);
    }
    this.#jobs = rest;
    return round;
  }

  /** Apply every change of the round, store them as one batch, answer each, then fan out once. */
  async #round(jobs: Job[]): Promise<void> {
    const results: Array<Result<object>> = [];
    const all = new Tx();
    for (const job of jobs) results.push(this.#applyOne(job, all));
    const update = all.updates.length === 0 ? null : all.updates.length === 1 ? all.updates[0] : Y.mergeUpdates(all.updates);
    if (!this.#broken && (update || all.ops.length || all.row)) {
      const batch: Batch = { docUpdate: update, docSnapshot: null, ops: all.ops };
      if (all.row) batch.row = { title: this.row.title, phase: this.row.phase };
      if (update && ++this.#updatesSinceSnapshot > COMPACT_EVERY) {
        batch.docSnapshot = Y.encodeStateAsUpdate(this.doc);
        this.#updatesSinceSnapshot = 1;
      }
      try {
        await this.store.commit(this.id, batch);
      } catch (err) {
        // The write may or may not have happened: senders keep their commands and send them
        // again with the same ids once this workshop has reloaded from the store.
        this.#break(err);
      }
    }
    // Memory is ahead of the store: nothing applied in this round may be called done.
    if (this.#broken) for (const [i, r] of results.entries()) if (r.ok) results[i] = fail('unavailable');
    for (const [i, job] of jobs.entries()) {
      this.#waiting--;
      const who = job.opts.actor?.key;
      if (who !== undefined) {
        const left = this.#inFlight.get(who)! - 1;
        if (left) this.#inFlight.set(who, left);
        else this.#inFlight.delete(who);
      }
      job.opts.durable?.(results[i]);
    }
    if (!this.#broken) {
      if (all.facilitators) for (const key of this.presence.facilitatorKeys()) all.selves.add(key);
      if (update || all.selves.size || all.stats || all.ended.length) {
        this.hooks.committed(this, { update, selves: all.selves, stats: all.stats, ended: all.ended });
      }
    }
    for (const [i, job] of jobs.entries()) job.resolve(results[i]);
    // Once every queued change has had its answer: whoever is connected reconnects to a copy
    // reloaded from the store.
    if (this.#broken && this.#waiting === 0) this.#notifyBroken();
  }

  /** One change in its own transaction; its effects join the round's `all` if it succeeds. */
  #applyOne(job: Job, all: Tx): Result<object> {
    if (this.#broken) return fail('unavailable');
    const { actor, commandId } = job.opts;
    const memo = actor && commandId ? commandKey(actor.key, commandId) : null;
    const prior = memo ? this.private.commands.get(memo) : undefined;
    // Answered after this round's write, so even a retry of a change earlier in the round is
    // only answered once that change is stored.
    if (prior) return JSON.parse(prior) as Result<object>;
    const tx = (this.#tx = new Tx());
    let result: Result<object>;
    try {
      this.doc.transact(() => {
        result = job.change();
      }, SERVER_ORIGIN);
      result = result!;
      if (result.ok && memo) {
        // A new co-facilitator key is shown once and never stored: its retry answer omits it.
        const text = JSON.stringify(result, (k, v) => (k === 'key' ? undefined : v));
        this.record({ t: 'command', actor: actor!.key, commandId: commandId!, result: text });
      }
    } catch (err) {
      // The transaction's changes stay in the document: this copy is ahead of the store.
      this.#break(err);
      return fail('internal');
    } finally {
      this.#tx = null;
    }
    if (!result.ok) {
      if (tx.ops.length || tx.updates.length) this.#break(new Error('a refused change left effects behind'));
      return result;
    }
    all.updates.push(...tx.updates);
    all.ops.push(...tx.ops);
    for (const key of tx.selves) all.selves.add(key);
    all.facilitators ||= tx.facilitators;
    all.stats ||= tx.stats;
    all.row ||= tx.row;
    all.ended.push(...tx.ended);
    return result;
  }

  /** This copy is let go (unloaded, deleted, moved to another node): it releases nothing more. */
  stop(): void {
    this.disclosure.stop();
  }

  /** Stop serving this copy: what is queued is answered "unavailable", then everyone reconnects. */
  abandon(reason: string): void {
    this.#break(new Error(reason));
    if (this.#waiting === 0) this.#notifyBroken();
  }

  #break(err: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    this.disclosure.stop();
    log.warn({ err, workshop: this.row.code }, 'workshop stopped serving; the next use reloads it from the store');
  }

  #notifiedBroken = false;
  #notifyBroken(): void {
    if (this.#notifiedBroken) return;
    this.#notifiedBroken = true;
    this.hooks.broken(this);
  }

  /**
   * Change the private state inside a change: applied now, written in this change's batch, and
   * the views it concerns sent again after the commit. What it derives for anyone else waits for
   * the disclosure's next release.
   */
  record(op: PrivateOp): void {
    const tx = this.#tx;
    if (!tx) throw new Error('private state changed outside a change');
    const c = this.private.apply(op);
    tx.ops.push(op);
    for (const key of c.selves) tx.selves.add(key);
    tx.facilitators ||= c.facilitators;
    this.disclosure.noticed(op);
  }

  /**
   * A participant joins: known from now on. Nothing acknowledged depends on their row, so the
   * join does not wait for the disk; the row rides the next group commit, before any later
   * change of theirs.
   */
  register(participantId: string): void {
    if (this.private.participants.has(participantId) || this.#broken) return;
    const op: PrivateOp = { t: 'participant', participantId };
    this.private.apply(op);
    this.store.commit(this.id, { docUpdate: null, docSnapshot: null, ops: [op] }).catch((err) => {
      this.#break(err);
      this.#notifyBroken();
    });
  }

  /** Someone's private view changed in a way no op says (the phase moved, their note was edited). */
  touchSelf(key: string): void {
    this.#tx?.selves.add(key);
  }

  /**
   * After a facilitator's moderation step: every participant's private view and every count is
   * sent again, whether or not the step changed it, so the pattern of messages never singles out
   * the note's authors or (while voting) the people whose dots it gave back.
   */
  touchRoom(): void {
    for (const pid of this.private.participants.keys()) this.touchSelf(pid);
    for (const key of this.presence.facilitatorKeys()) this.touchSelf(key);
    this.touchStats();
  }

  touchStats(): void {
    if (this.#tx) this.#tx.stats = true;
  }

  /** End the sessions filed under `key` once this change is stored. */
  end(key: string, reason: string): void {
    this.#tx?.ended.push({ key, reason });
  }

  setMeta<K extends keyof Meta>(k: K, v: Meta[K]): void {
    this.parts.meta.set(k, v);
    if ((k === 'title' || k === 'phase') && this.#tx) {
      this.row.title = this.meta('title');
      this.row.phase = this.meta('phase');
      this.#tx.row = true;
    }
  }
}
