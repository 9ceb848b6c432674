import type { Breakdown } from '../../shared/breakdown.ts';
import { boneLabel, readBoard, type Note, type Tally } from '../../shared/doc.ts';
import { roundsOf } from '../../shared/rounds.ts';
import { EXPORT_SCHEMA, EXPORT_VERSION, type WorkshopExport } from '../../shared/export-schema.ts';
import { boneWeights, rankNotes } from '../../shared/ranking.ts';
import type { Workshop } from '../workshop/workshop.ts';

/**
 * Everything an export holds, built from the shared document (what the facilitator sees) plus
 * the facilitator-only group breakdown. Hidden notes, authors and ballots are never read here.
 */
export function exportWorkshop(w: Workshop, now: number): WorkshopExport {
  const board = readBoard(w.doc);
  const m = board.meta;
  const rows = (notes: Note[], tally: Tally) =>
    rankNotes(notes, tally).map((r) => ({
      rank: r.rank,
      noteId: r.note.id,
      text: r.note.text,
      bone: boneLabel(m, r.note.boneId, r.note.subBoneId),
      dots: r.dots,
      supporters: r.supporters,
      tied: r.tied,
    }));
  const later = roundsOf(board)
    .slice(1)
    .flatMap((r) =>
      r.tally ? [{ round: r.round, budget: r.budget, voters: r.tally.voters, dots: r.tally.dots, ranking: rows(r.notes, r.tally) }] : [],
    );
  return {
    schema: EXPORT_SCHEMA,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    workshop: {
      title: m.title,
      head: m.head,
      template: m.templateId,
      createdAt: new Date(w.row.createdAt).toISOString(),
      phase: m.phase,
      settings: {
        silent: m.silent,
        budget: m.budget,
        cap: m.cap,
        facilitatorVotes: m.facilitatorVotes,
        showRanking: m.showRanking,
        topN: m.topN,
        groups: m.groups ?? [],
      },
      prompts: m.prompts,
      bones: m.bones,
      catalogue: m.catalogue,
    },
    participants: m.participantCount ?? w.private.participants.size,
    voters: board.tally?.voters ?? 0,
    notes: board.notes,
    results: board.tally,
    ranking: board.tally ? rows(board.notes, board.tally) : [],
    laterRounds: later,
    boneWeights: board.tally
      ? boneWeights(
          m.bones.map((b) => b.id),
          board.tally,
        ).map((x) => ({ ...x, label: boneLabel(m, x.boneId) }))
      : [],
    breakdown: w.private.breakdown ? (JSON.parse(w.private.breakdown) as Breakdown) : null,
    tags: board.tags,
    controlAnswers: board.controlCounts,
    actions: board.actions,
    since: board.since,
  };
}
