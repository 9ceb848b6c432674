import { refusals } from '../../shared/messages/refusals.ts';
import { ACTION_MAX, checkText, type CommandOf } from '../../shared/commands.ts';
import { ACTIONS_PER_WORKSHOP } from '../../shared/limits.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { newId } from './keys.ts';
import { fail, ok } from './result.ts';
import type { Actor } from './actor.ts';
import type { Workshop } from './workshop.ts';

type Reply = Result<CommandReply>;

/** Actions, tags and proposals are for the Act phase: the refusal otherwise, or null. */
export const inAct = (w: Workshop): Reply | null =>
  w.phase === 'closed'
    ? fail('closed')
    : w.phase !== 'act'
      ? fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.agreeActions })
      : null;

/** "Within our control", "we can influence it" or "outside our control", for a revealed note. */
export function tagNote(w: Workshop, _actor: Actor, cmd: CommandOf<'act.tag'>): Reply {
  const refused = inAct(w);
  if (refused) return refused;
  if (!w.note(cmd.noteId)) return fail('not_found');
  if (cmd.tag) w.parts.tags.set(cmd.noteId, cmd.tag);
  else w.parts.tags.delete(cmd.noteId);
  return ok({ noteId: cmd.noteId });
}

export function addAction(w: Workshop, _actor: Actor, cmd: CommandOf<'action.add'>): Reply {
  const refused = inAct(w);
  if (refused) return refused;
  if (cmd.noteId && !w.note(cmd.noteId)) return fail('not_found');
  const fields: Record<'what' | 'who' | 'when', string> = { what: '', who: '', when: '' };
  for (const k of ['what', 'who', 'when'] as const) {
    const raw = cmd[k].trim();
    if (!raw && k !== 'what') continue;
    const t = checkText(raw, ACTION_MAX);
    if (!t.ok) return fail(t.code, { max: ACTION_MAX });
    fields[k] = t.text;
  }
  if (w.parts.actions.size >= ACTIONS_PER_WORKSHOP)
    return fail('limit_reached', { what: refusals.limitReached.actions(ACTIONS_PER_WORKSHOP) });
  const id = newId();
  const order = Math.max(0, ...[...w.parts.actions.values()].map((a) => a.order)) + 1;
  w.parts.actions.set(id, { id, noteId: cmd.noteId ?? null, ...fields, order });
  return ok({ actionId: id });
}

export function deleteAction(w: Workshop, _actor: Actor, cmd: CommandOf<'action.delete'>): Reply {
  const refused = inAct(w);
  if (refused) return refused;
  if (!w.parts.actions.has(cmd.actionId)) return fail('not_found', { what: refusals.notFound.action });
  w.parts.actions.delete(cmd.actionId);
  return ok();
}
