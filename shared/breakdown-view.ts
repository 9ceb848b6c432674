import { OTHER, type Breakdown } from './breakdown.ts';
import { dict, own } from './safe-keys.ts';

/** Each shown group's dots over all notes: the base of "what share of that group's dots". */
export function groupTotals(b: Breakdown): Record<string, number> {
  const totals = dict<number>();
  for (const g of b.groups) totals[g] = 0;
  for (const row of Object.values(b.notes)) for (const [g, dots] of Object.entries(row)) totals[g] = (own(totals, g) ?? 0) + dots;
  return totals;
}

/** Dots one group gave one note (group names are the facilitator's words: "constructor" is one). */
export const groupDots = (b: Breakdown, noteId: string, group: string): number => own(own(b.notes, noteId), group) ?? 0;

/** A breakdown says something only when at least one named group (3+ people) is in it. */
export const hasNamedGroups = (b: Breakdown | null | undefined): b is Breakdown => !!b && b.groups.some((g) => g !== OTHER);
