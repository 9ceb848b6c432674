import type { ControlTag } from '../../shared/commands.ts';
import type { Note } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply, UndoEntry } from '../../shared/events.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import { resultsOut } from '../../shared/phases.ts';
import { reviewPut, type Review } from './private-state.ts';
import { fail, ok } from './result.ts';
import type { Workshop } from './workshop.ts';

/**
 * Undo of moderation steps, for the rest of the workshop. Each step a facilitator takes on a note
 * (hide, show again, remove, merge, move, reword, and the decisions on held notes) is kept with
 * what it takes to reverse it. A step is undone only while the note is as the step left it
 * (otherwise the answer is `changed`): undoing never overwrites a later change.
 *
 * Steps name authors and ballots, so they live in the private state only (the `undo_steps`
 * table; closing deletes them). The facilitators' view lists each step as a kind and a note's
 * words, never who wrote or backed it.
 *
 * Dots: a hidden, removed or merged-away note gave its dots back. Undoing brings a voter's dots
 * back onto it only until the round's results are out, in the same round, and only if that voter
 * has not voted since (their ballot is exactly as the step left it), so no budget is exceeded.
 */

/** How many steps are kept; older ones can no longer be undone. */
export const UNDO_KEEP = 50;

type Place = { boneId: string; subBoneId: string | null };

/** A voter's dots taken off notes by a step, and the rest of their ballot as the step left it. */
interface Returned {
  voter: string;
  dots: Array<[string, number]>;
  rest: Array<[string, number]>;
}

/** A note as it was, with what hangs off it privately: its authors, its control tag. */
interface Kept {
  note: Note;
  authors: string[];
  tag: ControlTag | null;
}

export type Step =
  | { kind: 'hide'; kept: Kept; returned: Returned[]; round: number }
  | { kind: 'show'; noteId: string; text: string }
  | { kind: 'remove'; kept: Kept; returned: Returned[]; round: number }
  | { kind: 'merge'; before: Kept; after: Note; sources: Kept[]; returned: Returned[]; round: number }
  | { kind: 'move'; noteId: string; text: string; from: Place; to: Place }
  | { kind: 'edit'; noteId: string; before: { text: string; pick: string | null }; after: string }
  | { kind: 'held'; text: string; changes: Array<{ before: Review; after: Review }> };

export const roundOf = (w: Workshop): number => w.meta('round') ?? 1;

export function keep(w: Workshop, note: Note): Kept {
  return { note, authors: [...(w.private.authors.get(note.id) ?? [])], tag: w.parts.tags.get(note.id) ?? null };
}

/** Every voter's dots on these notes, before a step gives them back. */
export function returnedOn(w: Workshop, noteIds: string[]): Returned[] {
  const ids = new Set(noteIds);
  const out: Returned[] = [];
  for (const [voter, ballot] of w.private.ballots) {
    const dots = [...ballot].filter(([id]) => ids.has(id));
    if (dots.length) out.push({ voter, dots, rest: [...ballot].filter(([id]) => !ids.has(id)) });
  }
  return out;
}

/** Keep a step that can be undone (the oldest beyond UNDO_KEEP are dropped). */
export function remember(w: Workshop, step: Step): void {
  const seqs = [...w.private.undo.keys()];
  const seq = seqs.length ? Math.max(...seqs) + 1 : 1;
  w.record({ t: 'undo.put', seq, json: JSON.stringify(step) });
  const old = seqs.sort((a, b) => a - b).slice(0, Math.max(0, seqs.length + 1 - UNDO_KEEP));
  for (const s of old) w.record({ t: 'undo.del', seq: s });
}

/** The facilitators' list: newest first, a kind and the note's words, never an author or a ballot. */
export function undoView(w: Workshop): UndoEntry[] {
  return [...w.private.undo]
    .sort(([a], [b]) => b - a)
    .map(([seq, json]) => {
      const step = JSON.parse(json) as Step;
      return { seq, kind: step.kind === 'held' ? heldKind(step.changes) : step.kind, text: describe(step) };
    });
}

/** What a decision on held notes did, read from the reviews it changed ("Moderated" said nothing). */
function heldKind(changes: Array<{ before: Review; after: Review }>): UndoEntry['kind'] {
  if (changes.some((c) => c.before.into !== c.after.into)) return 'merge';
  if (changes.length !== 1) return 'held';
  const [{ before, after }] = changes;
  if (before.held !== after.held) return after.held ? 'holdBack' : 'letThrough';
  if (before.text !== after.text) return 'edit';
  if (JSON.stringify(before.place) !== JSON.stringify(after.place)) return 'move';
  return 'held';
}

function describe(step: Step): string {
  switch (step.kind) {
    case 'hide':
    case 'remove':
      return step.kept.note.text;
    case 'merge':
      return step.after.text;
    case 'show':
    case 'move':
    case 'held':
      return step.text;
    case 'edit':
      return step.after;
  }
}

