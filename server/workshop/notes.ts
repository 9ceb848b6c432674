import { refusals } from '../../shared/messages/refusals.ts';
import { checkText, type CommandOf } from '../../shared/commands.ts';
import { NOTES_ADDED_PER_PERSON, NOTES_ADDED_PER_WORKSHOP, NOTES_PER_PERSON, NOTES_PER_WORKSHOP } from '../../shared/limits.ts';
import type { Note } from '../../shared/doc.ts';
import type { Result } from '../../shared/errors.ts';
import type { CommandReply } from '../../shared/events.ts';
import type { Phase } from '../../shared/phases.ts';
import { newId } from './keys.ts';
import { fail, ok } from './result.ts';
import type { Actor } from './actor.ts';
import type { Workshop } from './workshop.ts';
import { holding, holdBack, mergeHeld, moveHeld, publishHeld, reviewOf, rewordHeld } from './moderation.ts';
import { keep, remember, returnedOn, roundOf } from './undo.ts';

type Reply = Result<CommandReply>;

const EDITABLE: readonly Phase[] = ['brainstorm', 'review'];
const isFacilitator = (a: Actor) => a.role === 'facilitator';

/** Bone and sub-bone must exist on this workshop's fishbone. */
function placeOn(w: Workshop, boneId: string, subBoneId: string | null | undefined): { boneId: string; subBoneId: string | null } | null {
  const bone = w.meta('bones').find((b) => b.id === boneId);
  if (!bone) return null;
  if (subBoneId && !bone.subBones.some((s) => s.id === subBoneId)) return null;
  return { boneId, subBoneId: subBoneId ?? null };
}

function boardOpen(w: Workshop, actor: Actor, phases: readonly Phase[], what: string): Reply | null {
  if (w.phase === 'closed') return fail('closed');
  if (!phases.includes(w.phase)) return fail('wrong_phase', { phase: w.phase, what });
  if (w.meta('locked') && !isFacilitator(actor)) return fail('locked');
  return null;
}

export function addNote(w: Workshop, actor: Actor, cmd: CommandOf<'note.add'>): Reply {
  const phases: Phase[] = isFacilitator(actor) ? ['brainstorm', 'review'] : ['brainstorm'];
  const refused = boardOpen(w, actor, phases, refusals.wrongPhase.addNotes);
  if (refused) return refused;
  const place = placeOn(w, cmd.boneId, cmd.subBoneId);
  if (!place) return fail('unknown_bone');
  let text: string;
  let pick: string | null = null;
  if (cmd.pick !== undefined) {
    const item = w.meta('catalogue').find((c) => c.id === cmd.pick);
    if (!item) return fail('bad_request', { what: refusals.badRequest.unknownPick });
    text = item.text;
    pick = item.id;
  } else {
    const t = checkText(cmd.text ?? '');
    if (!t.ok) return fail(t.code);
    text = t.text;
  }
  if ((w.private.notesBy.get(actor.key)?.size ?? 0) >= NOTES_PER_PERSON) {
    return fail('limit_reached', { what: refusals.limitReached.notesPerPerson(NOTES_PER_PERSON) });
  }
  if (w.noteCount + w.private.hidden.size >= NOTES_PER_WORKSHOP) {
    return fail('limit_reached', { what: refusals.limitReached.notesPerWorkshop(NOTES_PER_WORKSHOP) });
  }
  const added = addedBy(w);
  if ((added.get(actor.key) ?? 0) >= NOTES_ADDED_PER_PERSON)
    return fail('limit_reached', { what: refusals.limitReached.churn(NOTES_ADDED_PER_PERSON) });
  if (w.noteKeysEver + w.private.hidden.size >= NOTES_ADDED_PER_WORKSHOP)
    return fail('limit_reached', { what: refusals.limitReached.churnWorkshop(NOTES_ADDED_PER_WORKSHOP) });
  // Held: a silent brainstorm's notes, or any while "hold new notes for review" is on (moderation.ts).
  const hiddenNow = holding(w) && !isFacilitator(actor);
  if (pick) {
    // The same quick-pick from several people is one note "raised by N people".
    const same = findPick(w, actor, pick, hiddenNow);
    if (same) return same;
  }
  const id = newId();
  added.set(actor.key, (added.get(actor.key) ?? 0) + 1);
  if (hiddenNow) {
    w.record({ t: 'hidden.put', row: { noteId: id, ...place, text, pick } });
  } else {
    w.parts.notes.set(id, { id, ...place, text, pick, raisedBy: 1, merged: false });
  }
  w.record({ t: 'author', noteId: id, participantId: actor.key });
  return ok({ noteId: id });
}

