import type { Stats } from '../../shared/events.ts';
import { dict } from '../../shared/safe-keys.ts';
import type { Workshop } from './workshop.ts';
import { changeStats } from './since-answers.ts';

/** The counts everyone in a workshop sees: head count, hidden notes per bone, turnout. Never names. */
export function statsOf(w: Workshop): Stats {
  // Eligible: whoever may vote and is here, and whoever has voted.
  const { participants, facilitators, screens, eligible } = w.presence.census(w.meta('facilitatorVotes'), w.private.voted);
  // Counted from a voter's first dot, whatever happens to it later: no facilitator action can
  // move this figure (a hidden note's dots go back, and a dot count would tell its tally).
  const voters = w.private.voted.size;
  const hiddenByBone = dict<number>();
  for (const h of w.private.hidden.values()) hiddenByBone[h.boneId] = (hiddenByBone[h.boneId] ?? 0) + 1;
  return {
    connected: { participants, facilitators, screens },
    hiddenByBone,
    turnout: { voters, eligible },
    serverTime: w.now(),
    ...hybridStats(w),
    ...changeStats(w),
  };
}

/**
 * The hybrid day's counts (issue 13): "12 of 15 finished" in the brainstorm and the vote; in Act,
 * proposals waiting to be shown and how many have answered "within our control?". Of how many:
 * the participants connected now, and anyone who answered and has since gone.
 */
function hybridStats(w: Workshop): Pick<Stats, 'finished' | 'act'> {
  const phase = w.phase;
  if (phase === 'brainstorm' || phase === 'vote') {
    const done = w.private.finished.get(phase) ?? new Set<string>();
    return { finished: { done: done.size, of: w.presence.countWith(done) }, act: null };
  }
  if (phase === 'act') {
    let proposalsWaiting = 0;
    for (const p of w.private.proposals.values()) if (p.state === 'waiting') proposalsWaiting++;
    const answered = new Set(w.private.answers.keys());
    return { finished: null, act: { proposalsWaiting, answered: w.private.answers.size, of: w.presence.countWith(answered) } };
  }
  return { finished: null, act: null };
}
