import type { Note } from '../../shared/doc.ts';
import type { ControlTag, FinishingPhase } from '../../shared/limits.ts';
import type { ChangeAnswer } from '../../shared/partnership/series.ts';
import type { HiddenNoteRow, KeyRow, PrivateOp, ProposalRow } from '../store/store.ts';

/** Where a note sits on the board. */
export type Place = { boneId: string; subBoneId: string | null };

/** A held note in the facilitators' moderation view (moderation.ts), and what they decided about it. */
export interface Review {
  noteId: string;
  /** The author's version the facilitators were shown. */
  seen: Place & { text: string; pick: string | null };
  /** Held back: the reveal leaves it off the board (it joins the facilitators' hidden notes). */
  held: boolean;
  /** The facilitators' wording, if they reworded it. */
  text: string | null;
  /** Where the facilitators moved it, if they did. */
  place: Place | null;
  /** The held note it was merged into, if any. */
  into: string | null;
}

/** The op that keeps a review (its JSON, as the store keeps it). */
export const reviewPut = (r: Review): PrivateOp => ({ t: 'review.put', noteId: r.noteId, json: JSON.stringify(r) });

/**
 * Who a private change concerns, so the right views are sent again. Never the counts everyone
 * sees: they move only when disclosure.ts releases them, or with a facilitator's step.
 */
export interface Concerns {
  /** People whose own view changed. */
  selves: string[];
  /** Every facilitator's view changed (breakdown, moderated notes, links). */
  facilitators: boolean;
}

const NONE: Concerns = { selves: [], facilitators: false };

/** A proposal's state as its author sees it: one ready to show is still waiting, for them. */
const authorSees = (state: ProposalRow['state'] | undefined) => (state === 'ready' ? 'waiting' : state);

/**
 * Everything about a workshop that never enters the shared document: who is taking part (and
 * their group), who wrote which note, silent-brainstorm notes, notes a facilitator hid, ballots,
 * facilitator keys, the group breakdown and the answers of commands already run.
 *
 * It changes only through `apply(op)`: live, where each op also goes into the batch the store
 * writes, and when loading, where the store's rows are replayed as the same ops. So a private
 * fact means something once, here, and is stored once, in server/store/private-tables.ts (both
 * stores run that), and both paths agree.
 */
export class PrivateState {
  /** Participant id -> the group they chose (shown only in breakdowns of 3+), or null. */
  readonly participants = new Map<string, string | null>();
  /** Note id -> the people who raised it, and the reverse. */
  readonly authors = new Map<string, Set<string>>();
  readonly notesBy = new Map<string, Set<string>>();
  /** Silent-brainstorm notes, off the document until the reveal. */
  readonly hidden = new Map<string, HiddenNoteRow>();
  /** Notes a facilitator hid: off the document, kept here to bring back. */
  readonly moderated = new Map<string, Note>();
  /** Voter key -> note id -> dots. */
  readonly ballots = new Map<string, Map<string, number>>();
  readonly keys = new Map<string, KeyRow>();
  /** `actor|commandId` -> the JSON of its first answer. */
  readonly commands = new Map<string, string>();
  /** The group breakdown (JSON of shared/breakdown.ts Breakdown), from the reveal on. */
  breakdown: string | null = null;

  // The hybrid day (issue 13): each person's own answers, forgotten at closing.
  /** Phase -> who has said "I've finished" in it. */
  readonly finished = new Map<FinishingPhase, Set<string>>();
  /** Action proposals with their authors: facilitators see the words of shown ones only. */
  readonly proposals = new Map<string, ProposalRow>();
  /** Participant -> note -> their own "within our control?" answer. */
  readonly answers = new Map<string, Map<string, ControlTag>>();
  // --- The facilitator in control (moderation.ts, undo.ts, rounds.ts) ---
  /** Held notes the facilitators' moderation view shows (released in batches), with their decisions. */
  readonly reviews = new Map<string, Review>();
  /** Everyone who has placed a dot in this round, even if they took it back or its note was hidden. */
  readonly voted = new Set<string>();
  /** Moderation steps that can still be undone, by sequence number. */
  readonly undo = new Map<number, string>();
  /** A partnership (issue 26): participant -> last time's barrier -> their own "since last time" answer. */
  readonly since = new Map<string, Map<string, ChangeAnswer>>();