/**
 * Notes each person has added since the workshop was loaded, kept in memory only (a count, never
 * which notes): it bounds one person's churn for as long as they stay, and is gone with the
 * workshop's memory. The document's own tombstones bound the whole workshop's.
 */
const addedSinceLoad = new WeakMap<Workshop, Map<string, number>>();
function addedBy(w: Workshop): Map<string, number> {
  let m = addedSinceLoad.get(w);
  if (!m) addedSinceLoad.set(w, (m = new Map()));
  return m;
}

/** An earlier note with the same quick-pick, joined by this actor; null if there is none. */
function findPick(w: Workshop, actor: Actor, pick: string, silent: boolean): Reply | null {
  // While the brainstorm is silent nothing a participant does may change the shared document,
  // not even a count: joining a note everyone can see would tell the room who just picked it.
  // Their pick waits, hidden, and is joined to that note at the reveal, in the shuffled batch.
  for (const note of silent ? [] : w.parts.notes.values()) {
    if (note.pick !== pick || note.merged) continue;
    if (!w.private.isAuthor(note.id, actor.key)) {
      w.parts.notes.set(note.id, { ...note, raisedBy: note.raisedBy + 1 });
      w.record({ t: 'author', noteId: note.id, participantId: actor.key });
    }
    return ok({ noteId: note.id });
  }
  for (const h of w.private.hidden.values()) {
    if (h.pick === pick && w.private.isAuthor(h.noteId, actor.key)) return ok({ noteId: h.noteId });
  }
  return null;
}

/** Who may change this note, and is it there? */
function ownNote(w: Workshop, actor: Actor, noteId: string): { note: Note | null; hidden: boolean } | Reply {
  const hidden = w.private.hidden.get(noteId);
  const note = w.note(noteId);
  if (!hidden && !note) return fail('not_found');
  if (hidden && !w.private.isAuthor(noteId, actor.key)) return fail('not_found');
  if (!isFacilitator(actor) && !w.private.isAuthor(noteId, actor.key)) return fail('not_owner');
  return { note: note ?? null, hidden: !!hidden };
}

export function editNote(w: Workshop, actor: Actor, cmd: CommandOf<'note.edit'>): Reply {
  const refused = boardOpen(w, actor, isFacilitator(actor) ? EDITABLE : ['brainstorm'], refusals.wrongPhase.editNotes);
  if (refused) return refused;
  const review = isFacilitator(actor) ? reviewOf(w, cmd.noteId) : null;
  if (review) return rewordHeld(w, review, cmd.text);
  const found = ownNote(w, actor, cmd.noteId);
  if ('ok' in found) return found;
  const t = checkText(cmd.text);
  if (!t.ok) return fail(t.code);
  if (found.hidden) {
    const h = w.private.hidden.get(cmd.noteId)!;
    w.record({ t: 'hidden.put', row: { ...h, text: t.text, pick: null } });
    w.touchSelf(actor.key);
    return ok({ noteId: cmd.noteId });
  }
  const note = found.note!;
  if ((note.merged || note.raisedBy > 1) && !isFacilitator(actor)) return fail('merged');
  w.parts.notes.set(note.id, { ...note, text: t.text, pick: null });
  if (isFacilitator(actor)) {
    if (t.text !== note.text) remember(w, { kind: 'edit', noteId: note.id, before: { text: note.text, pick: note.pick }, after: t.text });
    w.touchRoom();
  } else touchAuthors(w, note.id);
  return ok({ noteId: note.id });
}

