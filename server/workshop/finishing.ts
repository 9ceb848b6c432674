import { refusals } from '../../shared/messages/refusals.ts';
import type { CommandOf } from '../../shared/commands.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { fail, ok } from './result.ts';
import type { Actor } from './actor.ts';
import type { Workshop } from './workshop.ts';

/**
 * "I've finished" in the brainstorm or the vote (and "not yet" to take it back). Who said it
 * stays in the private state; everyone sees only the count ("12 of 15 finished"). The command
 * names its phase, so one queued offline in the brainstorm cannot count in the vote.
 */
export function setFinished(w: Workshop, actor: Actor, cmd: CommandOf<'finished.set'>): Result<CommandReply> {
  if (w.phase === 'closed') return fail('closed');
  if (w.phase !== cmd.phase) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.finishOtherPhase });
  w.record({ t: 'finished', participantId: actor.key, phase: cmd.phase, finished: cmd.finished });
  return ok();
}
