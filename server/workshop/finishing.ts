import { refusals } from '../../shared/messages/refusals.ts';
import type { CommandOf } from '../../shared/commands.ts';
import { FINISHING_PHASES, type FinishingPhase } from '../../shared/limits.ts';
import type { Phase } from '../../shared/phases.ts';
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

/**
 * A phase begins, or a new round's vote: everyone starts unfinished, so "19 of 40 finished" from
 * round 1 never opens round 2 (each phone's own "you have finished" goes with it).
 */
export function startFinishing(w: Workshop, phase: Phase): void {
  const p = FINISHING_PHASES.find((f): f is FinishingPhase => f === phase);
  if (p && w.private.finished.get(p)?.size) w.record({ t: 'finished.reset', phase: p });
}
