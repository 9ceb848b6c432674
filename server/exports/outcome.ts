import { groupTables, hasNamedGroups } from '../../shared/breakdown-view.ts';
import type { WorkshopExport } from '../../shared/export-schema.ts';
import { CONTROL_TAGS, type ControlTag } from '../../shared/limits.ts';
import { pct } from '../../shared/messages/format.ts';
import { report as words } from '../../shared/messages/report.ts';
import { own } from '../../shared/safe-keys.ts';
import { sinceOfExport, type SinceOutcome } from '../../shared/partnership/since-outcome.ts';

/**
 * What a write-up (the slide deck, the Word report) says, in the printable report's words and
 * order: a pure function of the export model, so it can be built off the main thread. Every
 * text is the facilitator's view; nothing here names anyone.
 */

/** One voting round's ranking. A workshop has one today; a second round adds a second entry. */
export interface RankingRound {
  title: string;
  voters: number;
  dots: number;
  ranking: WorkshopExport['ranking'];
}

export interface RankRow {
  noteId: string;
  /** "3", or "=3" where another barrier shares the rank. */
  rank: string;
  text: string;
  bone: string;
  dots: number;
  /** "6 (75%)": people who gave it a dot, and their share of the voters. */
  backedBy: string;
  raisedBy: number;
}

export interface Round {
  title: string;
  /** "14 people voted, 70 dots in all." */
  summary: string;
  rows: RankRow[];
}

export interface BoneNote {
  text: string;
  sub: string | null;
  rank: string | null;
  dots: number | null;
  raisedBy: number;
}

export interface BoneOutcome {
  id: string;
  label: string;
  /** Null before the reveal. */
  dots: number | null;
  share: number | null;
  heaviest: boolean;
  /** Most dots first after the reveal; on the board's order before it. */
  notes: BoneNote[];
}

export interface Outcome {
  title: string;
  head: string;
  facts: Array<{ label: string; value: string }>;
  revealed: boolean;
  /** "Most of the weight: People." */
  weightLead: string;
  bones: BoneOutcome[];
  rounds: Round[];
  /** How many top barriers the tags and group breakdown look at. */
  topN: number;
  /**
   * Null when participants were not asked for a group. Otherwise a key of the top barriers and
   * tables of a row per group, a column per barrier (by rank): any number of groups fits a page.
   */
  groups:
    | { message: string }
    | {
        barriers: Array<{ rank: string; text: string }>;
        tables: Array<{ columns: string[]; rows: Array<{ name: string; cells: Array<{ dots: string; share: string }>; total: string }> }>;
      }
    | null;
  /** The phones' "within our control?" answers per top barrier, once the facilitator showed them. */
  answers: { answered: number; rows: Array<{ rank: string; text: string; counts: Record<ControlTag, number> }> } | null;
  tags: Array<{ tag: ControlTag; label: string; rows: RankRow[] }>;
  untagged: RankRow[];
  actions: Array<{ n: number; what: string; who: string; when: string; barrier: string }>;
  /** A workshop of a partnership (issue 26): what became of last time's actions and barriers, what moved. */
  since: SinceOutcome | null;
  footer: string;
}

/** Every round's ranking in the export: the first, then each later one ("the top N again"). */
export function roundsOf(exp: WorkshopExport): RankingRound[] {
  if (!exp.results) return [];
  const first = { title: words.ranking.heading, voters: exp.results.voters, dots: exp.results.dots, ranking: exp.ranking };
  const later = (exp.laterRounds ?? []).map((r) => ({
    title: words.rounds.heading(r.round, r.ranking.length),
    voters: r.voters,
    dots: r.dots,
    ranking: r.ranking,
  }));
  return [first, ...later];
}

