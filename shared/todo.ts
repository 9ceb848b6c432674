import type { Meta } from './doc.ts';
import { participant as t } from './messages/participant.ts';

/**
 * What the participant should do now, in one sentence (nothing once the workshop has closed): the
 * phone's page and the server-rendered first paint of it (server/http/participant-html.ts).
 */
export function todo(meta: Meta): string {
  switch (meta.phase) {
    case 'closed':
      return '';
    case 'brainstorm':
      if (meta.locked) return t.todo.locked;
      return meta.silent && !meta.notesRevealed ? t.todo.brainstormSilent : t.todo.brainstorm;
    case 'reveal':
      return meta.showRanking ? t.todo.revealShown : t.todo.revealHidden;
    default:
      return t.todo[meta.phase];
  }
}
