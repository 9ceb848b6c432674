import type { SelfView } from './events.ts';

/**
 * Frames that carry a participant's own words say nothing about their length. Someone on the
 * venue Wi-Fi who can tell phones apart sees each frame's size; after the reveal a note's length
 * would point at the phone that sent it. So a participant's commands are padded to one size,
 * and their private `self` view to a size that depends only on how many notes and dots they
 * have (docs/THREAT-MODEL.md). The padding is spaces in a `pad` field the other end ignores.
 */

/** Every participant command's frame: a 280-character note of 4-byte characters fits. */
export const COMMAND_BYTES = 2048;
/**
 * A `self` view: a base, plus a slot per own note and per ballot entry, each a worst case. Only
 * a hidden note carries its words (a visible one's are on the board), so only it needs room for
 * 280 four-byte characters; whether notes are hidden is the phase's doing, not the person's.
 */
export const SELF_BASE_BYTES = 512;
export const SELF_HIDDEN_NOTE_BYTES = 1536;
export const SELF_NOTE_BYTES = 256;
export const SELF_BALLOT_BYTES = 48;
/** An action proposal: up to 200 characters of four bytes, with its id and state. */
export const SELF_PROPOSAL_BYTES = 1024;

const bytes = (x: unknown): number => new TextEncoder().encode(JSON.stringify(x)).length;

/** `x` with a `pad` of spaces so that its JSON is exactly `size` bytes (or as it is, if larger). */
function padTo<T extends object>(x: T, size: number): T & { pad?: string } {
  const bare = bytes(x);
  // ,"pad":"" adds 10 bytes around the spaces.
  const room = size - bare - 10;
  return room >= 0 ? { ...x, pad: ' '.repeat(room) } : x;
}

export const padCommand = <T extends object>(cmd: T): T & { pad?: string } => padTo(cmd, COMMAND_BYTES);

/** The size a view is padded to, from its counts alone (never from its words). */
export function selfSize(view: SelfView): number {
  const notes = view.notes.reduce((sum, n) => sum + (n.hidden ? SELF_HIDDEN_NOTE_BYTES : SELF_NOTE_BYTES), 0);
  // The ballot gets a slot per dot of the budget, placed or not: a dot given back when the
  // facilitator hides its note must not shrink the voter's frame.
  const budget = view.dotsLeft + Object.values(view.ballot).reduce((a, b) => a + b, 0);
  // A proposal's words are like a hidden note's; a control answer, like a ballot entry, says its
  // choice in words of different lengths ("outside", "influence"), so it gets a fixed slot too.
  return (
    SELF_BASE_BYTES +
    notes +
    Math.max(budget, Object.keys(view.ballot).length) * SELF_BALLOT_BYTES +
    (view.ownProposals?.length ?? 0) * SELF_PROPOSAL_BYTES +
    Object.keys(view.control ?? {}).length * SELF_BALLOT_BYTES +
    Object.keys(view.since ?? {}).length * SELF_BALLOT_BYTES +
    (view.finished?.length ?? 0) * SELF_BALLOT_BYTES
  );
}

/** `view` padded to `size` bytes of JSON (at least its own `selfSize`). */
export const padSelf = (view: SelfView, size = selfSize(view)): SelfView & { pad?: string } => padTo(view, Math.max(size, selfSize(view)));