export function deleteNote(w: Workshop, actor: Actor, cmd: CommandOf<'note.delete'>): Reply {
  // Facilitators remove abuse in any phase; participants withdraw their own while brainstorming.
  const phases: readonly Phase[] = isFacilitator(actor) ? ['lobby', 'brainstorm', 'review', 'vote', 'reveal', 'act'] : ['brainstorm'];
  const refused = boardOpen(w, actor, phases, refusals.wrongPhase.withdrawNotes);
  if (refused) return refused;
  if (isFacilitator(actor) && reviewOf(w, cmd.noteId)) return fail('bad_request', { what: refusals.badRequest.holdNotRemove });
  const found = ownNote(w, actor, cmd.noteId);
  if ('ok' in found) return found;
  const note = found.note;
  if (note && !isFacilitator(actor) && note.merged) return fail('merged');
  if (note && !isFacilitator(actor) && note.raisedBy > 1) {
    // One of several people who raised it withdraws: the note stays for the others.
    w.parts.notes.set(note.id, { ...note, raisedBy: note.raisedBy - 1 });
    w.record({ t: 'author.del', noteId: note.id, participantId: actor.key });
    return ok({ noteId: note.id });
  }
  const undoable = isFacilitator(actor) && note ? { kept: keep(w, note), returned: returnedOn(w, [note.id]) } : null;
  removeNote(w, cmd.noteId);
  if (undoable) remember(w, { kind: 'remove', ...undoable, round: roundOf(w) });
  if (isFacilitator(actor)) w.touchRoom();
  return ok({ noteId: cmd.noteId });
}

/** Take a note off the board entirely: text, authors, any dots on it. */
export function removeNote(w: Workshop, noteId: string): void {
  if (w.private.hidden.has(noteId)) w.record({ t: 'hidden.del', noteId });
  else {
    w.parts.notes.delete(noteId);
    w.parts.tags.delete(noteId);
  }
  w.record({ t: 'unauthor', noteId });
  clearBallots(w, noteId);
}

/** A note left the board: its dots go back to whoever placed them. */
function clearBallots(w: Workshop, noteId: string): void {
  for (const b of w.private.ballots.values()) if (b.has(noteId)) return w.record({ t: 'ballot.clearNote', noteId });
}

/** Tell a note's authors that something about it changed. */
function touchAuthors(w: Workshop, noteId: string): void {
  for (const pid of w.private.authors.get(noteId) ?? []) w.touchSelf(pid);
}

/**
 * Moderation: a hidden note leaves every screen (its dots go back) but is kept, off the shared
 * document, so the facilitator can bring it back; closing the workshop deletes it for good.
 */
export function hideNote(w: Workshop, _actor: Actor, cmd: CommandOf<'note.hide'>): Reply {
  if (w.phase === 'closed') return fail('closed');
  const review = reviewOf(w, cmd.noteId);
  if (review) return holdBack(w, review, cmd.hidden);
  if (cmd.hidden) {
    const note = w.note(cmd.noteId);
    if (!note) return fail('not_found');
    const undoable = { kept: keep(w, note), returned: returnedOn(w, [note.id]) };
    w.parts.notes.delete(note.id);
    w.parts.tags.delete(note.id);
    clearBallots(w, note.id);
    w.record({ t: 'moderated.put', noteId: note.id, json: JSON.stringify(note) });
    remember(w, { kind: 'hide', ...undoable, round: roundOf(w) });
    w.touchRoom();
    return ok({ noteId: note.id });
  }
  const note = w.private.moderated.get(cmd.noteId);
  if (!note) return fail('not_found', { what: refusals.notFound.hiddenNote });
  w.parts.notes.set(note.id, note);
  w.record({ t: 'moderated.del', noteId: note.id });
  remember(w, { kind: 'show', noteId: note.id, text: note.text });
  w.touchRoom();
  return ok({ noteId: note.id });
}

