import type { Role } from '../../shared/commands.ts';

/** The live connections to one workshop: socket id -> who. Only counts ever leave this class. */
export class Presence {
  readonly #sockets = new Map<string, { role: Role; key: string }>();

  add(socketId: string, role: Role, key: string): void {
    this.#sockets.set(socketId, { role, key });
  }

  remove(socketId: string): void {
    this.#sockets.delete(socketId);
  }

  get size(): number {
    return this.#sockets.size;
  }

  /** Every connected facilitator link's key (each may have several tabs). */
  facilitatorKeys(): Set<string> {
    const keys = new Set<string>();
    for (const c of this.#sockets.values()) if (c.role === 'facilitator') keys.add(c.key);
    return keys;
  }

  /** Every participant connected now (each may have several tabs). */
  participantKeys(): Set<string> {
    const keys = new Set<string>();
    for (const c of this.#sockets.values()) if (c.role === 'participant') keys.add(c.key);
    return keys;
  }

  /**
   * Connections by role, and the distinct people present who may vote: participants, and
   * facilitators too when `facilitatorsVote`. Distinct people, however many tabs each has open.
   */
  census(facilitatorsVote: boolean): { participants: number; facilitators: number; screens: number; voters: Set<string> } {
    let facilitators = 0;
    let screens = 0;
    const people = new Set<string>();
    const voters = new Set<string>();
    for (const c of this.#sockets.values()) {
      if (c.role === 'screen') screens++;
      else if (c.role === 'facilitator') facilitators++;
      if (c.role === 'participant') people.add(c.key);
      if (c.role === 'participant' || (c.role === 'facilitator' && facilitatorsVote)) voters.add(c.key);
    }
    return { participants: people.size, facilitators, screens, voters };
  }
}
