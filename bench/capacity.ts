/**
 * What one core holds, from measured CPU costs (bench/costs.ts): a pure calculation, so the
 * capacity table in docs/BENCHMARKS.md can be checked and redone with other figures.
 */

/** Server CPU costs in milliseconds. */
export interface Costs {
  /** One participant's join (WebSocket, handshake, join, sync), everything included. */
  joinMs: number;
  /** One note command (validation, store, ack) before its broadcast. */
  commandMs: number;
  /** A document update's broadcast, per receiving socket. */
  perSocketMs: number;
  /** One dot (vote.change): its command, its private view, the coalesced counts. */
  dotMs: number;
}

/** A workshop's script: what each participant does in it. */
export interface Script {
  people: number;
  minutes: number;
  /** Joins per person: the first, and reconnects (a phone that slept, a lost Wi-Fi). */
  joins: number;
  notes: number;
  /** Edits per person (an edit is broadcast like a note). */
  edits: number;
  dots: number;
}

/** The script the capacity table uses: a facilitated hour's brainstorm and vote. */
export const TYPICAL: Script = { people: 40, minutes: 15, joins: 3, notes: 10, edits: 3, dots: 5 };

export interface Capacity {
  /** Server CPU seconds one workshop of the script costs. */
  cpuSecondsPerWorkshop: number;
  /** ...and per participant. */
  cpuMsPerParticipant: number;
  /** Average share of one core while such workshops run back to back. */
  coreShareOfOneWorkshop: number;
  /** Participants one core holds at the given average utilization (the rest is headroom for bursts). */
  participantsPerCore: number;
}

/**
 * Each note and edit is broadcast to everyone in the room (people, plus one facilitator and one
 * projector); joins and dots cost what they were measured to cost. Workshops overlap evenly, so
 * a core holds `utilization / coreShareOfOneWorkshop` of them at once.
 */
export function capacity(c: Costs, s: Script, utilization = 0.5): Capacity {
  const sockets = s.people + 2;
  const broadcastMs = c.commandMs + sockets * c.perSocketMs;
  const perPersonMs = s.joins * c.joinMs + (s.notes + s.edits) * broadcastMs + s.dots * c.dotMs;
  const workshopMs = s.people * perPersonMs;
  const share = workshopMs / (s.minutes * 60_000);
  return {
    cpuSecondsPerWorkshop: Math.round(workshopMs) / 1000,
    cpuMsPerParticipant: Math.round(perPersonMs * 10) / 10,
    coreShareOfOneWorkshop: Math.round(share * 10_000) / 10_000,
    participantsPerCore: Math.floor((utilization / share) * s.people),
  };
}

/**
 * A straight line through (x, y) points by least squares: the broadcast's cost per socket is the
 * slope of a note's cost against the sockets in the room, its intercept the command itself.
 */
export function fitLine(points: ReadonlyArray<readonly [number, number]>): { slope: number; intercept: number } {
  const n = points.length;
  if (n === 0) return { slope: NaN, intercept: NaN };
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
