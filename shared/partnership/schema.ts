import { z } from 'zod';
import { safeId, shownText, TITLE_MAX } from '../commands.ts';
import { ACTION_MAX, ACTIONS_PER_WORKSHOP, NOTE_MAX } from '../limits.ts';
import { PHASES } from '../phases.ts';
import { ACTION_STATUSES, CHANGE_ANSWERS_MIN, RANKING_KEPT, WORKSHOPS_PER_PARTNERSHIP } from './series.ts';

/**
 * The checks of everything a partnership takes from outside (the server parses with these): a
 * new partnership, and the partnership and "since last time" parts of imports. Every id is a
 * safe id and every text a shown text, as in a workshop's own export (shared/export-schema.ts);
 * counts of the room's answers obey the same rule as on a live screen (3 or more people).
 */

export const createPartnershipSchema = z.strictObject({ title: shownText(TITLE_MAX) });

/** A key presented for a partnership (the body of "add this workshop to that partnership"). */
export const partnershipRefSchema = z.strictObject({ id: safeId, key: z.string().max(128) });

const count = z.number().int().min(0);
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'a date (ISO 8601)');
const maybeText = (max: number) => z.union([z.literal(''), shownText(max)]);

const boneShare = z.strictObject({ id: safeId, label: shownText(120), dots: count, share: z.number().min(0).max(1) });
const topBarrier = z.strictObject({
  id: safeId,
  text: shownText(NOTE_MAX),
  boneId: safeId,
  bone: shownText(120),
  pick: safeId.nullable(),
  rank: z.number().int().min(1),
  tied: z.boolean(),
  dots: count,
  supporters: count,
});
const seriesAction = z.strictObject({
  id: safeId,
  root: safeId,
  what: shownText(ACTION_MAX),
  who: maybeText(ACTION_MAX),
  when: maybeText(ACTION_MAX),
  barrier: maybeText(NOTE_MAX),
});
const changeCount = z
  .strictObject({ better: count, same: count, worse: count })
  .refine((c) => c.better + c.same + c.worse >= CHANGE_ANSWERS_MIN, `counts of fewer than ${CHANGE_ANSWERS_MIN} people are never kept`);
const changeCounts = z.strictObject({
  answered: z.number().int().min(CHANGE_ANSWERS_MIN),
  barriers: z.record(safeId, changeCount.nullable()),
});
const statuses = z.record(safeId, z.enum(ACTION_STATUSES));
const matches = z.record(safeId, safeId);

const earlier = z.strictObject({ title: shownText(TITLE_MAX), date: isoDate, revealed: z.boolean(), bones: z.array(boneShare).max(12) });
const last = earlier.extend({
  topN: z.number().int().min(1).max(50),
  top: z.array(topBarrier).max(50),
  actions: z.array(seriesAction).max(ACTIONS_PER_WORKSHOP),
});

/** A workshop's `since` map as its JSON export has it (shared/partnership/since-doc.ts). */
export const sinceSchema = z.strictObject({
  series: z.strictObject({ title: shownText(TITLE_MAX), earlier: z.array(earlier).max(WORKSHOPS_PER_PARTNERSHIP), last: last.nullable() }),
  statuses,
  carried: z.record(safeId, safeId),
  matches,
  ratings: changeCounts.nullable(),
});

export const summarySchema = z.strictObject({
  title: shownText(TITLE_MAX),
  code: z.string().max(16).nullable(),
  date: isoDate,
  phase: z.enum(PHASES),
  participants: count,
  voters: count,
  topN: z.number().int().min(1).max(50),
  revealed: z.boolean(),
  boneWeights: z.array(boneShare).max(12),
  ranking: z.array(topBarrier).max(RANKING_KEPT),
  actions: z.array(seriesAction).max(ACTIONS_PER_WORKSHOP),
  since: z.strictObject({ statuses, matches, ratings: changeCounts.nullable() }).nullable(),
});

export const PARTNERSHIP_SCHEMA = 'fishbone-live.partnership';
export const PARTNERSHIP_VERSION = 1;

/** The partnership's JSON export (docs/EXPORT.md): its name and every workshop's outcome, for moving servers. */
export const partnershipExportSchema = z.strictObject({
  schema: z.literal(PARTNERSHIP_SCHEMA),
  version: z.literal(PARTNERSHIP_VERSION),
  exportedAt: isoDate,
  partnership: z.strictObject({ title: shownText(TITLE_MAX), createdAt: isoDate }),
  workshops: z.array(summarySchema).max(WORKSHOPS_PER_PARTNERSHIP),
});
export type PartnershipExport = z.infer<typeof partnershipExportSchema>;