export function moveNote(w: Workshop, _actor: Actor, cmd: CommandOf<'note.move'>): Reply {
  if (w.phase === 'closed') return fail('closed');
  const review = reviewOf(w, cmd.noteId);
  const note = w.note(cmd.noteId);
  if (!note && !review) return fail('not_found');
  const place = placeOn(w, cmd.boneId, cmd.subBoneId);
  if (!place) return fail('unknown_bone');
  if (review) return moveHeld(w, review, place);
  w.parts.notes.set(note!.id, { ...note!, ...place });
  if (note!.boneId !== place.boneId || note!.subBoneId !== place.subBoneId)
    remember(w, {
      kind: 'move',
      noteId: note!.id,
      text: note!.text,
      from: { boneId: note!.boneId, subBoneId: note!.subBoneId },
      to: place,
    });
  w.touchRoom();
  return ok({ noteId: note!.id });
}

export function mergeNotes(w: Workshop, _actor: Actor, cmd: CommandOf<'note.merge'>): Reply {
  if (w.phase === 'closed') return fail('closed');
  if (!EDITABLE.includes(w.phase)) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.mergeNotes });
  const review = reviewOf(w, cmd.noteId);
  if (review) return mergeHeld(w, review, cmd);
  const target = w.note(cmd.noteId);
  if (!target) return fail('not_found');
  if (cmd.sourceIds.some((id) => reviewOf(w, id))) return fail('invalid_merge', { what: refusals.invalidMerge.heldWithBoard });
  const sources = [...new Set(cmd.sourceIds)];
  if (sources.includes(target.id)) return fail('invalid_merge', { what: refusals.invalidMerge.withItself });
  const notes = sources.map((id) => w.note(id));
  if (notes.some((n) => !n)) return fail('not_found', { what: refusals.notFound.noteToMerge });
  let text = target.text;
  if (cmd.text !== undefined) {
    const t = checkText(cmd.text);
    if (!t.ok) return fail(t.code);
    text = t.text;
  }
  const before = keep(w, target);
  const sourcesKept = (notes as Note[]).map((n) => keep(w, n));
  const returned = returnedOn(w, sources);
  const authors = new Set(w.private.authors.get(target.id) ?? []);
  let raisedBy = target.raisedBy;
  for (const n of notes as Note[]) {
    raisedBy += n.raisedBy;
    for (const pid of w.private.authors.get(n.id) ?? []) authors.add(pid);
    removeNote(w, n.id);
  }
  const merged: Note = { ...target, text, pick: null, raisedBy, merged: true };
  w.parts.notes.set(target.id, merged);
  for (const pid of authors) w.record({ t: 'author', noteId: target.id, participantId: pid });
  remember(w, { kind: 'merge', before, after: merged, sources: sourcesKept, returned, round: roundOf(w) });
  w.touchRoom();
  return ok({ noteId: target.id });
}

/**
 * The held notes go up: every one enters the document in one shuffled transaction, as the
 * facilitators left them in the moderation view (moderation.ts publishHeld). Neither order nor
 * timing says who wrote what.
 */
export function revealHidden(w: Workshop): void {
  publishHeld(w, true);
  w.setMeta('notesRevealed', true);
}

/**
 * The facilitator's "Reveal notes": a silent brainstorm's reveal puts every held note up at
 * once. "Publish held notes" while holding for review puts up only what the moderation view has
 * shown; the rest waits for its batch, or for the end of the brainstorm (moderation.ts).
 */
export function revealNotes(w: Workshop): Reply {
  if (!['brainstorm', 'review'].includes(w.phase)) return fail('wrong_phase', { phase: w.phase, what: refusals.wrongPhase.revealNotes });
  if (w.meta('silent') && !w.meta('notesRevealed')) revealHidden(w);
  else publishHeld(w, false);
  return ok();
}

export function lockBoard(w: Workshop, _actor: Actor, cmd: CommandOf<'board.lock'>): Reply {
  if (w.phase === 'closed') return fail('closed');
  w.setMeta('locked', cmd.locked);
  return ok();
}
