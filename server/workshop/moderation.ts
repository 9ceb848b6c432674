import { shuffle } from './shuffle.ts';
import { checkText, type CommandOf } from '../../shared/commands.ts';
import { holdsForReview, type Note } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply, HeldNote } from '../../shared/events.ts';
import { refusals } from '../../shared/messages/refusals.ts';
import type { HiddenNoteRow } from '../store/store.ts';
import { fail, ok } from './result.ts';
import type { Workshop } from './workshop.ts';
import { remember } from './undo.ts';
import { reviewPut, type Place, type Review } from './private-state.ts';
import type { Fact } from './disclosure.ts';

/**
 * Moderation before the room sees anything. Notes that are not yet on the board — a silent
 * brainstorm's, or any participant's while "hold new notes for review" is on — are held on the
 * server. The facilitators see them in a private moderation view and decide, note by note, what
 * the reveal publishes: hold one back, reword it, move it, merge duplicates.
 *
 * Watching who taps must not tell a facilitator who wrote what, so the view never shows an
 * author, a time or an order of arrival: held notes reach it through the one gate of
 * disclosure.ts, in batches from at least MIN_PEOPLE different people, a few seconds after the
 * last of them was written, listed by their random ids. Once shown, a note stays in the view as
 * it was shown: its author's later edit or withdrawal would otherwise reach the view in a later
 * batch, and the people of two batches together could name its author. The reveal publishes the
 * author's latest words (unless the facilitators reworded it). A facilitator's decision changes
 * nothing anyone else receives: it is kept beside the note and applied when the note is published.
 */

/** Are notes from participants held right now (silent brainstorm, or "hold for review")? */
export const holding = (w: Workshop): boolean =>
  (w.meta('silent') && !w.meta('notesRevealed')) || holdsForReview({ hold: w.meta('hold'), silent: w.meta('silent') });

const seenOf = (h: HiddenNoteRow): Review['seen'] => ({ boneId: h.boneId, subBoneId: h.subBoneId, text: h.text, pick: h.pick });

const putReview = (w: Workshop, r: Review): void => w.record(reviewPut(r));

/** Held notes the moderation view has not shown yet. */
function unshown(w: Workshop): HiddenNoteRow[] {
  return [...w.private.hidden.values()].filter((h) => !w.private.reviews.has(h.noteId));
}

/** The moderation view's batches, as disclosure.ts releases them: the held notes not shown yet. */
export const heldNotes: Fact<Workshop> = {
  people(w) {
    const people = new Set<string>();
    for (const h of unshown(w)) for (const pid of w.private.authors.get(h.noteId) ?? []) people.add(pid);
    return people;
  },
  release(w) {
    for (const h of unshown(w)) putReview(w, { noteId: h.noteId, seen: seenOf(h), held: false, text: null, place: null, into: null });
    // Everyone's per-bone counts follow the view (stats.ts), so they too move only here.
    w.touchStats();
  },
};

/** The moderation view, for facilitators only: ordered by the notes' random ids, never by arrival. */
export function heldView(w: Workshop): HeldNote[] {
  return [...w.private.reviews.values()]
    .sort((a, b) => (a.noteId < b.noteId ? -1 : a.noteId > b.noteId ? 1 : 0))
    .map((r) => ({
      id: r.noteId,
      boneId: r.place?.boneId ?? r.seen.boneId,
      subBoneId: r.place ? r.place.subBoneId : r.seen.subBoneId,
      text: r.text ?? r.seen.text,
      pick: r.text ? null : r.seen.pick,
      held: r.held,
      edited: r.text !== null,
      into: r.into,
    }));
}

type Reply = Result<CommandReply>;

/** The review of a held note the facilitators have been shown, or null. */
export const reviewOf = (w: Workshop, noteId: string): Review | null => w.private.reviews.get(noteId) ?? null;

/** One decision on one held note, kept so it can be undone. */
function decide(w: Workshop, r: Review, next: Review): Reply {
  if (JSON.stringify(next) !== JSON.stringify(r)) {
    putReview(w, next);
    remember(w, { kind: 'held', text: next.text ?? next.seen.text, changes: [{ before: r, after: next }] });
  }
  return ok({ noteId: r.noteId });
}

/** Hold a held note back from the reveal, or let it through again. */
export function holdBack(w: Workshop, r: Review, held: boolean): Reply {
  return decide(w, r, { ...r, held });
}

export function rewordHeld(w: Workshop, r: Review, text: string): Reply {
  const t = checkText(text);
  if (!t.ok) return fail(t.code);
  return decide(w, r, { ...r, text: t.text === r.seen.text ? null : t.text });
}

export function moveHeld(w: Workshop, r: Review, place: Place): Reply {
  const same = place.boneId === r.seen.boneId && place.subBoneId === r.seen.subBoneId;
  return decide(w, r, { ...r, place: same ? null : place });
}

