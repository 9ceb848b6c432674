import { holdsForReview, type Meta } from './doc.ts';
import { participant as t } from './messages/participant.ts';

/**
 * What the participant should do now, in one sentence (nothing once the workshop has closed): the
 * phone's page and the server-rendered first paint of it (server/http/participant-html.ts).
 * `roundNotes`: in a later round of voting, how many notes it is on.
 */
export function todo(meta: Meta, roundNotes = 0): string {
  switch (meta.phase) {
    case 'closed':
      return '';
    case 'brainstorm':
      if (meta.locked) return t.todo.locked;
      if (meta.silent && !meta.notesRevealed) return t.todo.brainstormSilent;
      return holdsForReview(meta) ? t.todo.brainstormHold : t.todo.brainstorm;
    case 'vote':
      if (meta.votingClosed) return t.todo.voteClosed;
      return (meta.round ?? 1) > 1 ? t.todo.voteRound(meta.round ?? 1, roundNotes) : t.todo.vote;
    case 'reveal':
      return meta.showRanking ? t.todo.revealShown : t.todo.revealHidden;
    default:
      return t.todo[meta.phase];
  }
}
