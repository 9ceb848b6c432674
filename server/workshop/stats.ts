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
    ...hybridStats(w),
  };
}

/**
 * The hybrid day's counts (issue 13): "12 of 15 finished" in the brainstorm and the vote; in Act,
 * proposals waiting to be shown and how many have answered "within our control?". Of how many:
 * the participants connected now, and anyone who answered and has since gone.
 */
function hybridStats(w: Workshop): Pick<Stats, 'finished' | 'act'> {
  const phase = w.phase;
  const present = w.presence.participantKeys();
  if (phase === 'brainstorm' || phase === 'vote') {
    const done = w.private.finished.get(phase) ?? new Set<string>();
    for (const pid of done) present.add(pid);
    return { finished: { done: done.size, of: present.size }, act: null };
  }
  if (phase === 'act') {
    let proposalsWaiting = 0;
    for (const p of w.private.proposals.values()) if (p.state === 'waiting') proposalsWaiting++;
    for (const pid of w.private.answers.keys()) present.add(pid);
    return { finished: null, act: { proposalsWaiting, answered: w.private.answers.size, of: present.size } };
  }
  return { finished: null, act: null };
}
