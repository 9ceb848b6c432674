import type { Command, CommandInput } from '../../../shared/commands.ts';
import { holdsForReview, type Board, type Meta, type Note } from '../../../shared/doc.ts';
import type { OwnNote, SelfView } from '../../../shared/events.ts';
import { participant as t } from '../../../shared/messages/participant.ts';
export { todo } from '../../../shared/todo.ts';
import type { Bone, CatalogueItem } from '../../../shared/templates/index.ts';

/** A sticky note as the phone shows it: on the board, one of the participant's hidden ones, or still in the outbox. */
export interface Card {
  id: string;
  text: string;
  raisedBy: number;
  merged: boolean;
  own: boolean;
  hidden: boolean;
  /** Hidden because "hold new notes for review" is on: the facilitators decide whether it goes up. */
  review: boolean;
  pending: boolean;
}

/** Where a note can sit: a bone, or a sub-bone of it. */
export interface Place {
  key: string;
  boneId: string;
  subBoneId: string | null;
  /** The sub-bone's name, or null for the bone itself. */
  subLabel: string | null;
  /** "People — Roles", for labels read out of context. */
  fullLabel: string;
  cards: Card[];
  picks: CatalogueItem[];
}

export interface BoneView {
  bone: Bone;
  places: Place[];
  /** Cards on this bone the participant can see (visible, own hidden, own pending). */
  count: number;
}

const byText = (a: Card, b: Card) => a.text.localeCompare(b.text);

/**
 * The board as a list per bone. Notes on a bone with sub-bones but on none of them go under
 * the bone itself ("General"); the participant's own hidden notes sit beside the visible ones.
 */
export function boardView(board: Board, self: SelfView | null, pending: Command[]): BoneView[] {
  const own = new Set(self?.notes.map((n) => n.id));
  const cards = new Map<string, Card[]>();
  const placeKey = (boneId: string, subBoneId: string | null) => `${boneId}/${subBoneId ?? ''}`;
  const put = (boneId: string, subBoneId: string | null, card: Card) => {
    const bone = board.meta.bones.find((b) => b.id === boneId);
    const sub = bone?.subBones.some((s) => s.id === subBoneId) ? subBoneId : null;
    const k = placeKey(boneId, sub);
    cards.set(k, [...(cards.get(k) ?? []), card]);
  };
  for (const n of board.notes) put(n.boneId, n.subBoneId, fromNote(n, own.has(n.id)));
  // The self view can lag the document by a moment at the reveal: a note is shown once.
  const onBoard = new Set(board.notes.map((n) => n.id));
  const review = inReview(board.meta);
  for (const n of self?.notes ?? []) if (n.hidden && !onBoard.has(n.id)) put(n.boneId, n.subBoneId, { ...fromOwnHidden(n), review });
  for (const c of pending) {
    if (c.type !== 'note.add') continue;
    const text = c.pick ? board.meta.catalogue.find((i) => i.id === c.pick)?.text : c.text;
    if (text)
      put(c.boneId, c.subBoneId ?? null, {
        id: c.id,
        text,
        raisedBy: 1,
        merged: false,
        own: true,
        hidden: false,
        review: false,
        pending: true,
      });
  }

  return board.meta.bones.map((bone) => {
    const places: Place[] = [];
    const general = cards.get(placeKey(bone.id, null)) ?? [];
    // A bone with sub-bones gets a "General" place only when something sits there.
    if (bone.subBones.length === 0 || general.length > 0) {
      places.push(makePlace(board.meta, bone, null, general));
    }
    for (const sub of bone.subBones) places.push(makePlace(board.meta, bone, sub.id, cards.get(placeKey(bone.id, sub.id)) ?? []));
    return { bone, places, count: places.reduce((n, p) => n + p.cards.length, 0) };
  });
}

function makePlace(meta: Meta, bone: Bone, subBoneId: string | null, cards: Card[]): Place {
  const sub = subBoneId ? bone.subBones.find((s) => s.id === subBoneId) : undefined;
  const subLabel = sub ? sub.label : bone.subBones.length ? t.board.general : null;
  return {
    key: `${bone.id}/${subBoneId ?? ''}`,
    boneId: bone.id,
    subBoneId,
    subLabel,
    fullLabel: sub ? `${bone.label} — ${sub.label}` : bone.label,
    cards: [...cards].sort(byText),
    picks: meta.catalogue.filter((i) => i.boneId === bone.id && i.subBoneId === subBoneId),
  };
}

