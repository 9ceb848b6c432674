import type { Board, Note } from '../doc.ts';
import { resultsOut } from '../phases.ts';
import { votableNotes } from '../rounds.ts';
import { groupSimilar } from './similar.ts';

/**
 * The notes the projector draws, in the overview and in focus mode, worked out from the board
 * alone so the facilitator's page counts the same focus pages: after a reveal, the notes that
 * got dots; in a later round's vote, that round's notes; before the reveal, near-identical notes
 * once ("raised by N").
 */
export function projectedNotes(board: Board): Note[] {
  const phase = board.meta.phase;
  const revealed = !!board.tally && resultsOut(phase);
  if (revealed) return phase === 'reveal' ? board.notes.filter((n) => (board.tally?.notes[n.id]?.dots ?? 0) > 0) : board.notes;
  const notes = phase === 'vote' && (board.meta.round ?? 1) > 1 ? votableNotes(board) : board.notes;
  return groupSimilar(notes).map((g) => g.note);
}
