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

/**
 * Caps a real away-day never meets (300 people write a few notes each), so that a flood from
 * a script cannot grow a workshop without bound (docs/PROTOCOL.md, "Limits").
 */
export const NOTES_PER_PERSON = 50;
export const NOTES_PER_WORKSHOP = 2000;
/**
 * Notes added in all, taken-back ones included (each leaves a tombstone in the document): a
 * person who writes, withdraws and writes again stays far below these; a loop adding and
 * deleting does not grow the document past them.
 */
export const NOTES_ADDED_PER_PERSON = 2 * NOTES_PER_PERSON;
export const NOTES_ADDED_PER_WORKSHOP = 2 * NOTES_PER_WORKSHOP;
export const ACTIONS_PER_WORKSHOP = 200;
export const LINKS_PER_WORKSHOP = 20;
export const PROPOSALS_PER_PERSON = 20;
export const PROPOSALS_PER_WORKSHOP = 500;

export const CONTROL_TAGS = ['control', 'influence', 'outside'] as const;
export type ControlTag = (typeof CONTROL_TAGS)[number];

/** The phases in which a participant can say "I've finished". */
export const FINISHING_PHASES = ['brainstorm', 'vote'] as const;
export type FinishingPhase = (typeof FINISHING_PHASES)[number];
/**
 * Nothing derived from participants' private input reaches anyone unless it rests on at least
 * this many different participants: moderation batches, proposals, counts, control answers,
 * group breakdowns (server/workshop/disclosure.ts; docs/THREAT-MODEL.md).
 */
export const MIN_PEOPLE = 3;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+FFFF, U+1FFFE, …). */
const isNoncharacter = (ch: string): boolean => {
  const cp = ch.codePointAt(0)!;
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
};

/** Note text rules, shared so the phone can say what is wrong before sending. */
export function checkText(
  raw: string,
  max = NOTE_MAX,
): { ok: true; text: string } | { ok: false; code: 'empty_text' | 'too_long' | 'invalid_text' } {
  const t = raw.trim();
  if (!t) return { ok: false, code: 'empty_text' };
  const chars = [...t];
  if (chars.length > max) return { ok: false, code: 'too_long' };
  // Control characters (C0, DEL, C1), lone surrogates and Unicode noncharacters (U+FFFE made
  // the SVG export invalid) have no place on a sticky note, a title or a bone.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(t) || LONE_SURROGATE.test(t) || chars.some(isNoncharacter))
    return { ok: false, code: 'invalid_text' };
  return { ok: true, text: t };
}
