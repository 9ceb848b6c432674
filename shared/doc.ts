import type * as Y from 'yjs';
import type { ControlTag } from './limits.ts';
import type { Phase } from './phases.ts';
import type { Bone, CatalogueItem } from './templates/index.ts';
import { readSince } from './partnership/since-doc.ts';
import type { Since } from './partnership/series.ts';

/**
 * The layout of a workshop's shared Y.Doc. Only the server writes it; every client holds a
 * read-only replica. Nothing here may identify a person: no author, no ballot, no timestamp
 * or sequence number that would give away the order in which hidden notes were written.
 *
 *   meta     Y.Map   title, head, phase, settings, prompts, timer, bones, catalogue
 *   notes    Y.Map   noteId -> Note (visible notes only; silent-brainstorm notes stay on the server)
 *   results  Y.Map   'tally' -> Tally, written once at the reveal (aggregates only);
 *                    'rounds' -> RoundResult[], each later round ("vote again on the top N")
 *   tags     Y.Map   noteId -> ControlTag (act phase)
 *   actions  Y.Map   actionId -> Action (act phase)
 *   answers  Y.Map   'control' -> ControlCounts, written once when the facilitator shows the
 *                    participants' "within our control?" answers (counts only)
 *   since    Y.Map   a workshop of a partnership (issue 26): 'series' (the earlier workshops'
 *                    outcomes), 'statuses', 'carried', 'matches', 'ratings' (shared/partnership/since-doc.ts)
 */

export interface Note {
  id: string;
  boneId: string;
  subBoneId: string | null;
  text: string;
  /** The catalogue item it was quick-picked from, if it was (not who picked it). */
  pick: string | null;
  /** How many people raised it: more than one after a merge or identical quick-picks. */
  raisedBy: number;
  /** A merged note keeps its authors but no one can edit it any more. */
  merged: boolean;
}

export interface Timer {
  state: 'idle' | 'running' | 'paused';
  /** Server clock (ms since epoch) at which a running timer reaches zero. */
  endsAt: number | null;
  /** What is left while paused. */
  remainingMs: number;
  durationMs: number;
}

export interface Tally {
  voters: number;
  dots: number;
  notes: Record<string, { dots: number; supporters: number }>;
  bones: Record<string, number>;
}

/** A later round of voting (shared/rounds.ts): the notes it is on, its dots, its tally once revealed. */
export interface RoundResult {
  round: number;
  noteIds: string[];
  budget: number;
  cap: number;
  tally: Tally | null;
}

export interface Action {
  id: string;
  noteId: string | null;
  what: string;
  who: string;
  when: string;
  order: number;
}

/**
 * The participants' "within our control?" answers per top barrier, as counts: written once,
 * when the facilitator shows them (answering then closes), never per person.
 */
export interface ControlCounts {
  /** How many people answered at least one barrier. */
  answered: number;
  notes: Record<string, Record<ControlTag, number>>;
}

export interface Settings {
  silent: boolean;
  /**
   * Hold participants' new notes for the facilitators' review (outside a silent brainstorm too).
   * Unset, it follows `silent` (holdsForReview): a workshop that started silent keeps new notes
   * held after the reveal unless the facilitators turn it off.
   */
  hold?: boolean;
  budget: number;
  cap: number;
  facilitatorVotes: boolean;
  showRanking: boolean;
  topN: number;
  /** Groups participants may say they belong to (e.g. NHS, council); empty: none asked. */
  groups: string[];
}

/** What the projector shows: live, blank (join code and name only) or frozen on its last picture. */
export const SCREEN_MODES = ['live', 'blank', 'frozen'] as const;
export type ScreenMode = (typeof SCREEN_MODES)[number];

export interface ScreenState {
  mode: ScreenMode;
  /** One bone at a time in full text (focus mode), at a page of its notes; null: the whole fishbone. */
  focus: { boneId: string; page: number } | null;
  /** Focus mode steps through the pages and bones by itself from this server time (null: it does not). */
  autoSince: number | null;
}

export const LIVE_SCREEN: ScreenState = { mode: 'live', focus: null, autoSince: null };

export interface Meta extends Settings {
  title: string;
  head: string;
  templateId: string;
  phase: Phase;
  locked: boolean;
  notesRevealed: boolean;
  prompts: Partial<Record<Phase, string>>;
  timer: Timer;
  bones: Bone[];
  catalogue: CatalogueItem[];
  /** How many took part, written when the workshop closes (the private list is then dropped). */
  participantCount?: number;
  /** Which round of voting this is: 1, or 2+ after "vote again on the top N" (absent: 1). */
  round?: number;
  /** The facilitators closed this round's voting (it may reopen until its results are revealed). */
  votingClosed?: boolean;
  /** The projector, as the facilitators set it (absent: live, the whole fishbone). */
  screen?: ScreenState;
}

export interface Board {
  meta: Meta;
  notes: Note[];
  /** The first round's tally (later rounds: `rounds`, read with shared/rounds.ts). */
  tally: Tally | null;
  rounds: RoundResult[];
  tags: Record<string, ControlTag>;
  actions: Action[];
  /** The participants' control answers as counts, once the facilitator has shown them. */
  controlCounts: ControlCounts | null;
  /** In a partnership: the earlier workshops, and what this one says about the last (null: not in one). */
  since: Since | null;
}

/** "Hold new notes for review", as set or, unset, as the brainstorm began: silent workshops hold. */
export const holdsForReview = (m: Pick<Settings, 'hold' | 'silent'>): boolean => m.hold ?? m.silent;

export const IDLE_TIMER: Timer = { state: 'idle', endsAt: null, remainingMs: 0, durationMs: 0 };

export const docParts = (doc: Y.Doc) => ({
  meta: doc.getMap<unknown>('meta'),
  notes: doc.getMap<Note>('notes'),
  results: doc.getMap<Tally>('results'),
  tags: doc.getMap<ControlTag>('tags'),
  actions: doc.getMap<Action>('actions'),
  answers: doc.getMap<ControlCounts>('answers'),
  since: doc.getMap<unknown>('since'),
});

/** Later rounds of voting, kept beside the first round's tally in `results` (shared/rounds.ts). */
export const readRounds = (doc: Y.Doc): RoundResult[] => (doc.getMap<unknown>('results').get('rounds') as RoundResult[] | undefined) ?? [];

/** A plain snapshot of the document, for drawing. */
export function readBoard(doc: Y.Doc): Board {
  const p = docParts(doc);
  const meta = p.meta.toJSON() as Meta;
  return {
    meta,
    notes: [...p.notes.values()],
    tally: p.results.get('tally') ?? null,
    rounds: readRounds(doc),
    tags: p.tags.toJSON() as Record<string, ControlTag>,
    actions: [...p.actions.values()].sort((a, b) => a.order - b.order),
    controlCounts: p.answers.get('control') ?? null,
    since: readSince(p.since),
  };
}

export const boneLabel = (meta: Pick<Meta, 'bones'>, boneId: string, subBoneId?: string | null): string => {
  const bone = meta.bones.find((b) => b.id === boneId);
  if (!bone) return boneId;
  const sub = subBoneId ? bone.subBones.find((s) => s.id === subBoneId) : undefined;
  return sub ? `${bone.label} — ${sub.label}` : bone.label;
};
