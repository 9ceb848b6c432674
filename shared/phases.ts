/** The run of a workshop, in order. */
export const PHASES = ['lobby', 'brainstorm', 'review', 'vote', 'reveal', 'act', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export const phaseIndex = (p: Phase): number => PHASES.indexOf(p);

/** From the reveal on, the results are out: the tally is in the document and voting is over. */
export const resultsOut = (p: Phase): boolean => phaseIndex(p) >= phaseIndex('reveal');

/**
 * Forward moves are always allowed (closing is final). Backward moves only where nothing is
 * lost: the board may be reopened until the results are out, and voting may go back to review
 * (the dots stay where they are, and count again when voting reopens); after the reveal only
 * reveal <-> act. The answer never depends on the dots: a refusal that did would tell a tally.
 */
export function canMovePhase(from: Phase, to: Phase): boolean {
  if (from === to || from === 'closed') return false;
  if (phaseIndex(to) > phaseIndex(from)) return true;
  if (phaseIndex(from) <= phaseIndex('vote')) return true;
  return from === 'act' && to === 'reveal';
}
