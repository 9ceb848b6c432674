import type { Stats } from '../../shared/events.ts';
import { dict } from '../../shared/safe-keys.ts';
import type { Workshop } from './workshop.ts';

/** The counts everyone in a workshop sees: head count, hidden notes per bone, turnout. Never names. */
export function statsOf(w: Workshop): Stats {
  const { participants, facilitators, screens, voters: present } = w.presence.census(w.meta('facilitatorVotes'));
  let voters = 0;
  let dotsPlaced = 0;
  for (const [key, b] of w.private.ballots) {
    if (b.size === 0) continue;
    voters++;
    present.add(key);
    for (const d of b.values()) dotsPlaced += d;
  }
  const hiddenByBone = dict<number>();
  for (const h of w.private.hidden.values()) hiddenByBone[h.boneId] = (hiddenByBone[h.boneId] ?? 0) + 1;
  const eligible = present.size;
  return {
    connected: { participants, facilitators, screens },
    hiddenByBone,
    turnout: { voters, eligible, dotsPlaced, dotsTotal: eligible * w.meta('budget') },
    serverTime: w.now(),
  };
}
