import type { ControlTag, FinishingPhase } from '../../shared/limits.ts';
import type { ChangeAnswer } from '../../shared/partnership/series.ts';
import type { KeyRow } from './key-row.ts';
import type { PartnershipStore } from './partnerships.ts';

/** A facilitator's key: a workshop's and a partnership's are the same kind of row (key-row.ts). */
export type { KeyRow };

/**
 * Storage behind a small interface so the embedded SQLite store can be swapped for PostgreSQL.
 * A workshop is loaded whole when it opens; after that every command's effects are written as
 * one atomic batch before the command is acknowledged.
 */

export interface WorkshopRow {
  id: string;
  code: string;
  title: string;
  template: string;
  phase: string;
  createdAt: number;
  /** The Yjs client id the server writes the workshop's document with, kept across restarts. */
  serverClientId: number;
  /** When the facilitator closed it (null while it runs). */
  closedAt: number | null;
}

/** A silent-brainstorm note: its text is kept here, not in the shared document, until the reveal. */
export interface HiddenNoteRow {
  noteId: string;
  boneId: string;
  subBoneId: string | null;
  text: string;
  pick: string | null;
}

/** An action proposal: its words wait here, with their author, until a facilitator acts on them. */
export interface ProposalRow {
  id: string;
  participantId: string;
  text: string;
  /** Waiting (seen by nobody), ready (released to be shown: disclosure.ts), shown, made an action. */
  state: 'waiting' | 'ready' | 'shown' | 'accepted';
  /** Where it sits in the facilitators' list: shuffled within the batch it was shown in. */
  order: number;
}

/**
 * One change to a workshop's private state (server/workshop/private-state.ts). The live server
 * writes these in each batch; a store's load returns its rows as the same ops, replayed.
 */
export type PrivateOp =
  | { t: 'participant'; participantId: string }
  | { t: 'group'; participantId: string; group: string | null }
  | { t: 'breakdown'; json: string }
  | { t: 'moderated.put'; noteId: string; json: string }
  | { t: 'moderated.del'; noteId: string }
  /** Closing: forget who wrote and who backed what; the aggregates stay. */
  | { t: 'purge'; closedAt: number }
  | { t: 'author'; noteId: string; participantId: string }
  | { t: 'unauthor'; noteId: string }
  | { t: 'author.del'; noteId: string; participantId: string }
  | { t: 'hidden.put'; row: HiddenNoteRow }
  | { t: 'hidden.del'; noteId: string }
  | { t: 'ballot'; participantId: string; noteId: string; dots: number }
  | { t: 'ballot.clearNote'; noteId: string }
  | { t: 'command'; actor: string; commandId: string; result: string }
  | { t: 'key.add'; row: KeyRow }
  | { t: 'key.revoke'; id: string }
  // The hybrid day (issue 13): each a person's own answer, forgotten at closing (purge).
  | { t: 'finished'; participantId: string; phase: FinishingPhase; finished: boolean }
  /** A phase (or a new round's vote) begins: nobody has finished it yet. */
  | { t: 'finished.reset'; phase: FinishingPhase }
  | { t: 'proposal.put'; row: ProposalRow }
  | { t: 'proposal.del'; proposalId: string }
  | { t: 'answer'; participantId: string; noteId: string; answer: ControlTag | null }
  // --- The facilitator in control (server/workshop/moderation.ts, undo.ts, rounds.ts) ---
  /** A held note as the facilitators' moderation view has it (JSON of moderation.ts Review). */
  | { t: 'review.put'; noteId: string; json: string }
  | { t: 'review.del'; noteId: string }
  /** Someone placed a dot in this round: turnout counts them from now on, whatever happens to the dot. */
  | { t: 'voted'; participantId: string }
  /** A new round: fresh ballots, nobody has voted yet. */
  | { t: 'round.reset' }
  /** A moderation step that can be undone (JSON of undo.ts Step; it names authors and ballots, so it stays private). */
  | { t: 'undo.put'; seq: number; json: string }
  | { t: 'undo.del'; seq: number }
  // --- A partnership (issue 26) ---
  /** A participant's own "since last time" answer on one of last time's barriers: forgotten at closing. */
  | { t: 'since.answer'; participantId: string; barrierId: string; answer: ChangeAnswer | null }
  /**
   * The workshop's outcome as its partnership keeps it (JSON of a WorkshopSummary: aggregates,
   * actions, statuses). Written to the partnership's row, if it is in one; never read back here.
   */
  | { t: 'partnership.summary'; json: string };

export interface Batch {
  /** The Yjs update this batch made to the shared document, if any. */
  docUpdate: Uint8Array | null;
  /** When set, replaces every stored update with this full state (compaction). */
  docSnapshot: Uint8Array | null;
  ops: PrivateOp[];
  /** The title and phase, kept on the workshop's row for listings, when they changed. */
  row?: { title: string; phase: string };
}

export interface LoadedWorkshop {
  row: WorkshopRow;
  updates: Uint8Array[];
  /** The private state, as the ops that rebuild it. */
  ops: PrivateOp[];
}

export interface Store {
  createWorkshop(row: WorkshopRow, ownerKey: KeyRow, initialState: Uint8Array): Promise<void>;
  findIdByCode(code: string): Promise<string | null>;
  codeExists(code: string): Promise<boolean>;
  load(workshopId: string): Promise<LoadedWorkshop | null>;
  commit(workshopId: string, batch: Batch): Promise<void>;
  /** Remove a workshop and every trace of it, private rows included. */
  deleteWorkshop(workshopId: string): Promise<void>;
  /** Workshops closed before a time, for the retention sweep. */
  closedBefore(time: number): Promise<Array<{ id: string; code: string }>>;
  /** Throws unless the database answers a read (the health check). */
  health(): Promise<void>;
  /** Partnerships: named series of workshops (issue 26), in the same database. */
  readonly partnerships: PartnershipStore;
  close(): Promise<void>;
}
