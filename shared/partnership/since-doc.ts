import type * as Y from 'yjs';
import type { ActionStatus, ChangeCounts, SeriesInfo, Since } from './series.ts';

/**
 * The `since` map of a workshop's shared document, for a workshop of a partnership:
 *
 *   series    SeriesInfo                  the earlier workshops, written when it joins the partnership
 *   statuses  { actionId: ActionStatus }  what became of last time's actions (a facilitator says)
 *   carried   { actionId: rootId }        this workshop's actions carried on from last time
 *   matches   { barrierId: noteId }       last time's free-text barriers a facilitator matched here
 *   ratings   ChangeCounts                the room's "better / same / worse", written once when shown
 *
 * Only the server writes it, like the rest of the document; none of it names a person.
 */
export const SINCE_KEYS = { series: 'series', statuses: 'statuses', carried: 'carried', matches: 'matches', ratings: 'ratings' } as const;

/** The map as plain data, or null for a workshop that is not in a partnership. */
export function readSince(map: Y.Map<unknown>): Since | null {
  const series = map.get(SINCE_KEYS.series) as SeriesInfo | undefined;
  if (!series) return null;
  return {
    series,
    statuses: (map.get(SINCE_KEYS.statuses) as Record<string, ActionStatus> | undefined) ?? {},
    carried: (map.get(SINCE_KEYS.carried) as Record<string, string> | undefined) ?? {},
    matches: (map.get(SINCE_KEYS.matches) as Record<string, string> | undefined) ?? {},
    ratings: (map.get(SINCE_KEYS.ratings) as ChangeCounts | undefined) ?? null,
  };
}

/** A new workshop's `since` map: its series, and anything an import brings of what it said. */
export function writeSince(map: Y.Map<unknown>, since: Since): void {
  map.set(SINCE_KEYS.series, since.series);
  if (Object.keys(since.statuses).length) map.set(SINCE_KEYS.statuses, since.statuses);
  if (Object.keys(since.carried).length) map.set(SINCE_KEYS.carried, since.carried);
  if (Object.keys(since.matches).length) map.set(SINCE_KEYS.matches, since.matches);
  if (since.ratings) map.set(SINCE_KEYS.ratings, since.ratings);
}