const sameNote = (a: Note | undefined, b: Note) => !!a && JSON.stringify(a) === JSON.stringify(b);

/** Undo one step: refused, changing nothing, if the note is no longer as the step left it. */
export function undoStep(w: Workshop, seq: number): Result<CommandReply> {
  if (w.phase === 'closed') return fail('closed');
  const json = w.private.undo.get(seq);
  if (!json) return fail('bad_request', { what: refusals.badRequest.noSuchStep(seq) });
  const step = JSON.parse(json) as Step;
  const refused = undoOne(w, step);
  if (refused) return refused;
  w.record({ t: 'undo.del', seq });
  w.touchRoom();
  return ok();
}

function undoOne(w: Workshop, step: Step): Result<CommandReply> | null {
  const gone = (id: string) => !w.note(id) && !w.private.moderated.has(id) && !w.private.hidden.has(id);
  switch (step.kind) {
    case 'hide': {
      const id = step.kept.note.id;
      const hidden = w.private.moderated.get(id);
      if (!hidden || w.note(id)) return fail('changed', { what: refusals.changed.shownAgain });
      w.record({ t: 'moderated.del', noteId: id });
      restore(w, { ...step.kept, note: hidden });
      giveBack(w, step.returned, step.round);
      return null;
    }
    case 'show': {
      const note = w.note(step.noteId);
      if (!note) return fail('changed', { what: refusals.changed.offBoard });
      w.parts.notes.delete(note.id);
      w.parts.tags.delete(note.id);
      if (w.private.ballots.size) w.record({ t: 'ballot.clearNote', noteId: note.id });
      w.record({ t: 'moderated.put', noteId: note.id, json: JSON.stringify(note) });
      return null;
    }
    case 'remove': {
      if (!gone(step.kept.note.id)) return fail('changed', { what: refusals.changed.backAlready });
      restore(w, step.kept);
      for (const pid of step.kept.authors) w.record({ t: 'author', noteId: step.kept.note.id, participantId: pid });
      giveBack(w, step.returned, step.round);
      return null;
    }
    case 'merge': {
      if (!sameNote(w.note(step.after.id), step.after)) return fail('changed', { what: refusals.changed.mergedChanged });
      if (!step.sources.every((s) => gone(s.note.id))) return fail('changed', { what: refusals.changed.backAlready });
      w.parts.notes.set(step.before.note.id, step.before.note);
      // The merged note goes back to its own authors; each source to its own.
      w.record({ t: 'unauthor', noteId: step.before.note.id });
      for (const pid of step.before.authors) w.record({ t: 'author', noteId: step.before.note.id, participantId: pid });
      for (const s of step.sources) {
        restore(w, s);
        for (const pid of s.authors) w.record({ t: 'author', noteId: s.note.id, participantId: pid });
      }
      giveBack(w, step.returned, step.round);
      return null;
    }
    case 'move': {
      const note = w.note(step.noteId);
      if (!note || note.boneId !== step.to.boneId || note.subBoneId !== step.to.subBoneId)
        return fail('changed', { what: refusals.changed.movedAgain });
      w.parts.notes.set(note.id, { ...note, ...step.from });
      return null;
    }
    case 'edit': {
      const note = w.note(step.noteId);
      if (!note || note.text !== step.after) return fail('changed', { what: refusals.changed.rewordedAgain });
      w.parts.notes.set(note.id, { ...note, ...step.before });
      return null;
    }
    case 'held': {
      const now = step.changes.map((c) => w.private.reviews.get(c.after.noteId));
      if (now.some((r, i) => !r || JSON.stringify(r) !== JSON.stringify(step.changes[i].after)))
        return fail('changed', { what: refusals.changed.heldChanged });
      for (const c of step.changes) w.record(reviewPut(c.before));
      return null;
    }
  }
}

/** A kept note goes back on the board, with its tag. */
function restore(w: Workshop, kept: Kept): void {
  w.parts.notes.set(kept.note.id, kept.note);
  if (kept.tag) w.parts.tags.set(kept.note.id, kept.tag);
}

/** Dots go back where they were, for each voter who has not voted since (see the file's comment). */
function giveBack(w: Workshop, returned: Returned[], round: number): void {
  if (resultsOut(w.phase) || roundOf(w) !== round) return;
  const key = (xs: Array<[string, number]>) => JSON.stringify([...xs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  for (const r of returned) {
    if (key([...(w.private.ballots.get(r.voter) ?? [])]) !== key(r.rest)) continue;
    for (const [noteId, dots] of r.dots) if (w.note(noteId)) w.record({ t: 'ballot', participantId: r.voter, noteId, dots });
  }
}
