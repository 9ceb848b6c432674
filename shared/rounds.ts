import type { Board, Note, RoundResult, Tally } from './doc.ts';

/**
 * Rounds of voting. The first round's tally is `results.tally` (as it always was); every later
 * round ("vote again on the top N") is an entry of `results.rounds`: the notes it was on, its
 * budget and cap, and its own tally once revealed. So a reader (a screen, the report, an export)
 * finds every round's ranking without knowing how many there were.
 */

/** One round, as pages draw it: its number, the notes it was on, its tally (null until revealed). */
export interface RoundView {
  round: number;
  notes: Note[];
  tally: Tally | null;
  budget: number;
  cap: number;
}

/** Every round of the board, first to last. */
export function roundsOf(board: Board): RoundView[] {
  const first: RoundView = { round: 1, notes: board.notes, tally: board.tally, budget: board.meta.budget, cap: board.meta.cap };
  return [first, ...board.rounds.map((r) => laterRound(board, r))];
}

function laterRound(board: Board, r: RoundResult): RoundView {
  const ids = new Set(r.noteIds);
  return { round: r.round, notes: board.notes.filter((n) => ids.has(n.id)), tally: r.tally, budget: r.budget, cap: r.cap };
}

/** The round being voted on or last revealed. */
export function currentRound(board: Board): RoundView {
  const all = roundsOf(board);
  return all[all.length - 1];
}

/** The last round whose results are out: what the ranking, the act phase and the report lead with. */
export function latestResults(board: Board): RoundView | null {
  const out = roundsOf(board).filter((r) => r.tally !== null);
  return out.length ? out[out.length - 1] : null;
}

/** The notes a participant may put dots on now: every note, or only those of a later round. */
export const votableNotes = (board: Board): Note[] => currentRound(board).notes;

/** A board whose ranking is this round's: its notes and its tally, for drawing with the ranking components. */
export const boardOfRound = (board: Board, r: RoundView): Board => ({ ...board, notes: r.notes, tally: r.tally });
