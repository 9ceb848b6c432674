import type { Phase } from '../phases.ts';

/**
 * A partnership: a named series of workshops, the next starting from the last one (issue 26).
 * These are the shapes both ends read; zod-free so the phone's bundle stays small (the server's
 * checks are in shared/partnership/schema.ts).
 *
 * Nothing here can name or link a person: a workshop's outcome is kept as the aggregates its own
 * room already saw (the ranking, the bone weights, counts of 3 or more), its actions and the
 * statuses a facilitator gave them.
 */

/** What became of an action by the next workshop, as its facilitator records it. */
export const ACTION_STATUSES = ['done', 'progress', 'stalled', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** An action that may be carried on into the next workshop: not done, not dropped. */
export const isUnfinished = (s: ActionStatus | null | undefined): boolean => s !== 'done' && s !== 'dropped';

/** The room's answer, per top barrier of last time: "since last time this has got …". */
export const CHANGE_ANSWERS = ['better', 'same', 'worse'] as const;
export type ChangeAnswer = (typeof CHANGE_ANSWERS)[number];

/**
 * The fewest people whose answers are shown as counts, for all barriers together and for each
 * one (the same 3 as group breakdowns and proposal batches).
 */
export const CHANGE_ANSWERS_MIN = 3;

/** At most this many workshops in one partnership (a partnership meets a few times a year). */
export const WORKSHOPS_PER_PARTNERSHIP = 100;
/** At most this many co-facilitator links on one partnership, as on a workshop. */
export const LINKS_PER_PARTNERSHIP = 20;
/** A workshop's ranking as its partnership keeps it: the first this many barriers with dots. */
export const RANKING_KEPT = 100;

/** A bone's share of a workshop's dots. */
export interface BoneShare {
  id: string;
  label: string;
  dots: number;
  /** Share of all dots (0..1). */
  share: number;
}

/** One of a workshop's top barriers, as its reveal ranked it. */
export interface TopBarrier {
  /** The note's id in its own workshop. */
  id: string;
  text: string;
  boneId: string;
  bone: string;
  /** The catalogue item it was quick-picked from: picks match across workshops exactly. */
  pick: string | null;
  rank: number;
  tied: boolean;
  dots: number;
  supporters: number;
}

/** An action as the series follows it. */
export interface SeriesAction {
  /** Its id in its own workshop. */
  id: string;
  /** The first action it was carried on from (its own id if it was agreed here). */
  root: string;
  what: string;
  who: string;
  when: string;
  /** The words of the barrier it tackles, if it names one. */
  barrier: string;
}

/** An earlier workshop as a later one sees it: enough to say how the weight moved. */
export interface EarlierWorkshop {
  title: string;
  /** When it was held (ISO). */
  date: string;
  revealed: boolean;
  bones: BoneShare[];
}

/** The workshop a new one starts from: its top barriers and its actions too. */
export interface LastWorkshop extends EarlierWorkshop {
  topN: number;
  top: TopBarrier[];
  actions: SeriesAction[];
}

/**
 * What a workshop of a partnership knows of the series, in its shared document (`since`
 * 'series'): written when it is started in (or added to) the partnership.
 */
export interface SeriesInfo {
  /** The partnership's name. */
  title: string;
  /** Every earlier workshop, oldest first (the last one too). */
  earlier: EarlierWorkshop[];
  /** The one this workshop starts from, or null for a partnership's first. */
  last: LastWorkshop | null;
}

/** The room's answers per top barrier of last time, as counts: written once, when shown. */
export interface ChangeCounts {
  /** How many people answered at least one barrier. */
  answered: number;
  /** Per barrier of last time: the counts, or null where fewer than 3 people answered it. */
  barriers: Record<string, Record<ChangeAnswer, number> | null>;
}

/** Everything a workshop of a partnership holds about the series (the document's `since` map). */
export interface Since {
  series: SeriesInfo;
  /** Last time's actions (by their id there) -> what became of them. */
  statuses: Record<string, ActionStatus>;
  /** This workshop's actions carried on from last time: its action id -> the series root id. */
  carried: Record<string, string>;
  /** Last time's top barriers (by note id there) -> the note here a facilitator matched them to. */
  matches: Record<string, string>;
  ratings: ChangeCounts | null;
}

/** One workshop of a partnership, as the partnership keeps it (and the API sends it). */
export interface WorkshopSummary {
  title: string;
  /** Its join code while the workshop exists on this server; null once deleted or imported. */
  code: string | null;
  date: string;
  phase: Phase;
  participants: number;
  voters: number;
  topN: number;
  revealed: boolean;
  /** Each bone's share of the dots (zeros before the reveal). */
  boneWeights: BoneShare[];
  /** The barriers that got a dot, ranked (the first RANKING_KEPT; the top N are the first `topN`). */
  ranking: TopBarrier[];
  actions: SeriesAction[];
  /** What this workshop said about the one before it. */
  since: {
    statuses: Record<string, ActionStatus>;
    matches: Record<string, string>;
    ratings: ChangeCounts | null;
  } | null;
}
