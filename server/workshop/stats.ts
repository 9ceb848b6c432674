import type { Stats } from '../../shared/events.ts';
import { dict } from '../../shared/safe-keys.ts';
import type { Workshop } from './workshop.ts';

/** The counts everyone in a workshop sees: head count, hidden notes per bone, turnout. Never names. */
export function statsOf(w: Workshop): Stats {
  const { participants, facilitators, screens, voters: present } = w.presence.census(w.meta('facilitatorVotes'));
  // Counted from a voter's first dot, whatever happens to it later: no facilitator action can
  // move this figure (a hidden note's dots go back, and a dot count would tell its tally).
  const voters = w.private.voted.size;
  for (const key of w.private.voted) present.add(key);
  const hiddenByBone = dict<number>();
  for (const h of w.private.hidden.values()) hiddenByBone[h.boneId] = (hiddenByBone[h.boneId] ?? 0) + 1;
  const eligible = present.size;
  return {
    connected: { participants, facilitators, screens },
    hiddenByBone,
    turnout: { voters, eligible },
    serverTime: w.now(),
  };
}
