import { refusals } from '../../shared/messages/refusals.ts';
import type { CommandOf } from '../../shared/commands.ts';
import { FINISHING_PHASES, type FinishingPhase } from '../../shared/limits.ts';
import type { Phase } from '../../shared/phases.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { fail, ok } from './result.ts';
import type { Actor } from './actor.ts';
import type { Fact } from './disclosure.ts';
import type { Workshop } from './workshop.ts';

/**
 * "I've finished" in the brainstorm or the vote (and "not yet" to take it back). Who said it
 * stays in the private state; everyone sees only the count ("12 of 15 finished"), as
 * disclosure.ts releases it. The command names its phase, so one queued offline in the
 * brainstorm cannot count in the vote.
 */
export function setFinished(w: Workshop, actor: Actor, cmd: CommandOf<'finished.set'>): Result<CommandReply> {
  if (w.phase === 'closed') return fail('closed');
  if (w.phase !== cmd.phase) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.finishOtherPhase });
  w.record({ t: 'finished', participantId: actor.key, phase: cmd.phase, finished: cmd.finished });
  return ok();
}

/** "N of M finished", as everyone sees it: released once the change rests on 3 or more people. */
export const finishedCount: Fact<Workshop> = {
  people(w) {
    const people = new Set<string>();
    const before = w.disclosure.published.finished;
    for (const phase of new Set([...w.private.finished.keys(), ...before.keys()])) {
      const now = w.private.finished.get(phase) ?? new Set<string>();
      const was = before.get(phase) ?? new Set<string>();
      for (const pid of now) if (!was.has(pid)) people.add(pid);
      for (const pid of was) if (!now.has(pid)) people.add(pid);
    }
    return people;
  },
  release(w) {
    const published = w.disclosure.published.finished;
    published.clear();
    for (const [phase, who] of w.private.finished) published.set(phase, new Set(who));
    w.touchStats();
  },
};

/**
 * A phase begins, or a new round's vote: everyone starts unfinished, so "19 of 40 finished" from
 * round 1 never opens round 2 (each phone's own "you have finished" goes with it).
 */
export function startFinishing(w: Workshop, phase: Phase): void {
  const p = FINISHING_PHASES.find((f): f is FinishingPhase => f === phase);
  if (!p) return;
  if (w.private.finished.get(p)?.size) w.record({ t: 'finished.reset', phase: p });
  // Everyone's count goes back to 0 at once: a phase change says nothing about anyone.
  if (w.disclosure.published.finished.delete(p)) w.touchStats();
}
