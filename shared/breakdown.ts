import { MIN_PEOPLE } from './limits.ts';
import { dict } from './safe-keys.ts';

/**
 * Group breakdowns without identifying anyone: a group with fewer than K voters is folded into
 * "Other"; if "Other" itself would hold fewer than K, the smallest remaining groups are folded in
 * too, until every shown group (Other included) has at least K voters or nothing is left.
 */
export const MIN_GROUP = MIN_PEOPLE;
export const OTHER = 'Other';

export interface Breakdown {
  /** Group labels as shown, each backed by at least MIN_GROUP voters. */
  groups: string[];
  /** noteId -> group label -> dots. */
  notes: Record<string, Record<string, number>>;
}

/** Map each voter's group (null: none given) to the label it may be shown under. */
export function foldGroups(voterGroups: Array<string | null>, k = MIN_GROUP): Map<string | null, string> {
  const sizes = new Map<string | null, number>();
  for (const g of voterGroups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const kept = new Map([...sizes].filter(([g, n]) => g !== null && n >= k) as Array<[string, number]>);
  let other = [...sizes].filter(([g]) => g === null || !kept.has(g)).reduce((s, [, n]) => s + n, 0);
  while (other > 0 && other < k && kept.size > 0) {
    const [smallest, n] = [...kept].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0];
    kept.delete(smallest);
    other += n;
  }
  const label = new Map<string | null, string>();
  for (const g of sizes.keys()) label.set(g, g !== null && kept.has(g) ? g : OTHER);
  return label;
}

/** Dots per note per shown group, from ballots and each voter's group. */
export function breakdown(
  ballots: Iterable<[string, Map<string, number>]>,
  groupOf: (voter: string) => string | null,
  k = MIN_GROUP,
): Breakdown {
  const voters = [...ballots].filter(([, b]) => [...b.values()].some((d) => d > 0));
  const label = foldGroups(
    voters.map(([v]) => groupOf(v)),
    k,
  );
  // Group names are the facilitator's words ("constructor" is one): records without a prototype.
  const notes: Breakdown['notes'] = dict();
  const shown = new Set<string>();
  for (const [voter, ballot] of voters) {
    const g = label.get(groupOf(voter))!;
    shown.add(g);
    for (const [noteId, dots] of ballot) {
      if (dots <= 0) continue;
      const row = (notes[noteId] ??= dict());
      row[g] = (row[g] ?? 0) + dots;
    }
  }
  const groups = [...shown].sort((a, b) => (a === OTHER ? 1 : b === OTHER ? -1 : a.localeCompare(b)));
  return { groups, notes };
}
