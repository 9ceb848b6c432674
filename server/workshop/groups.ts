import { refusals } from '../../shared/messages/refusals.ts';
import type { CommandOf } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { phaseIndex } from '../../shared/phases.ts';
import { fail, ok } from './result.ts';
import type { Actor } from './actor.ts';
import type { Workshop } from './workshop.ts';

/** A participant says which group they belong to, from the facilitator's list, until the reveal. */
export function setProfile(w: Workshop, actor: Actor, cmd: CommandOf<'profile.set'>): Result<CommandReply> {
  if (actor.role !== 'participant') return fail('forbidden', { what: refusals.forbidden.participantsChooseGroups });
  if (w.phase === 'closed') return fail('closed');
  if (phaseIndex(w.phase) >= phaseIndex('reveal')) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.chooseGroup });
  if (cmd.group !== null && !w.meta('groups').includes(cmd.group)) return fail('bad_request', { what: refusals.badRequest.groupNotListed });
  w.record({ t: 'group', participantId: actor.key, group: cmd.group });
  return ok();
}
