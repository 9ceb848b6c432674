import * as Y from 'yjs';
import { docParts, type Meta, type Note } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { Phase } from '../../shared/phases.ts';
import type { Batch, LoadedWorkshop, PrivateOp, Store, WorkshopRow } from '../store/store.ts';
import type { Actor } from './actor.ts';
import { Presence } from './presence.ts';
import { commandKey, PrivateState } from './private-state.ts';
import { fail } from './result.ts';

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
const SERVER_ORIGIN = 'server';

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
  #queue: Promise<unknown> = Promise.resolve();
  /** Changes queued or running. */
  #waiting = 0;
  #tx: Tx | null = null;
  #updatesSinceSnapshot: number;
  #broken = false;

  constructor(
    loaded: LoadedWorkshop,
    private readonly store: Store,
    private readonly hooks: WorkshopHooks,
    readonly now: () => number,
  ) {
    this.row = loaded.row;
    this.doc = new Y.Doc({ gc: true });
    for (const u of loaded.updates) Y.applyUpdate(this.doc, u, 'store');
    // Yjs gives a doc a new client id when it loads items written under its own; set it after
    // loading so every item, across restarts, carries the workshop's one server client id.
    this.doc.clientID = loaded.row.serverClientId;
    this.parts = docParts(this.doc);
    this.private = PrivateState.replay(loaded.ops);
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

  note(id: string): Note | undefined {
    return this.parts.notes.get(id);
  }

  /**
   * Run a change: after every earlier one, inside one Yjs transaction, then store it, then
   * `durable` hears the result, then the room hears the change (a big room's broadcast would
   * otherwise delay every sender's acknowledgement). Resolves once all of that is done.
   * A command id that already succeeded for this actor is answered with its first answer and
   * changes nothing. Refused changes change nothing and are not remembered, so a retry is
   * judged afresh.
   */
  run<T extends object>(change: () => Result<T>, opts: RunOptions<T> = {}): Promise<Result<T>> {
    this.#waiting++;
    const task = this.#queue.then(async () => {
      const { result, effects } = await this.#apply(change, opts);
      this.#waiting--;
      opts.durable?.(result);
      if (effects) this.hooks.committed(this, effects);
      // Once every queued change has had its answer: whoever is connected reconnects to a
      // copy reloaded from the store.
      if (this.#broken && this.#waiting === 0) this.#notifyBroken();
      return result;
    });
    this.#queue = task.catch(() => undefined);
    return task;
  }

  async #apply<T extends object>(
    change: () => Result<T>,
    { actor, commandId }: RunOptions<T>,
  ): Promise<{ result: Result<T>; effects?: Effects }> {
    if (this.#broken) return { result: fail('unavailable') };
    const memo = actor && commandId ? commandKey(actor.key, commandId) : null;
    const prior = memo ? this.private.commands.get(memo) : undefined;
    if (prior) return { result: JSON.parse(prior) as Result<T> };
    const tx = (this.#tx = new Tx());
    let result: Result<T>;
    try {
      this.doc.transact(() => {
        result = change();
      }, SERVER_ORIGIN);
    } catch (err) {
      // The transaction's changes stay in the document: this copy is ahead of the store.
      this.#break(err);
      return { result: fail('internal') };
    } finally {
      this.#tx = null;
    }
    result = result!;
    if (!result.ok) {
      if (tx.ops.length || tx.updates.length) this.#break(new Error('a refused change left effects behind'));
      return { result };
    }
    if (memo) {
      // A new co-facilitator key is shown once and never stored: its retry answer omits it.
      const text = JSON.stringify(result, (k, v) => (k === 'key' ? undefined : v));
      this.#tx = tx;
      this.record({ t: 'command', actor: actor!.key, commandId: commandId!, result: text });
      this.#tx = null;
    }
    const update = tx.updates.length === 0 ? null : tx.updates.length === 1 ? tx.updates[0] : Y.mergeUpdates(tx.updates);
    const batch: Batch = { docUpdate: update, docSnapshot: null, ops: tx.ops };
    if (tx.row) batch.row = { title: this.row.title, phase: this.row.phase };
    if (update && ++this.#updatesSinceSnapshot > COMPACT_EVERY) {
      batch.docSnapshot = Y.encodeStateAsUpdate(this.doc);
      this.#updatesSinceSnapshot = 1;
    }
    if (update || tx.ops.length || batch.row) {
      try {
        await this.store.commit(this.id, batch);
      } catch (err) {
        // Memory is ahead of the store, and the write may or may not have happened: the sender
        // keeps the command and sends it again with the same id once this workshop has reloaded.
        this.#break(err);
        return { result: fail('unavailable') };
      }
    }
    if (tx.facilitators) for (const key of this.presence.facilitatorKeys()) tx.selves.add(key);
    return { result, effects: { update, selves: tx.selves, stats: tx.stats, ended: tx.ended } };
  }

  /** Stop serving this copy: what is queued is answered "unavailable", then everyone reconnects. */
  abandon(reason: string): void {
    this.#break(new Error(reason));
    if (this.#waiting === 0) this.#notifyBroken();
  }

  #break(err: unknown): void {
    if (this.#broken) return;
    this.#broken = true;
    console.error(`workshop ${this.row.code}: ${String(err)}`);
  }

  #notifiedBroken = false;
  #notifyBroken(): void {
    if (this.#notifiedBroken) return;
    this.#notifiedBroken = true;
    this.hooks.broken(this);
  }

  /**
   * Change the private state inside a change: applied now, written in this change's batch, and
   * the views it concerns sent again after the commit.
   */
  record(op: PrivateOp): void {
    const tx = this.#tx;
    if (!tx) throw new Error('private state changed outside a change');
    const c = this.private.apply(op);
    tx.ops.push(op);
    for (const key of c.selves) tx.selves.add(key);
    tx.facilitators ||= c.facilitators;
    tx.stats ||= c.stats;
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
