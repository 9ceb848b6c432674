import type { Stats } from '../../shared/events.ts';
import { dict } from '../../shared/safe-keys.ts';
import type { Workshop } from './workshop.ts';
import { changeStats } from './since-answers.ts';

/**
 * The counts everyone in a workshop sees: head count, held notes per bone, turnout, finished.
 * Never names. Every figure that follows participants' private input is read from what
 * disclosure.ts has released, never from the private state as it is now: one person's tap moves
 * none of them.
 */
export function statsOf(w: Workshop): Stats {
  const published = w.disclosure.published;
  // Eligible: whoever may vote and has been here during this phase, and whoever has voted.
  const { participants, facilitators, screens, eligible } = w.presence.census(w.meta('facilitatorVotes'), published.voted);
  // Counted from a voter's first dot, whatever happens to it later: no facilitator action can
  // move this figure (a hidden note's dots go back, and a dot count would tell its tally).
  const voters = published.voted.size;
  // The held notes the moderation view has shown, on the bone their authors chose.
  const hiddenByBone = dict<number>();
  for (const r of w.private.reviews.values()) hiddenByBone[r.seen.boneId] = (hiddenByBone[r.seen.boneId] ?? 0) + 1;
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
 * proposals ready to be shown and how many have answered "within our control?". Of how many:
 * the participants connected at some moment of this phase, and anyone counted who has since gone.
 */
function hybridStats(w: Workshop): Pick<Stats, 'finished' | 'act'> {
  const phase = w.phase;
  const published = w.disclosure.published;
  if (phase === 'brainstorm' || phase === 'vote') {
    const done = published.finished.get(phase) ?? new Set<string>();
    return { finished: { done: done.size, of: w.presence.countWith(done) }, act: null };
  }
  if (phase === 'act') {
    let proposalsWaiting = 0;
    for (const p of w.private.proposals.values()) if (p.state === 'ready') proposalsWaiting++;
    const answered = published.answered;
    return { finished: null, act: { proposalsWaiting, answered: answered.size, of: w.presence.countWith(answered) } };
  }
  return { finished: null, act: null };
}
