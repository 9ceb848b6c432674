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

/** One group's row of the laid-out breakdown: its dots and share for each barrier, then all its dots. */
export interface GroupRow {
  name: string;
  cells: Array<{ dots: number; share: number }>;
  total: number;
}

/**
 * Dots by group laid out for a room of many groups (issue 24): a row per group and a column per
 * top barrier (named by its rank, its words in a key above), so seven or twelve groups make a
 * longer table, never a wider one; at most `perTable` barriers to a table, the rest in the next.
 */
export function groupTables<T extends { noteId: string }>(
  b: Breakdown,
  barriers: T[],
  perTable = 6,
): Array<{ barriers: T[]; rows: GroupRow[] }> {
  const totals = groupTotals(b);
  const parts = Array.from({ length: Math.ceil(barriers.length / perTable) }, (_, k) => barriers.slice(k * perTable, (k + 1) * perTable));
  return parts.map((part) => ({
    barriers: part,
    rows: b.groups.map((name) => ({
      name,
      cells: part.map((r) => {
        const dots = groupDots(b, r.noteId, name);
        return { dots, share: totals[name] ? dots / totals[name] : 0 };
      }),
      total: totals[name] ?? 0,
    })),
  }));
}
