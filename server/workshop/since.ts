import { seriesRefusals } from '../../shared/messages/partnership.ts';
import type { CommandOf } from '../../shared/commands.ts';
import { ACTIONS_PER_WORKSHOP } from '../../shared/limits.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { isUnfinished, type ActionStatus, type Since } from '../../shared/partnership/series.ts';
import { SINCE_KEYS, readSince } from '../../shared/partnership/since-doc.ts';
import { own } from '../../shared/safe-keys.ts';
import { newId } from './keys.ts';
import { fail, ok } from './result.ts';
import type { Workshop } from './workshop.ts';

type Reply = Result<CommandReply>;

/**
 * The facilitator's side of "since last time" (issue 26): what became of last time's actions
 * (a status each, and carrying the unfinished ones on into this workshop) and which of this
 * workshop's notes are last time's free-text barriers. All of it is the facilitator's record,
 * shown to everyone in the document's `since` map; none of it is anyone's private answer.
 */

/** This workshop's series, or the refusal: not in a partnership, or closed. */
function series(w: Workshop): Since | Reply {
  if (w.phase === 'closed') return fail('closed');
  const since = readSince(w.parts.since);
  if (!since?.series.last) return fail('bad_request', { what: seriesRefusals.noLast });
  return since;
}

const refused = (x: Since | Reply): x is Reply => 'ok' in x;

/**
 * A copy of a record read from the document, with one key set (or removed). A plain object, as
 * Yjs stores only those; its keys are safe ids (shared/safe-keys.ts), never a prototype's name.
 */
function withKey<V>(record: Record<string, V>, key: string, value: V | null): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(record)) out[k] = v;
  if (value === null) delete out[key];
  else out[key] = value;
  return out;
}

export function setActionStatus(w: Workshop, cmd: CommandOf<'since.status'>): Reply {
  const s = series(w);
  if (refused(s)) return s;
  if (!s.series.last!.actions.some((a) => a.id === cmd.actionId)) return fail('not_found', { what: refusals.notFound.action });
  w.parts.since.set(SINCE_KEYS.statuses, withKey<ActionStatus>(s.statuses, cmd.actionId, cmd.status));
  return ok();
}

/** One of last time's unfinished actions becomes an action of this workshop, with its words (and its series root). */
export function carryAction(w: Workshop, cmd: CommandOf<'since.carry'>): Reply {
  const s = series(w);
  if (refused(s)) return s;
  const a = s.series.last!.actions.find((x) => x.id === cmd.actionId);
  if (!a) return fail('not_found', { what: refusals.notFound.action });
  if (!isUnfinished(own(s.statuses, a.id))) return fail('bad_request', { what: seriesRefusals.finishedAction });
  // Carried once; an action carried and then deleted here may be carried again.
  if (Object.entries(s.carried).some(([id, root]) => root === a.root && w.parts.actions.has(id)))
    return fail('bad_request', { what: seriesRefusals.carriedAlready });
  if (w.parts.actions.size >= ACTIONS_PER_WORKSHOP)
    return fail('limit_reached', { what: refusals.limitReached.actions(ACTIONS_PER_WORKSHOP) });
  const id = newId();
  const order = Math.max(0, ...[...w.parts.actions.values()].map((x) => x.order)) + 1;
  w.parts.actions.set(id, { id, noteId: null, what: a.what, who: a.who, when: a.when, order });
  w.parts.since.set(SINCE_KEYS.carried, withKey(s.carried, id, a.root));
  return ok({ actionId: id });
}

/** A facilitator says which note here one of last time's top barriers is (or that none is). */
export function matchBarrier(w: Workshop, cmd: CommandOf<'since.match'>): Reply {
  const s = series(w);
  if (refused(s)) return s;
  if (!s.series.last!.top.some((b) => b.id === cmd.barrierId)) return fail('bad_request', { what: seriesRefusals.notLastTop });
  if (cmd.noteId !== null && !w.note(cmd.noteId)) return fail('not_found');
  // One note stands for one barrier of last time: a new match takes it from any other.
  let matches = s.matches;
  if (cmd.noteId !== null) for (const [k, v] of Object.entries(matches)) if (v === cmd.noteId) matches = withKey(matches, k, null);
  w.parts.since.set(SINCE_KEYS.matches, withKey(matches, cmd.barrierId, cmd.noteId));
  return ok();
}