  static replay(ops: Iterable<PrivateOp>): PrivateState {
    const s = new PrivateState();
    for (const op of ops) s.apply(op);
    return s;
  }

  apply(op: PrivateOp): Concerns {
    switch (op.t) {
      case 'participant':
        if (!this.participants.has(op.participantId)) this.participants.set(op.participantId, null);
        return NONE;
      case 'group':
        this.participants.set(op.participantId, op.group);
        return { ...NONE, selves: [op.participantId] };
      case 'breakdown':
        this.breakdown = op.json;
        return { ...NONE, facilitators: true };
      case 'moderated.put':
        this.moderated.set(op.noteId, JSON.parse(op.json) as Note);
        return { ...NONE, facilitators: true };
      case 'moderated.del':
        this.moderated.delete(op.noteId);
        return { ...NONE, facilitators: true };
      case 'purge': {
        // Closing: forget every link between people and notes or ballots. Keys stay (the
        // facilitator still opens the report); the document's aggregates stay.
        const selves = [...new Set([...this.notesBy.keys(), ...this.ballots.keys()])];
        this.participants.clear();
        this.authors.clear();
        this.notesBy.clear();
        this.hidden.clear();
        this.moderated.clear();
        this.ballots.clear();
        this.commands.clear();
        for (const pid of this.#hybridPeople()) if (!selves.includes(pid)) selves.push(pid);
        this.finished.clear();
        this.proposals.clear();
        this.answers.clear();
        this.reviews.clear();
        this.voted.clear();
        this.undo.clear();
        this.since.clear();
        return { selves, facilitators: true };
      }
      case 'author':
        this.#link(op.noteId, op.participantId);
        return { ...NONE, selves: [op.participantId] };
      case 'unauthor': {
        const selves = [...(this.authors.get(op.noteId) ?? [])];
        for (const pid of selves) this.notesBy.get(pid)?.delete(op.noteId);
        this.authors.delete(op.noteId);
        return { ...NONE, selves };
      }
      case 'author.del':
        this.authors.get(op.noteId)?.delete(op.participantId);
        this.notesBy.get(op.participantId)?.delete(op.noteId);
        return { ...NONE, selves: [op.participantId] };
      case 'hidden.put':
        this.hidden.set(op.row.noteId, op.row);
        return NONE;
      case 'hidden.del':
        this.hidden.delete(op.noteId);
        return NONE;
      case 'ballot': {
        let b = this.ballots.get(op.participantId);
        if (!b) this.ballots.set(op.participantId, (b = new Map()));
        if (op.dots > 0) b.set(op.noteId, op.dots);
        else b.delete(op.noteId);
        return { ...NONE, selves: [op.participantId] };
      }
      case 'ballot.clearNote': {
        const selves: string[] = [];
        for (const [key, b] of this.ballots) if (b.delete(op.noteId)) selves.push(key);
        return { ...NONE, selves };
      }
      case 'command':
        this.commands.set(commandKey(op.actor, op.commandId), op.result);
        return NONE;
      case 'key.add':
        this.keys.set(op.row.id, { ...op.row });
        return { ...NONE, facilitators: true };
      case 'key.revoke': {
        const k = this.keys.get(op.id);
        if (k) k.revoked = true;
        return { ...NONE, facilitators: true };
      }
      // the hybrid day (issue 13)
      case 'finished': {
        let who = this.finished.get(op.phase);
        if (!who) this.finished.set(op.phase, (who = new Set()));
        if (op.finished) who.add(op.participantId);
        else who.delete(op.participantId);
        return { ...NONE, selves: [op.participantId] };
      }
      case 'finished.reset': {
        const selves = [...(this.finished.get(op.phase) ?? [])];
        this.finished.delete(op.phase);
        // The count everyone sees goes to 0 with it (finishing.ts startFinishing).
        return { ...NONE, selves };
      }
      case 'proposal.put': {
        const before = this.proposals.get(op.row.id);
        this.proposals.set(op.row.id, { ...op.row });
        // Facilitators hear of a proposal only once it is shown: never while it waits or is ready.
        const shown = (s: ProposalRow['state'] | undefined) => s === 'shown' || s === 'accepted';
        const author = authorSees(before?.state) !== authorSees(op.row.state) || before?.text !== op.row.text;
        return { selves: author ? [op.row.participantId] : [], facilitators: shown(op.row.state) || shown(before?.state) };
      }
      case 'proposal.del': {
        const row = this.proposals.get(op.proposalId);
        this.proposals.delete(op.proposalId);
        return row ? { selves: [row.participantId], facilitators: row.state === 'shown' || row.state === 'accepted' } : NONE;
      }
      case 'answer': {
        let mine = this.answers.get(op.participantId);
        if (!mine) this.answers.set(op.participantId, (mine = new Map()));
        if (op.answer) mine.set(op.noteId, op.answer);
        else mine.delete(op.noteId);
        if (mine.size === 0) this.answers.delete(op.participantId);
        return { ...NONE, selves: [op.participantId] };
      }
      // --- The facilitator in control ---
      case 'review.put':
        this.reviews.set(op.noteId, JSON.parse(op.json) as Review);
        return { ...NONE, facilitators: true };
      case 'review.del':
        this.reviews.delete(op.noteId);
        return { ...NONE, facilitators: true };
      case 'voted':
        this.voted.add(op.participantId);
        return NONE;
      case 'round.reset': {
        const selves = [...this.ballots.keys()];
        this.ballots.clear();
        this.voted.clear();
        return { selves, facilitators: true };
      }
      case 'undo.put':
        this.undo.set(op.seq, op.json);
        return { ...NONE, facilitators: true };
      case 'undo.del':
        this.undo.delete(op.seq);
        return { ...NONE, facilitators: true };
      // --- A partnership ---
      case 'since.answer': {
        let mine = this.since.get(op.participantId);
        if (!mine) this.since.set(op.participantId, (mine = new Map()));
        if (op.answer) mine.set(op.barrierId, op.answer);
        else mine.delete(op.barrierId);
        if (mine.size === 0) this.since.delete(op.participantId);
        // How many have answered reaches everyone only through the disclosure gate (disclosure.ts).
        return { ...NONE, selves: [op.participantId] };
      }
      case 'partnership.summary':
        return NONE;
    }
  }

  /** Everyone with a private answer of the hybrid day, whose view changes when it is forgotten. */
  #hybridPeople(): Set<string> {
    const people = new Set<string>();
    for (const who of this.finished.values()) for (const pid of who) people.add(pid);
    for (const row of this.proposals.values()) people.add(row.participantId);
    for (const pid of this.answers.keys()) people.add(pid);
    for (const pid of this.since.keys()) people.add(pid);
    return people;
  }

  isAuthor(noteId: string, key: string): boolean {
    return this.authors.get(noteId)?.has(key) ?? false;
  }

  dotsOf(key: string): number {
    let sum = 0;
    for (const d of this.ballots.get(key)?.values() ?? []) sum += d;
    return sum;
  }

  dotsOn(key: string, noteId: string): number {
    return this.ballots.get(key)?.get(noteId) ?? 0;
  }

  #link(noteId: string, participantId: string): void {
    if (!this.authors.has(noteId)) this.authors.set(noteId, new Set());
    this.authors.get(noteId)!.add(participantId);
    if (!this.notesBy.has(participantId)) this.notesBy.set(participantId, new Set());
    this.notesBy.get(participantId)!.add(noteId);
  }
}

export const commandKey = (actor: string, commandId: string): string => `${actor}|${commandId}`;