/** Merge held notes into one held note: published as one note raised by all their authors. */
export function mergeHeld(w: Workshop, target: Review, cmd: CommandOf<'note.merge'>): Reply {
  const sources = [...new Set(cmd.sourceIds)];
  if (sources.includes(target.noteId)) return fail('invalid_merge', { what: refusals.invalidMerge.withItself });
  if (target.into) return fail('invalid_merge', { what: refusals.invalidMerge.intoMerged });
  const found = sources.map((id) => reviewOf(w, id));
  if (found.some((r) => !r)) {
    const onBoard = sources.some((id) => w.note(id));
    return onBoard
      ? fail('invalid_merge', { what: refusals.invalidMerge.heldWithBoard })
      : fail('not_found', { what: refusals.notFound.noteToMerge });
  }
  let text = target.text;
  if (cmd.text !== undefined) {
    const t = checkText(cmd.text);
    if (!t.ok) return fail(t.code);
    text = t.text === target.seen.text ? null : t.text;
  }
  const changes: Array<{ before: Review; after: Review }> = [];
  const change = (r: Review, after: Review) => {
    changes.push({ before: r, after });
    putReview(w, after);
  };
  for (const r of found as Review[]) change(r, { ...r, into: target.noteId });
  // Notes merged into a source now belong to the target.
  for (const r of [...w.private.reviews.values()]) if (r.into && sources.includes(r.into)) change(r, { ...r, into: target.noteId });
  if (text !== target.text) change(target, { ...target, text });
  remember(w, { kind: 'held', text: text ?? target.seen.text, changes });
  return ok({ noteId: target.noteId });
}

interface Effective extends Place {
  id: string;
  text: string;
  pick: string | null;
  held: boolean;
}

/**
 * Publish the held notes: each enters the document in one transaction, in shuffled order, as the
 * facilitators left it (reworded, moved, merged); identical quick-picks are joined into one note
 * "raised by N people"; notes held back go to the facilitators' hidden notes instead.
 *
 * `all`: every held note, shown in the moderation view or not (the reveal, leaving the
 * brainstorm: the one moment everything goes up together). Otherwise only the notes the view has
 * shown ("publish" while holding for review): a note that has not reached the view rests on fewer
 * than MIN_PEOPLE people, and publishing it on its own would name its author.
 */
export function publishHeld(w: Workshop, all: boolean): void {
  const p = w.private;
  const eff = new Map<string, Effective>();
  for (const h of p.hidden.values()) {
    const r = p.reviews.get(h.noteId);
    if (!r && !all) continue;
    eff.set(h.noteId, {
      id: h.noteId,
      boneId: r?.place?.boneId ?? h.boneId,
      subBoneId: r?.place ? r.place.subBoneId : h.subBoneId,
      text: r?.text ?? h.text,
      pick: r?.text ? null : h.pick,
      held: r?.held ?? false,
    });
  }
  // Merged notes join their target, where it is still there; single quick-picks join each other.
  const groups = new Map<string, { lead: string; ids: string[]; merged: boolean }>();
  const add = (key: string, lead: string, id: string, merged: boolean) => {
    const g = groups.get(key) ?? { lead, ids: [], merged };
    if (id === lead) g.ids.unshift(id);
    else g.ids.push(id);
    groups.set(key, g);
  };
  const intoOf = (id: string): string | null => {
    const into = p.reviews.get(id)?.into;
    return into && eff.has(into) && into !== id ? into : null;
  };
  const targets = new Set([...eff.keys()].map(intoOf).filter((x): x is string => x !== null));
  for (const e of eff.values()) {
    const into = intoOf(e.id);
    if (into) add(`into:${into}`, into, e.id, true);
    else if (targets.has(e.id)) add(`into:${e.id}`, e.id, e.id, true);
    else if (e.pick) add(`pick:${e.pick}:${e.held}`, e.id, e.id, false);
    else add(`note:${e.id}`, e.id, e.id, false);
  }
  for (const g of shuffle([...groups.values()])) {
    const lead = eff.get(g.ids[0])!;
    const authors = new Set(g.ids.flatMap((id) => [...(p.authors.get(id) ?? [])]));
    // A quick-pick already on the board (a facilitator's, say) takes in the held ones.
    const onBoard =
      !g.merged && !lead.held && lead.pick ? [...w.parts.notes.values()].find((n) => n.pick === lead.pick && !n.merged) : undefined;
    for (const id of g.ids) {
      w.record({ t: 'hidden.del', noteId: id });
      if (p.reviews.has(id)) w.record({ t: 'review.del', noteId: id });
      if (onBoard || id !== lead.id) w.record({ t: 'unauthor', noteId: id });
    }
    if (onBoard) {
      const newcomers = [...authors].filter((pid) => !p.isAuthor(onBoard.id, pid));
      w.parts.notes.set(onBoard.id, { ...onBoard, raisedBy: onBoard.raisedBy + newcomers.length });
      for (const pid of newcomers) w.record({ t: 'author', noteId: onBoard.id, participantId: pid });
      continue;
    }
    const note: Note = {
      id: lead.id,
      boneId: lead.boneId,
      subBoneId: lead.subBoneId,
      text: lead.text,
      pick: g.merged ? null : lead.pick,
      raisedBy: authors.size,
      merged: g.merged,
    };
    if (lead.held) w.record({ t: 'moderated.put', noteId: note.id, json: JSON.stringify(note) });
    else w.parts.notes.set(note.id, note);
    for (const pid of authors) w.record({ t: 'author', noteId: note.id, participantId: pid });
  }
  // Reviews of notes withdrawn since they were shown.
  for (const id of [...p.reviews.keys()]) w.record({ t: 'review.del', noteId: id });
  w.touchRoom();
}
