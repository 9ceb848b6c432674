import type { CommandOf } from '../../shared/commands.ts';
import { LIVE_SCREEN, type ScreenState } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import { fail, ok } from './result.ts';
import type { Workshop } from './workshop.ts';

/**
 * The projector, as the facilitators set it: live, blank (the join code and the product's name
 * only) or frozen on its current picture; the whole fishbone, or one bone at a time in full text
 * (focus mode), stepping through the bones by itself if asked. It lives in the document, which
 * every screen reads; the projector page draws it (client/src/pages/Screen.svelte).
 */
export function setScreen(w: Workshop, cmd: CommandOf<'screen.set'>, now: number): Result<CommandReply> {
  if (w.phase === 'closed') return fail('closed');
  if (cmd.mode === undefined && cmd.focus === undefined && cmd.auto === undefined)
    return fail('bad_request', { what: refusals.badRequest.screenNothing });
  if (cmd.focus && !w.meta('bones').some((b) => b.id === cmd.focus!.boneId)) return fail('unknown_bone');
  const was: ScreenState = w.meta('screen') ?? LIVE_SCREEN;
  const focus = cmd.focus === undefined ? was.focus : cmd.focus;
  if (cmd.auto && !focus) return fail('bad_request', { what: refusals.badRequest.autoNeedsFocus });
  // Stepping by itself runs from the moment it was asked for, or from a new place in focus.
  const auto = cmd.auto ?? (was.autoSince !== null && !!focus);
  const restart = cmd.auto === true || cmd.focus !== undefined;
  const autoSince = auto ? (restart || was.autoSince === null ? now : was.autoSince) : null;
  w.setMeta('screen', { mode: cmd.mode ?? was.mode, focus, autoSince });
  return ok();
}

/**
 * A new phase (or round) starts on the whole board: focus mode would hide its prompt, timer and
 * turnout, and a vote would begin with the room seeing no countdown. Blank or frozen stays.
 */
export function endFocus(w: Workshop): void {
  const was = w.meta('screen');
  if (was?.focus) w.setMeta('screen', { ...was, focus: null, autoSince: null });
}

/** Closing brings the projector back to the live board: nobody can change it any more. */
export function resetScreen(w: Workshop): void {
  if (w.meta('screen')) w.setMeta('screen', LIVE_SCREEN);
}
