import { z } from 'zod';
import { CONTROL_TAGS, safeId, shownText } from './commands.ts';
import { ACTIONS_PER_WORKSHOP, NOTES_PER_WORKSHOP } from './limits.ts';
import { PHASES } from './phases.ts';
import { sinceSchema } from './partnership/schema.ts';

/**
 * The JSON export of a whole workshop (docs/EXPORT.md). Versioned so an import can say plainly
 * when a file is from a newer Fishbone Live. It holds what the facilitator could see — the board,
 * the aggregates, the actions — and nothing that identifies anyone.
 */
export const EXPORT_SCHEMA = 'fishbone-live.workshop';
/**
 * 2: adds `laterRounds` ("vote again on the top N"); 3: adds `since` (a workshop of a
 * partnership: the earlier workshops and what this one said of them); 4: adds `controlAnswers`
 * (the phones' "within our control?" counts, once shown). Older files still import.
 */
export const EXPORT_VERSION = 4;

// Every id and every record key is a safe id: these become keys on the server and on every phone.
const rankingRow = z.strictObject({
  rank: z.number().int(),
  noteId: safeId,
  text: z.string(),
  bone: z.string(),
  dots: z.number().int(),
  supporters: z.number().int(),
  tied: z.boolean(),
});
const promptText = () => shownText(300).optional();
const subBone = z.strictObject({ id: safeId, label: shownText(120) });
const bone = z.strictObject({ id: safeId, label: shownText(120), subBones: z.array(subBone).max(12) });
const catalogueItem = z.strictObject({ id: safeId, boneId: safeId, subBoneId: safeId.nullable(), text: shownText(280) });
const note = z.strictObject({
  id: safeId,
  boneId: safeId,
  subBoneId: safeId.nullable(),
  text: shownText(280),
  pick: safeId.nullable(),
  raisedBy: z.number().int().min(1),
  merged: z.boolean(),
});
const tally = z.strictObject({
  voters: z.number().int().min(0),
  dots: z.number().int().min(0),
  notes: z.record(safeId, z.strictObject({ dots: z.number().int().min(0), supporters: z.number().int().min(0) })),
  bones: z.record(safeId, z.number().int().min(0)),
});

export const workshopExportSchema = z.strictObject({
  schema: z.literal(EXPORT_SCHEMA),
  version: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(EXPORT_VERSION)]),
  exportedAt: z.string(),
  workshop: z.strictObject({
    title: shownText(120),
    head: shownText(120),
    template: z.string().max(32),
    createdAt: z.string(),
    phase: z.enum(PHASES),
    settings: z.strictObject({
      silent: z.boolean(),
      budget: z.number().int().min(1).max(20),
      cap: z.number().int().min(1).max(20),
      facilitatorVotes: z.boolean(),
      showRanking: z.boolean(),
      topN: z.number().int().min(1).max(50),
      groups: z.array(shownText(40)).max(12),
    }),
    prompts: z.strictObject(
      Object.fromEntries(PHASES.map((p) => [p, promptText()])) as Record<(typeof PHASES)[number], ReturnType<typeof promptText>>,
    ),
    bones: z.array(bone).min(1).max(12),
    catalogue: z.array(catalogueItem).max(200),
  }),
  participants: z.number().int().min(0),
  voters: z.number().int().min(0),
  // An import holds no more than a workshop may (a bigger board would multiply every export's cost).
  notes: z.array(note).max(NOTES_PER_WORKSHOP, { message: `at most ${NOTES_PER_WORKSHOP} notes, the cap of a workshop` }),
  results: tally.nullable(),
  ranking: z.array(rankingRow).max(NOTES_PER_WORKSHOP),
  /** Each later round of voting (on the top N again, with fresh dots), once its results are out. */
  laterRounds: z
    .array(
      z.strictObject({
        round: z.number().int().min(2),
        budget: z.number().int().min(1).max(20),
        voters: z.number().int().min(0),
        dots: z.number().int().min(0),
        ranking: z.array(rankingRow).max(NOTES_PER_WORKSHOP),
      }),
    )
    .max(20)
    .optional(),
  boneWeights: z.array(z.strictObject({ boneId: safeId, label: z.string(), dots: z.number().int(), share: z.number() })),
  breakdown: z.strictObject({ groups: z.array(z.string()), notes: z.record(safeId, z.record(z.string(), z.number())) }).nullable(),
  tags: z.record(safeId, z.enum(CONTROL_TAGS)),
  /** The phones' "within our control?" answers as counts per barrier, once the facilitator showed them. */
  controlAnswers: z
    .strictObject({
      answered: z.number().int().min(0),
      notes: z.record(
        safeId,
        z.strictObject(
          Object.fromEntries(CONTROL_TAGS.map((t) => [t, z.number().int().min(0)])) as Record<(typeof CONTROL_TAGS)[number], z.ZodNumber>,
        ),
      ),
    })
    .nullable()
    .optional(),
  actions: z
    .array(
      z.strictObject({
        id: safeId,
        noteId: safeId.nullable(),
        what: shownText(200),
        who: z.union([z.literal(''), shownText(200)]),
        when: z.union([z.literal(''), shownText(200)]),
        order: z.number(),
      }),
    )
    .max(ACTIONS_PER_WORKSHOP, { message: `at most ${ACTIONS_PER_WORKSHOP} actions, the cap of a workshop` }),
  /** A workshop of a partnership (issue 26): the `since` map of its document (shared/partnership/since-doc.ts). */
  since: sinceSchema.nullable().optional(),
});

export type WorkshopExport = z.infer<typeof workshopExportSchema>;
