import { OTHER, type Breakdown } from '../../../shared/breakdown.ts';

/** Each shown group's dots over all notes: the base of "what share of that group's dots". */
export function groupTotals(b: Breakdown): Record<string, number> {
  const totals: Record<string, number> = Object.fromEntries(b.groups.map((g) => [g, 0]));
  for (const row of Object.values(b.notes)) for (const [g, dots] of Object.entries(row)) totals[g] = (totals[g] ?? 0) + dots;
  return totals;
}

/** A breakdown says something only when at least one named group (3+ people) is in it. */
export const hasNamedGroups = (b: Breakdown | null | undefined): b is Breakdown => !!b && b.groups.some((g) => g !== OTHER);
