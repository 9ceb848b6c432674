import { refusals } from '../../shared/messages/refusals.ts';
import type { Command } from '../../shared/commands.ts';
import { IDLE_TIMER, type Timer } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { fail, ok } from './result.ts';
import type { Workshop } from './workshop.ts';

const MINUTE = 60_000;

/**
 * The countdown lives in the document as an end time on the server's clock; every screen counts
 * down against its estimate of that clock, so all agree to the second. Nothing happens at zero.
 */
export function changeTimer(w: Workshop, cmd: Extract<Command, { type: `timer.${string}` }>, now: number): Result<CommandReply> {
  if (w.phase === 'closed') return fail('closed');
  const t = w.meta('timer');
  const left = (x: Timer) => (x.state === 'running' ? Math.max(0, (x.endsAt ?? now) - now) : x.remainingMs);
  let next: Timer;
  switch (cmd.type) {
    case 'timer.start':
      if (cmd.minutes < 1 || cmd.minutes > 60) return fail('bad_request', { what: refusals.badRequest.timerRange });
      next = { state: 'running', endsAt: now + cmd.minutes * MINUTE, remainingMs: 0, durationMs: cmd.minutes * MINUTE };
      break;
    case 'timer.add': {
      if (t.state === 'idle') return fail('bad_request', { what: refusals.badRequest.noTimer });
      const remaining = Math.min(left(t) + cmd.minutes * MINUTE, 60 * MINUTE);
      next =
        t.state === 'running'
          ? { ...t, endsAt: now + remaining, durationMs: t.durationMs + cmd.minutes * MINUTE }
          : { ...t, remainingMs: remaining, durationMs: t.durationMs + cmd.minutes * MINUTE };
      break;
    }
    case 'timer.pause':
      if (t.state !== 'running') return fail('bad_request', { what: refusals.badRequest.timerNotRunning });
      next = { ...t, state: 'paused', endsAt: null, remainingMs: left(t) };
      break;
    case 'timer.resume':
      if (t.state !== 'paused') return fail('bad_request', { what: refusals.badRequest.timerNotPaused });
      next = { ...t, state: 'running', endsAt: now + t.remainingMs, remainingMs: 0 };
      break;
    case 'timer.stop':
      next = IDLE_TIMER;
      break;
  }
  w.setMeta('timer', next);
  return ok();
}

/** A new phase is a new activity: the countdown of the last one (and its "Time's up") ends with it. */
export function endTimer(w: Workshop): void {
  if (w.meta('timer').state !== 'idle') w.setMeta('timer', IDLE_TIMER);
}
