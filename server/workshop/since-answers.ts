import { refusals } from '../../shared/messages/refusals.ts';
import { seriesRefusals } from '../../shared/messages/partnership.ts';
import type { CommandOf } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply, SelfView, Stats } from '../../shared/events.ts';
import { CHANGE_ANSWERS, CHANGE_ANSWERS_MIN, type ChangeAnswer, type ChangeCounts } from '../../shared/partnership/series.ts';
import { SINCE_KEYS, readSince } from '../../shared/partnership/since-doc.ts';
import type { Actor } from './actor.ts';
import { fail, ok } from './result.ts';
import type { Fact } from './disclosure.ts';
import type { Workshop } from './workshop.ts';

type Reply = Result<CommandReply>;

/**
 * The room's "since last time this has got better / stayed the same / got worse", per top
 * barrier of the workshop before (issue 26). Each answer is a private fact, like a control
 * answer: it stays in the private state (and the `since_answers` table), reaches only its
 * author, and is forgotten at closing. While answering is open everyone, the facilitator
 * included, sees only how many have answered. The facilitator shows the answers once, as counts
 * written into the document, and only when at least 3 people have answered; a barrier fewer than
 * 3 answered shows no counts at all. Answering then closes, because counts that moved afterwards
 * would tell who had just changed their mind.
 *
 * Every count here comes from `countChanges`: the one place a rule for all derived counts
 * (issue 22) routes these through.
 */

/** Last time's top barriers, by id: what people answer about. */
const lastTop = (w: Workshop): Set<string> => new Set(readSince(w.parts.since)?.series.last?.top.map((b) => b.id) ?? []);

/** Open for answers: a workshop of a partnership, with barriers to answer about, not yet shown, not closed. */
const open = (w: Workshop): Reply | null => {
  if (w.phase === 'closed') return fail('closed');
  if (lastTop(w).size === 0) return fail('bad_request', { what: seriesRefusals.noLastTop });
  if (w.parts.since.has(SINCE_KEYS.ratings)) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.answersShown });
  return null;
};

export function rateChange(w: Workshop, actor: Actor, cmd: CommandOf<'since.rate'>): Reply {
  const refused = open(w);
  if (refused) return refused;
  if (!lastTop(w).has(cmd.barrierId)) return fail('bad_request', { what: seriesRefusals.notLastTop });
  w.record({ t: 'since.answer', participantId: actor.key, barrierId: cmd.barrierId, answer: cmd.answer });
  return ok();
}

export function showChanges(w: Workshop): Reply {
  const refused = open(w);
  if (refused) return refused;
  const counts = countChanges(w);
  if (counts.answered < CHANGE_ANSWERS_MIN)
    return fail('too_few', { what: seriesRefusals.tooFewAnswers(counts.answered, CHANGE_ANSWERS_MIN) });
  w.parts.since.set(SINCE_KEYS.ratings, counts);
  w.touchStats();
  return ok();
}

/** Counts per barrier of last time, each only where at least 3 people answered it; never who. */
export function countChanges(w: Workshop): ChangeCounts {
  const top = lastTop(w);
  const tallies = new Map<string, Record<ChangeAnswer, number>>();
  let answered = 0;
  for (const mine of w.private.since.values()) {
    let counted = false;
    for (const [barrierId, answer] of mine) {
      if (!top.has(barrierId)) continue;
      let c = tallies.get(barrierId);
      if (!c) tallies.set(barrierId, (c = { better: 0, same: 0, worse: 0 }));
      c[answer]++;
      counted = true;
    }
    if (counted) answered++;
  }
  // A plain object (Yjs stores only those), keyed by last time's note ids: safe ids.
  const barriers: ChangeCounts['barriers'] = {};
  for (const id of top) {
    const c = tallies.get(id);
    const people = c ? CHANGE_ANSWERS.reduce((a, k) => a + c[k], 0) : 0;
    barriers[id] = c && people >= CHANGE_ANSWERS_MIN ? c : null;
  }
  return { answered, barriers };
}

/**
 * How many have answered, of how many could, as last released (disclosure.ts): while answering
 * is open (not there at all outside a partnership).
 */
export function changeStats(w: Workshop): Pick<Stats, 'since'> {
  if (lastTop(w).size === 0) return {};
  if (w.phase === 'closed' || w.parts.since.has(SINCE_KEYS.ratings)) return { since: null };
  const answered = w.disclosure.published.sinceAnswered;
  return { since: { answered: answered.size, of: w.presence.countWith(answered) } };
}

/** "How many have answered since last time", released only as the gate allows (3 people, on its clock). */
export const sinceAnsweredCount: Fact<Workshop> = {
  people(w) {
    const now = new Set(w.private.since.keys());
    const before = w.disclosure.published.sinceAnswered;
    return new Set([...now].filter((pid) => !before.has(pid)).concat([...before].filter((pid) => !now.has(pid))));
  },
  release(w) {
    w.disclosure.published.sinceAnswered = new Set(w.private.since.keys());
    w.touchStats();
  },
};

/** A participant's own answers (never anyone else's). */
export function changeSelf(w: Workshop, key: string): Pick<SelfView, 'since'> {
  const mine = w.private.since.get(key);
  return mine?.size ? { since: Object.fromEntries(mine) } : {};
}
