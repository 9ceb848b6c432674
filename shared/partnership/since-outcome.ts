import type { Board } from '../doc.ts';
import type { WorkshopExport } from '../export-schema.ts';
import { monthOf, since as words } from '../messages/since.ts';
import { boneLabel } from '../doc.ts';
import { boneWeights, rankNotes } from '../ranking.ts';
import { own } from '../safe-keys.ts';
import { barrierMoves, boneMoves, comparable, type BarrierMoves, type NowBarrier } from './moved.ts';
import { CHANGE_ANSWERS, type ActionStatus, type BoneShare, type ChangeAnswer, type LastWorkshop, type Since } from './series.ts';

/**
 * "Since last time" as a write-up says it (the deck's slide, the Word report's section, the
 * printable report, the facilitator's and the projector's cards): a pure function of what the
 * workshop's own document holds, so every one of them says the same.
 */

/** What a workshop of a partnership holds now, read from its board or from its JSON export. */
export interface SinceInput {
  since: Since;
  revealed: boolean;
  /** Each bone's share of this workshop's dots (once revealed). */
  bones: BoneShare[];
  /** This workshop's barriers with dots, ranked. */
  ranked: NowBarrier[];
  topN: number;
  /** When this workshop was held (ISO): months of the same year are said without the year. */
  date: string;
}

export interface SinceOutcome {
  partnership: string;
  last: LastWorkshop;
  /** "Last time: Spring away-day, March" */
  lastLine: string;
  /** One line per bone against the last workshop that revealed ("Processes: 38% of dots, up from 21% in March"). */
  boneLines: Array<{ label: string; line: string; direction: 'up' | 'down' | 'same' | 'new' }>;
  barriers: BarrierMoves | null;
  /** Per top barrier of last time: the room's counts once shown (null where fewer than 3 answered). */
  ratings: { answered: number; rows: Array<{ text: string; counts: Record<ChangeAnswer, number> | null }> } | null;
  actions: Array<{ what: string; who: string; when: string; status: ActionStatus | null; statusText: string; carried: boolean }>;
}

export function sinceInputOfBoard(board: Board, date: string): SinceInput | null {
  if (!board.since) return null;
  const m = board.meta;
  const tally = board.tally;
  return {
    since: board.since,
    revealed: !!tally,
    bones: tally
      ? boneWeights(
          m.bones.map((b) => b.id),
          tally,
        ).map((w) => ({ id: w.boneId, label: boneLabel(m, w.boneId), dots: w.dots, share: w.share }))
      : [],
    ranked: tally
      ? rankNotes(board.notes, tally)
          .filter((r) => r.dots > 0)
          .map((r) => ({
            id: r.note.id,
            text: r.note.text,
            bone: boneLabel(m, r.note.boneId),
            pick: r.note.pick,
            rank: r.rank,
            dots: r.dots,
          }))
      : [],
    topN: m.topN,
    date,
  };
}

export function sinceInputOfExport(exp: WorkshopExport): SinceInput | null {
  if (!exp.since) return null;
  const pick = new Map(exp.notes.map((n) => [n.id, n.pick]));
  return {
    since: exp.since,
    revealed: !!exp.results,
    bones: exp.boneWeights.map((b) => ({ id: b.boneId, label: b.label, dots: b.dots, share: b.share })),
    ranked: exp.ranking
      .filter((r) => r.dots > 0)
      .map((r) => ({ id: r.noteId, text: r.text, bone: r.bone, pick: pick.get(r.noteId) ?? null, rank: r.rank, dots: r.dots })),
    topN: exp.workshop.settings.topN,
    date: exp.workshop.createdAt,
  };
}

export function sinceOutcome(x: SinceInput): SinceOutcome | null {
  const last = x.since.series.last;
  if (!last) return null;
  const before = comparable(x.since.series.earlier).at(-1);
  const boneLines: SinceOutcome['boneLines'] = [];
  if (x.revealed && before) {
    for (const move of boneMoves(x.bones, [before])) {
      const then = move.then[0]?.share ?? null;
      const month = monthOf(before.date, x.date);
      const a = Math.round(move.now * 100);
      const direction = then === null ? 'new' : a > Math.round(then * 100) ? 'up' : a < Math.round(then * 100) ? 'down' : 'same';
      boneLines.push({ label: move.label, line: words.boneLine(move.label, move.now, then, month), direction });
    }
  }
  const carriedRoots = new Set(Object.values(x.since.carried));
  const ratings = x.since.ratings;
  return {
    partnership: x.since.series.title,
    last,
    lastLine: words.last(last.title, monthOf(last.date, x.date)),
    boneLines,
    barriers: x.revealed && last.top.length ? barrierMoves(last.top, x.ranked, x.topN, x.since.matches) : null,
    ratings: ratings
      ? {
          answered: ratings.answered,
          rows: last.top.map((b) => {
            const c = own(ratings.barriers, b.id) ?? null;
            return { text: b.text, counts: c && CHANGE_ANSWERS.every((k) => typeof c[k] === 'number') ? c : null };
          }),
        }
      : null,
    actions: last.actions.map((a) => {
      const status = own(x.since.statuses, a.id) ?? null;
      return { what: a.what, who: a.who, when: a.when, status, statusText: words.status(status), carried: carriedRoots.has(a.root) };
    }),
  };
}

/** "Since last time" of a workshop's JSON export (null: not in a partnership, or its first workshop). */
export function sinceOfExport(exp: WorkshopExport): SinceOutcome | null {
  const input = sinceInputOfExport(exp);
  return input ? sinceOutcome(input) : null;
}

/** Each bone's share now against the last workshop that revealed, as the live screens say it (empty: nothing to compare). */
export function boneLinesOf(board: Board, now: string): SinceOutcome['boneLines'] {
  const input = sinceInputOfBoard(board, now);
  return (input && sinceOutcome(input)?.boneLines) || [];
}
