/** The run of a workshop, in order. */
export const PHASES = ['lobby', 'brainstorm', 'review', 'vote', 'reveal', 'act', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export const phaseIndex = (p: Phase): number => PHASES.indexOf(p);

/** From the reveal on, the results are out: the tally is in the document and voting is over. */
export const resultsOut = (p: Phase): boolean => phaseIndex(p) >= phaseIndex('reveal');

/**
 * Forward moves are always allowed (closing is final). Backward moves only where nothing is
 * lost: the board may be reopened until voting starts, and voting may go back to review as long
 * as nobody has voted in it (turnout's count, which no facilitator action can lower: a running
 * dot count would tell a hidden note's tally); after the reveal only reveal <-> act.
 */
export function canMovePhase(from: Phase, to: Phase, voted: number): boolean {
  if (from === to || from === 'closed') return false;
  if (phaseIndex(to) > phaseIndex(from)) return true;
  if (phaseIndex(from) <= phaseIndex('review')) return true;
  if (from === 'vote') return voted === 0;
  return from === 'act' && to === 'reveal';
}
