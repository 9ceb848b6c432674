import { boneLabel, type Board } from '../doc.ts';
import { boneWeights, rankNotes } from '../ranking.ts';
import { own } from '../safe-keys.ts';
import { RANKING_KEPT, type EarlierWorkshop, type LastWorkshop, type SeriesInfo, type TopBarrier, type WorkshopSummary } from './series.ts';

/**
 * A workshop's outcome as its partnership keeps it, read from its shared document: what the room
 * already saw (the first round's ranking and bone weights), the actions and what this workshop
 * said of the last one. Nothing private goes in: no ballot, no author, no answer of one person.
 */
export function summarize(board: Board, createdAt: number, liveParticipants = 0): WorkshopSummary {
  const m = board.meta;
  const tally = board.tally;
  const ranking: TopBarrier[] = tally
    ? rankNotes(board.notes, tally)
        .filter((r) => r.dots > 0)
        .slice(0, RANKING_KEPT)
        .map((r) => ({
          id: r.note.id,
          text: r.note.text,
          boneId: r.note.boneId,
          bone: boneLabel(m, r.note.boneId),
          pick: r.note.pick,
          rank: r.rank,
          tied: r.tied,
          dots: r.dots,
          supporters: r.supporters,
        }))
    : [];
  const text = new Map(board.notes.map((n) => [n.id, n.text]));
  return {
    title: m.title,
    code: null,
    date: new Date(createdAt).toISOString(),
    phase: m.phase,
    participants: m.participantCount ?? liveParticipants,
    voters: tally?.voters ?? 0,
    topN: m.topN,
    revealed: !!tally,
    boneWeights: tally
      ? boneWeights(
          m.bones.map((b) => b.id),
          tally,
        ).map((w) => ({ id: w.boneId, label: boneLabel(m, w.boneId), dots: w.dots, share: w.share }))
      : m.bones.map((b) => ({ id: b.id, label: b.label, dots: 0, share: 0 })),
    ranking,
    actions: board.actions.map((a) => ({
      id: a.id,
      root: own(board.since?.carried, a.id) ?? a.id,
      what: a.what,
      who: a.who,
      when: a.when,
      barrier: (a.noteId && text.get(a.noteId)) || '',
    })),
    since: board.since ? { statuses: board.since.statuses, matches: board.since.matches, ratings: board.since.ratings } : null,
  };
}

const earlierOf = (s: WorkshopSummary): EarlierWorkshop => ({ title: s.title, date: s.date, revealed: s.revealed, bones: s.boneWeights });

/** The top barriers of a summary: its first `topN` ranked. */
export const topOf = (s: WorkshopSummary): TopBarrier[] => s.ranking.slice(0, s.topN);

/**
 * What a new workshop of a partnership is given of the earlier ones (oldest first). It starts
 * from the latest that got somewhere (results or actions), so a run that was abandoned in its
 * lobby does not hide the one before it.
 */
export function seriesInfo(title: string, earlier: WorkshopSummary[]): SeriesInfo {
  const from = [...earlier].reverse().find((s) => s.revealed || s.actions.length > 0) ?? earlier[earlier.length - 1];
  const last: LastWorkshop | null = from ? { ...earlierOf(from), topN: from.topN, top: topOf(from), actions: from.actions } : null;
  return { title, earlier: earlier.map(earlierOf), last };
}