const fromNote = (n: Note, own: boolean): Card => ({
  id: n.id,
  text: n.text ?? '',
  raisedBy: n.raisedBy,
  merged: n.merged,
  own,
  hidden: false,
  review: false,
  pending: false,
});
const fromOwnHidden = (n: OwnNote): Card => ({
  id: n.id,
  text: n.text ?? '',
  raisedBy: 1,
  merged: n.merged,
  own: true,
  hidden: true,
  review: false,
  pending: false,
});

/**
 * Own notes are held for the facilitators' review (not only for a silent brainstorm's reveal):
 * "hold new notes for review" is on, outside a silent brainstorm not yet revealed.
 */
export const inReview = (meta: Meta): boolean => holdsForReview(meta) && !(meta.silent && !meta.notesRevealed);

/** The notes of a later round of voting, in the round's order (the ranking it came from), as cards. */
export function roundCards(board: Board, self: SelfView | null, noteIds: string[]): Card[] {
  const own = new Set(self?.notes.map((n) => n.id));
  const byId = new Map(board.notes.map((n) => [n.id, n]));
  return noteIds.flatMap((id) => {
    const n = byId.get(id);
    return n ? [fromNote(n, own.has(id))] : [];
  });
}

/** Dots on each note as the phone should show them: the server's answer plus votes still in the outbox. */
export function shownBallot(self: SelfView | null, pending: Command[], offline: boolean): Record<string, number> {
  const ballot = { ...(self?.ballot ?? {}) };
  // While connected a queued vote is answered within moments; counting it too would flicker.
  if (offline) for (const c of pending) if (c.type === 'vote.change') ballot[c.noteId] = Math.max(0, (ballot[c.noteId] ?? 0) + c.delta);
  return ballot;
}

export const dotsUsed = (ballot: Record<string, number>): number => Object.values(ballot).reduce((a, b) => a + b, 0);

/** One line that says what a queued or refused command was, in the participant's words. */
export function describe(cmd: CommandInput, board: Board | null, self: SelfView | null): string {
  const noteText = (id: string) => board?.notes.find((n) => n.id === id)?.text ?? self?.notes.find((n) => n.id === id)?.text ?? '…';
  switch (cmd.type) {
    case 'note.add':
      return t.outbox.add(cmd.pick ? (board?.meta.catalogue.find((i) => i.id === cmd.pick)?.text ?? '…') : (cmd.text ?? ''));
    case 'note.edit':
      return t.outbox.edit(cmd.text);
    case 'note.delete':
      return t.outbox.delete;
    case 'vote.change':
      return cmd.delta > 0 ? t.outbox.voteUp(noteText(cmd.noteId)) : t.outbox.voteDown(noteText(cmd.noteId));
    case 'profile.set':
      return t.outbox.group(cmd.group);
    case 'finished.set':
      return t.outbox.finished(cmd.finished);
    case 'proposal.add':
      return t.outbox.proposal(cmd.text);
    case 'control.answer':
      return t.outbox.answer(noteText(cmd.noteId));
    case 'since.rate':
      return t.outbox.answer(board?.since?.series.last?.top.find((b) => b.id === cmd.barrierId)?.text ?? '…');
    default:
      return t.outbox.other;
  }
}

/** A queued command, said in plain words. */
export interface OutboxItem {
  key: string;
  what: string;
}

/** A command the server refused after it had waited in the outbox. */
export interface Refusal extends OutboxItem {
  message: string;
  dismiss: () => void;
}

/** What a note card needs while voting: the phone's ballot, what waits in the outbox, the limits. */
export interface Voting {
  ballot: Record<string, number>;
  waiting: Record<string, number>;
  cap: number;
  dotsLeft: number;
  /** The round's dots per person ("3 of 5 dots left"). */
  budget: number;
  /** Voting is closed for now: the dots show, nothing can be tapped. */
  closed: boolean;
}

/** One note's share of `voting`, as its card's vote controls take it (null: not voting). */
export const voteFor = (voting: Voting | null, id: string) =>
  voting
    ? { dots: voting.ballot[id] ?? 0, waiting: voting.waiting[id] ?? 0, cap: voting.cap, dotsLeft: voting.dotsLeft, closed: voting.closed }
    : null;
