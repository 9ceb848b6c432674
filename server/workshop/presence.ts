import type { Role } from '../../shared/commands.ts';

/**
 * The live connections to one workshop: socket id -> who. Only counts ever leave this class.
 * The people present are kept by role as sockets come and go, so the counts every join answers
 * with cost the same in a room of 1,000 as in a room of 10 (they were a walk over every socket:
 * a join storm of 1,000 walked a million; docs/BENCHMARKS.md, issue 17).
 *
 * "Of how many" (finished, turnout, answered) counts everyone connected at some moment since the
 * phase began, not everyone connected now: a figure that dropped when someone left, or did not
 * drop, would tell the room whether that person had finished or voted (issue 22). Only the head
 * count follows people out of the door, and it does the same whatever they did.
 */
export class Presence {
  readonly #sockets = new Map<string, { role: Role; key: string }>();
  /** Role -> key -> that person's open sockets. */
  readonly #people = new Map<Role, Map<string, number>>();
  /** Open sockets by role. */
  readonly #byRole = new Map<Role, number>();
  /** Role -> everyone connected at some moment since the phase began. */
  readonly #seen = new Map<Role, Set<string>>();

  #of(role: Role): Map<string, number> {
    let m = this.#people.get(role);
    if (!m) this.#people.set(role, (m = new Map()));
    return m;
  }

  #seenOf(role: Role): Set<string> {
    let s = this.#seen.get(role);
    if (!s) this.#seen.set(role, (s = new Set()));
    return s;
  }

  add(socketId: string, role: Role, key: string): void {
    this.remove(socketId);
    this.#sockets.set(socketId, { role, key });
    const m = this.#of(role);
    m.set(key, (m.get(key) ?? 0) + 1);
    this.#byRole.set(role, (this.#byRole.get(role) ?? 0) + 1);
    this.#seenOf(role).add(key);
  }

  /** A new phase or round: from now on "of how many" starts from whoever is connected now. */
  newPhase(): void {
    for (const [role, people] of this.#people) this.#seen.set(role, new Set(people.keys()));
  }

  remove(socketId: string): void {
    const c = this.#sockets.get(socketId);
    if (!c) return;
    this.#sockets.delete(socketId);
    const m = this.#of(c.role);
    const n = (m.get(c.key) ?? 1) - 1;
    if (n > 0) m.set(c.key, n);
    else m.delete(c.key);
    this.#byRole.set(c.role, (this.#byRole.get(c.role) ?? 1) - 1);
  }

  get size(): number {
    return this.#sockets.size;
  }

  /** Open sockets of one role. */
  sockets(role: Role): number {
    return this.#byRole.get(role) ?? 0;
  }

  /** Every connected facilitator link's key (each may have several tabs). */
  facilitatorKeys(): Set<string> {
    return new Set(this.#of('facilitator').keys());
  }

  /** Every participant connected now (each may have several tabs). */
  participantKeys(): Set<string> {
    return new Set(this.#of('participant').keys());
  }

  /**
   * How many distinct people are the participants connected at some moment of this phase (and
   * the facilitators, when `facilitatorsVote`), together with `also` (people who took part): a
   * walk over `also` only. Nobody leaving lowers it.
   */
  countWith(also: ReadonlySet<string>, facilitatorsVote = false): number {
    const participants = this.#seenOf('participant');
    const facilitators = this.#seenOf('facilitator');
    let n = participants.size;
    if (facilitatorsVote) for (const key of facilitators) if (!participants.has(key)) n++;
    for (const key of also) if (!participants.has(key) && !(facilitatorsVote && facilitators.has(key))) n++;
    return n;
  }

  /**
   * Connections by role, and the distinct people who may vote: the participants of this phase,
   * the facilitators too when `facilitatorsVote`, and `voted` (whoever has voted, present or not).
   * Distinct people, however many tabs each has open.
   */
  census(
    facilitatorsVote: boolean,
    voted: ReadonlySet<string> = new Set(),
  ): { participants: number; facilitators: number; screens: number; eligible: number } {
    return {
      participants: this.#of('participant').size,
      facilitators: this.#byRole.get('facilitator') ?? 0,
      screens: this.#byRole.get('screen') ?? 0,
      eligible: this.countWith(voted, facilitatorsVote),
    };
  }
}
