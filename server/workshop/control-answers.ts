import { refusals } from '../../shared/messages/refusals.ts';
import { CONTROL_TAGS, type CommandOf } from '../../shared/commands.ts';
import { MIN_PEOPLE } from '../../shared/limits.ts';
import type { ControlCounts } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { rankNotes } from '../../shared/ranking.ts';
import { dict } from '../../shared/safe-keys.ts';
import { fail, ok } from './result.ts';
import type { Actor } from './actor.ts';
import type { Fact } from './disclosure.ts';
import type { Workshop } from './workshop.ts';

type Reply = Result<CommandReply>;

/**
 * Each participant's answer, per top barrier, to "within our control / our influence / outside
 * it?". Answers are like ballots: each stays in the private state and reaches only its own
 * author; while answering is open everyone sees only how many have answered, as disclosure.ts
 * releases it. The facilitator shows the answers once, as counts written into the document, once
 * at least MIN_PEOPLE have answered, and only for barriers MIN_PEOPLE people answered; answering
 * then closes, because counts that moved afterwards would tell who had just changed their mind.
 */

const open = (w: Workshop): Reply | null => {
  if (w.phase === 'closed') return fail('closed');
  if (w.phase !== 'act') return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.agreeActions });
  if (w.parts.answers.has('control')) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.answersShown });
  return null;
};

/** The barriers people answer for: the top N of the ranking. */
export function topBarrierIds(w: Workshop): Set<string> {
  const tally = w.parts.results.get('tally');
  if (!tally) return new Set();
  return new Set(
    rankNotes([...w.parts.notes.values()], tally)
      .slice(0, w.meta('topN'))
      .map((r) => r.note.id),
  );
}

export function answerControl(w: Workshop, actor: Actor, cmd: CommandOf<'control.answer'>): Reply {
  const refused = open(w);
  if (refused) return refused;
  if (!w.note(cmd.noteId)) return fail('not_found');
  if (!topBarrierIds(w).has(cmd.noteId)) return fail('bad_request', { what: refusals.badRequest.notTopBarrier });
  w.record({ t: 'answer', participantId: actor.key, noteId: cmd.noteId, answer: cmd.answer });
  return ok({ noteId: cmd.noteId });
}

/** How many have answered, as everyone sees it: released once the change rests on 3 or more people. */
export const answeredCount: Fact<Workshop> = {
  people(w) {
    const now = new Set(w.private.answers.keys());
    const before = w.disclosure.published.answered;
    return new Set([...now].filter((pid) => !before.has(pid)).concat([...before].filter((pid) => !now.has(pid))));
  },
  release(w) {
    w.disclosure.published.answered = new Set(w.private.answers.keys());
    w.touchStats();
  },
};

export function showControlCounts(w: Workshop): Reply {
  const refused = open(w);
  if (refused) return refused;
  const counts = countAnswers(w);
  if (counts.answered < MIN_PEOPLE) return fail('too_few', { what: refusals.tooFew.answers });
  w.parts.answers.set('control', counts);
  return ok();
}

/**
 * Counts per barrier still on the board, for barriers at least MIN_PEOPLE people answered (a
 * barrier fewer answered has no entry: its counts would be one or two people's answers). Never who.
 */
export function countAnswers(w: Workshop): ControlCounts {
  const counts: ControlCounts = { answered: 0, notes: dict() };
  const people = new Map<string, number>();
  for (const mine of w.private.answers.values()) {
    let counted = false;
    for (const [noteId, answer] of mine) {
      if (!w.note(noteId)) continue;
      const c = (counts.notes[noteId] ??= Object.fromEntries(CONTROL_TAGS.map((t) => [t, 0])) as ControlCounts['notes'][string]);
      c[answer]++;
      people.set(noteId, (people.get(noteId) ?? 0) + 1);
      counted = true;
    }
    if (counted) counts.answered++;
  }
  for (const [noteId, n] of people) if (n < MIN_PEOPLE) delete counts.notes[noteId];
  return counts;
}
