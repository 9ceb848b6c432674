/**
 * Limits and text rules both ends apply, kept free of zod so the phone's bundle stays small
 * and the phone can say what is wrong before sending.
 */

export const NOTE_MAX = 280;
export const TITLE_MAX = 120;
export const PROMPT_MAX = 300;
export const ACTION_MAX = 200;
export const BUDGET_MAX = 20;
export const GROUP_MAX = 40;

export const CONTROL_TAGS = ['control', 'influence', 'outside'] as const;
export type ControlTag = (typeof CONTROL_TAGS)[number];

/** The phases in which a participant can say "I've finished". */
export const FINISHING_PHASES = ['brainstorm', 'vote'] as const;
export type FinishingPhase = (typeof FINISHING_PHASES)[number];
/**
 * Action proposals reach the facilitator in shuffled batches of at least this many, so no
 * proposal can be tied to the moment someone was seen sending it (the same 3 as for groups).
 */
export const PROPOSAL_BATCH_MIN = 3;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Note text rules, shared so the phone can say what is wrong before sending. */
export function checkText(
  raw: string,
  max = NOTE_MAX,
): { ok: true; text: string } | { ok: false; code: 'empty_text' | 'too_long' | 'invalid_text' } {
  const t = raw.trim();
  if (!t) return { ok: false, code: 'empty_text' };
  if ([...t].length > max) return { ok: false, code: 'too_long' };
  // Control characters (C0, DEL, C1) and lone surrogates have no place on a sticky note.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(t) || LONE_SURROGATE.test(t)) return { ok: false, code: 'invalid_text' };
  return { ok: true, text: t };
}