export function outcomeOf(exp: WorkshopExport, opts: { timeZone: string; rounds?: RankingRound[] }): Outcome {
  const w = exp.workshop;
  const tally = exp.results;
  const rounds = opts.rounds ?? roundsOf(exp);
  const raised = new Map(exp.notes.map((n) => [n.id, n.raisedBy]));
  const rankText = (r: { rank: number; tied: boolean }) => (r.tied ? words.ranking.tiedRank(r.rank) : String(r.rank));
  const rowOf = (r: WorkshopExport['ranking'][number], voters: number): RankRow => ({
    noteId: r.noteId,
    rank: rankText(r),
    text: r.text,
    bone: r.bone,
    dots: r.dots,
    backedBy: words.ranking.supportersOf(r.supporters, voters ? r.supporters / voters : 0),
    raisedBy: raised.get(r.noteId) ?? 1,
  });
  // The latest round speaks for the tags, the group breakdown and each bone's ranks.
  const last = rounds[rounds.length - 1];
  const ranked = last ? last.ranking.map((r) => rowOf(r, last.voters)) : [];
  const rankOf = new Map(ranked.map((r) => [r.noteId, r.rank]));

  const weights = new Map(exp.boneWeights.map((b) => [b.boneId, b]));
  const maxDots = Math.max(0, ...exp.boneWeights.map((b) => b.dots));
  const heaviest = exp.boneWeights.filter((b) => maxDots > 0 && b.dots === maxDots).map((b) => b.label);
  const dotsOf = (id: string) => (tally ? (own(tally.notes, id)?.dots ?? 0) : null);
  const bones: BoneOutcome[] = w.bones.map((bone) => {
    const subs = new Map(bone.subBones.map((s) => [s.id, s.label]));
    const notes = exp.notes
      .filter((n) => n.boneId === bone.id)
      .map((n) => ({
        text: n.text,
        sub: (n.subBoneId && subs.get(n.subBoneId)) || null,
        rank: rankOf.get(n.id) ?? null,
        dots: dotsOf(n.id),
        raisedBy: n.raisedBy,
      }));
    if (tally) notes.sort((a, b) => (b.dots ?? 0) - (a.dots ?? 0));
    const weight = weights.get(bone.id);
    return {
      id: bone.id,
      label: bone.label,
      dots: weight?.dots ?? null,
      share: weight?.share ?? null,
      heaviest: !!weight && maxDots > 0 && weight.dots === maxDots,
      notes,
    };
  });

  const top = ranked.slice(0, w.settings.topN);
  let groups: Outcome['groups'] = null;
  if (w.settings.groups.length || exp.breakdown) {
    const b = exp.breakdown;
    if (!hasNamedGroups(b)) groups = { message: b ? words.groups.allOther : words.groups.notAsked };
    else
      groups = {
        barriers: top.map((r) => ({ rank: r.rank, text: r.text })),
        tables: groupTables(b, top).map((t) => ({
          columns: t.barriers.map((r) => words.groups.column(r.rank)),
          rows: t.rows.map((g) => ({
            name: g.name,
            cells: g.cells.map((c) => ({ dots: String(c.dots), share: pct(c.share) })),
            total: String(g.total),
          })),
        })),
      };
  }
  // Counts exist only for barriers the facilitator's "show" counted (it may leave some out).
  const counts = exp.controlAnswers ?? null;
  const answers: Outcome['answers'] = counts
    ? {
        answered: counts.answered,
        // By the latest ranking; a barrier answered for but not in a later round keeps the first round's rank.
        rows: [...ranked, ...exp.ranking.filter((r) => !rankOf.has(r.noteId)).map((r) => rowOf(r, exp.results?.voters ?? 0))].flatMap(
          (r) => {
            const c = own(counts.notes, r.noteId);
            return c ? [{ rank: r.rank, text: r.text, counts: c }] : [];
          },
        ),
      }
    : null;

  const text = new Map(exp.notes.map((n) => [n.id, n.text]));
  return {
    title: w.title,
    head: w.head,
    facts: [
      { label: words.facts.date, value: words.date(w.createdAt, opts.timeZone) },
      { label: words.facts.participants, value: String(exp.participants) },
      { label: words.facts.voters, value: String(tally?.voters ?? exp.voters) },
      { label: words.facts.dots, value: String(tally?.dots ?? 0) },
      { label: words.facts.notes, value: String(exp.notes.length) },
    ],
    revealed: !!tally,
    weightLead: heaviest.length ? words.weights.heaviest(heaviest.join(words.weights.and)) : words.weights.noDots,
    bones,
    rounds: rounds.map((r) => ({
      title: r.title,
      summary: words.ranking.voters(r.voters, r.dots),
      rows: r.ranking.map((x) => rowOf(x, r.voters)),
    })),
    topN: w.settings.topN,
    groups,
    answers,
    tags: CONTROL_TAGS.map((tag) => ({ tag, label: words.tags.names[tag], rows: ranked.filter((r) => own(exp.tags, r.noteId) === tag) })),
    untagged: top.filter((r) => !own(exp.tags, r.noteId)),
    actions: exp.actions.map((a, i) => ({
      n: i + 1,
      what: a.what,
      who: a.who,
      when: a.when,
      barrier: (a.noteId && text.get(a.noteId)) || '',
    })),
    since: sinceOfExport(exp),
    footer: words.footer(words.date(exp.exportedAt, opts.timeZone)),
  };
}
