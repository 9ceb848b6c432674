import { randomInt } from 'node:crypto';
import { MIN_PEOPLE, type FinishingPhase } from '../../shared/limits.ts';
import type { PrivateOp } from '../store/store.ts';
import type { Clock } from './clock.ts';
import type { PrivateState } from './private-state.ts';

/**
 * The one rule between participants' private input and everyone else (issue 22). A facilitator
 * who watches the room knows who tapped when; every message on its own can be clean and the
 * sequence still name the author. So every fact derived from private input — a batch of held
 * notes for the moderation view, proposals ready to show, the counts of finished, voters and
 * answers — leaves the private state only here, and only:
 *
 * - **from at least MIN_PEOPLE participants**: a release happens when the change it would make
 *   known comes from 3 or more different participants (facilitators never count: they know their
 *   own). A smaller remainder waits and joins the next release; held notes still waiting at the
 *   reveal go up with every other note. No facilitator action releases anything here;
 * - **not when someone taps**: releases follow a clock, not commands. A fact is looked at no
 *   sooner than `quietMs` after its last input, plus a random `jitterMs`, so whoever tapped last
 *   is not told apart from whoever tapped before; in a room that never pauses, `maxWaitMs` after
 *   its first waiting input.
 *
 * Everything anyone is sent reads the released state: the moderation view (reviews), proposals
 * in state `ready`, and `published` for counts. A participant's tap changes only their own view.
 */

export interface ReleaseTiming {
  /** How long after a fact's last input it is looked at... */
  quietMs: number;
  /** ...plus a random wait up to this. */
  jitterMs: number;
  /** A room that never pauses still sees releases this long after the first waiting input. */
  maxWaitMs: number;
}

export const RELEASE_TIMING: ReleaseTiming = { quietMs: 3000, jitterMs: 3000, maxWaitMs: 15_000 };

/**
 * One kind of fact derived from private input, defined beside the concern that owns it (the
 * list is facts.ts). `W` is the workshop: this file knows nothing of it, so the concerns that
 * read the workshop can define their facts without an import running back to them.
 */
export interface Fact<W> {
  /** The participants (never a facilitator) whose input the next release would make known. */
  people(w: W): ReadonlySet<string>;
  /** Make the current state known: runs inside a change, so its ops are stored before anyone hears. */
  release(w: W): void;
}

export type FactName = 'notes' | 'proposals' | 'answers' | 'finished' | 'votes' | 'since';
export type Facts<W> = Record<FactName, Fact<W>>;

/**
 * Which fact a private change is input to. Every kind of op is listed, so a new kind of private
 * input cannot be added without saying what it feeds.
 */
export function inputTo(op: PrivateOp): FactName | null {
  switch (op.t) {
    case 'hidden.put':
    case 'hidden.del':
      return 'notes';
    case 'proposal.put':
      return op.row.state === 'waiting' ? 'proposals' : null;
    case 'answer':
      return 'answers';
    case 'finished':
    case 'finished.reset':
      return 'finished';
    case 'ballot':
    case 'voted':
      return 'votes';
    case 'since.answer':
      return 'since';
    // Not input to anything anyone sees: a group shows only in breakdowns after the reveal,
    // folded to groups of MIN_PEOPLE (shared/breakdown.ts); authorship of notes on the board is
    // shown to no one; the rest are the facilitators' own steps.
    case 'group':
    case 'participant':
    case 'author':
    case 'unauthor':
    case 'author.del':
    case 'ballot.clearNote':
    case 'proposal.del':
    case 'command':
    case 'breakdown':
    case 'moderated.put':
    case 'moderated.del':
    case 'key.add':
    case 'key.revoke':
    case 'review.put':
    case 'review.del':
    case 'undo.put':
    case 'undo.del':
    case 'round.reset':
    case 'purge':
    case 'partnership.summary': // holds only what the document already shows
      return null;
  }
}

/** The counts as last released, as the people behind each. Memory only: a reload starts from the state as it is. */
export class Published {
  readonly finished = new Map<FinishingPhase, Set<string>>();
  voted = new Set<string>();
  answered = new Set<string>();
  /** Who has answered "since last time" (a partnership's workshop). */
  sinceAnswered = new Set<string>();

  static of(p: PrivateState): Published {
    const out = new Published();
    for (const [phase, who] of p.finished) out.finished.set(phase, new Set(who));
    out.voted = new Set(p.voted);
    out.answered = new Set(p.answers.keys());
    out.sinceAnswered = new Set(p.since.keys());
    return out;
  }
}

/** When a fact first and last had input since its last release; `first` is null while it waits for people. */
interface Pending {
  first: number | null;
  last: number;
}

export class Disclosure<W> {
  readonly published: Published;
  readonly #pending = new Map<FactName, Pending>();
  #cancel: (() => void) | null = null;
  #armedAt = Infinity;
  #stopped = false;

  /** `tick` runs `releaseDue` inside a change of the workshop. */
  constructor(
    state: PrivateState,
    private readonly facts: Facts<W>,
    private readonly clock: Clock,
    private readonly timing: ReleaseTiming,
    private readonly tick: () => void,
  ) {
    this.published = Published.of(state);
    // Held notes and proposals that were waiting when the workshop was last stored wait on.
    for (const fact of ['notes', 'proposals'] as const) this.#pending.set(fact, { first: clock.now(), last: clock.now() });
    this.#arm();
  }

  /** A private change was recorded: if it is input to a fact, that fact has something new. */
  noticed(op: PrivateOp): void {
    if (op.t === 'purge' || op.t === 'round.reset') {
      // A facilitator emptied the ballots (or everything): the counts start again from nobody.
      this.published.voted = new Set();
      if (op.t === 'purge') {
        this.published.finished.clear();
        this.published.answered = new Set();
        this.#pending.clear();
      }
      return;
    }
    const fact = inputTo(op);
    if (!fact) return;
    const now = this.clock.now();
    const p = this.#pending.get(fact);
    this.#pending.set(fact, { first: p?.first ?? now, last: now });
    this.#arm();
  }

  /** Inside a change: release each fact whose wait is over and that rests on enough people. */
  releaseDue(w: W): void {
    const now = this.clock.now();
    for (const [name, p] of this.#pending) {
      if (now < this.#dueAt(p)) continue;
      const people = this.facts[name].people(w).size;
      if (people >= MIN_PEOPLE) this.facts[name].release(w);
      if (people === 0 || people >= MIN_PEOPLE) this.#pending.delete(name);
      // Too few: it waits for someone else's input, and that input starts its wait afresh.
      else p.first = null;
    }
    this.#arm();
  }

  /** The workshop is let go: nothing more is released from this copy. */
  stop(): void {
    this.#stopped = true;
    this.#cancel?.();
    this.#cancel = null;
  }

  #dueAt(p: Pending): number {
    return p.first === null ? Infinity : Math.min(p.last + this.timing.quietMs, p.first + this.timing.maxWaitMs);
  }

  #arm(): void {
    if (this.#stopped) return;
    let due = Infinity;
    for (const p of this.#pending.values()) due = Math.min(due, this.#dueAt(p));
    // An earlier look is already armed: it arms the next one.
    if (due === Infinity || this.#armedAt <= due) return;
    this.#cancel?.();
    const at = due + randomInt(this.timing.jitterMs + 1);
    this.#armedAt = at;
    this.#cancel = this.clock.after(Math.max(0, at - this.clock.now()), () => {
      this.#cancel = null;
      this.#armedAt = Infinity;
      this.tick();
    });
  }
}
