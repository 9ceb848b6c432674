import type { Command, ControlTag, JoinRequest, Role } from './commands.ts';
import type { FinishingPhase } from './limits.ts';
import type { Breakdown } from './breakdown.ts';
import type { Note } from './doc.ts';
import type { Result } from './errors.ts';
import type { ChangeAnswer } from './partnership/series.ts';

/** One of the participant's own notes, as only that participant's sockets ever see it. */
export interface OwnNote {
  id: string;
  boneId: string;
  subBoneId: string | null;
  /** Only while hidden: a visible note's words are on the board, so the view need not carry them. */
  text?: string;
  /** Still hidden by the silent brainstorm (not yet in the shared document). */
  hidden: boolean;
  /** Merged by the facilitator: still theirs, no longer editable. */
  merged: boolean;
  /**
   * The facilitators kept it off the board (held back at the reveal, or hidden later). No words:
   * the phone remembers its own, so the frame keeps its size (a grown frame would single the
   * author out on the Wi-Fi the moment the room saw the note go).
   */
  keptOff?: true;
}

/** One of the participant's own action proposals, as only that participant sees it. */
export interface OwnProposal {
  id: string;
  text: string;
  /** Waiting to be shown to the facilitator, shown, or turned into an action. */
  state: ProposalState;
}

export type ProposalState = 'waiting' | 'shown' | 'accepted';

/** A proposal as facilitators see it once shown: its words, never who sent it. */
export interface Proposal {
  id: string;
  text: string;
  accepted: boolean;
}

/**
 * A note waiting for review, as the facilitators' moderation view shows it: what the reveal will
 * publish. Never an author, a time or an order of arrival (the view lists them by random id).
 */
export interface HeldNote {
  id: string;
  boneId: string;
  subBoneId: string | null;
  text: string;
  pick: string | null;
  /** Held back: the reveal leaves it off the board. */
  held: boolean;
  /** Reworded by a facilitator. */
  edited: boolean;
  /** Merged into this other held note. */
  into: string | null;
}

/** A moderation step the facilitators can undo: its kind and the note's words, nothing about people. */
export interface UndoEntry {
  seq: number;
  /** What was done; on a held note, as held back, let through, reworded, moved or merged ('held': anything else). */
  kind: 'hide' | 'show' | 'remove' | 'merge' | 'move' | 'edit' | 'holdBack' | 'letThrough' | 'held';
  text: string;
}

/** What a participant alone learns about themselves: their notes and their dots. */
export interface SelfView {
  notes: OwnNote[];
  ballot: Record<string, number>;
  dotsLeft: number;
  /** The participant's own group (used only in breakdowns of 3+ people). */
  group: string | null;
  /** For facilitators after the reveal, when groups were used: dots per top note per group of 3+. */
  breakdown?: Breakdown;
  /** For facilitators: notes they hid (moderation), to bring back if they wish. */
  moderated?: Note[];
  /** For facilitators: held notes shown so far in the moderation view (batches from 3+ people). */
  review?: HeldNote[];
  /** For facilitators: moderation steps that can be undone, newest first. */
  undo?: UndoEntry[];
  /** For the facilitator who created the workshop: the co-facilitator links that still work. */
  links?: Array<{ id: string; createdAt: number }>;
  /** Spaces that make the view's size depend only on its counts (shared/padding.ts). */
  pad?: string;

  // The hybrid day (issue 13).
  /** A participant: the phases (brainstorm, vote) in which they have said "I've finished". */
  finished?: FinishingPhase[];
  /** A participant's own action proposals. */
  ownProposals?: OwnProposal[];
  /** A participant's own "within our control?" answers, per top barrier. */
  control?: Record<string, ControlTag>;
  /** For facilitators: the proposals shown so far (shuffled within each batch), without authors. */
  proposals?: Proposal[];

  /** A partnership (issue 26): a participant's own "since last time" answers, per barrier of last time. */
  since?: Record<string, ChangeAnswer>;
}

/**
 * Counts only, never names: the head count, silent-brainstorm counts and voting turnout. Every
 * count that follows participants' private input moves only when the server releases it: a few
 * seconds after the last input, and only when the change rests on at least 3 people
 * (server/workshop/disclosure.ts). "Of how many" counts everyone here at some moment of the
 * phase, so it does not drop when someone leaves.
 */
export interface Stats {
  connected: { participants: number; facilitators: number; screens: number };
  /** Held notes (silent brainstorm, or held for review) released to the moderation view, per bone. */
  hiddenByBone: Record<string, number>;
  /**
   * Turnout while voting: how many have placed a dot in this round (counted from their first dot,
   * whatever happens to it later), of how many could. No dot count: hiding a note gives its dots
   * back, so any running dot figure would tell that note's tally (docs/PROTOCOL.md).
   */
  turnout: { voters: number; eligible: number };
  serverTime: number;

  // The hybrid day (issue 13): counts only.
  /** Brainstorm and vote: how many have said "I've finished", of how many could. */
  finished: { done: number; of: number } | null;
  /** Act: proposals ready to be shown, and how many have answered "within our control?". */
  act: { proposalsWaiting: number; answered: number; of: number } | null;
  /** A partnership (issue 26): how many have answered "since last time", while answering is open. */
  since?: { answered: number; of: number } | null;
}

export interface JoinReply {
  role: Role;
  /** The Yjs update that brings the client's replica (from its state vector) up to date. */
  update: Uint8Array;
  self: SelfView | null;
  stats: Stats;
  serverTime: number;
}

/** Replies carry data only where the sender needs it (e.g. a new co-facilitator link). */
export interface CommandReply {
  noteId?: string;
  actionId?: string;
  link?: { id: string; key: string };
  proposalId?: string;
}

export type Ack<T = object> = (res: Result<T>) => void;

export interface ClientEvents {
  join: (req: JoinRequest, ack: Ack<JoinReply>) => void;
  cmd: (cmd: Command, ack: Ack<CommandReply>) => void;
  time: (ack: (serverTime: number) => void) => void;
}

export interface ServerEvents {
  /** A Yjs update of the shared document (written by the server only), base64-encoded. */
  doc: (update: string) => void;
  self: (self: SelfView) => void;
  stats: (stats: Stats) => void;
  /** The workshop was deleted or this facilitator link revoked: the client should stop. */
  ended: (reason: string) => void;
}
