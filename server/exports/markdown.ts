import { CONTROL_TAG_NAMES } from '../../shared/messages/control-tags.ts';
import { groupTables } from '../../shared/breakdown-view.ts';
import type { WorkshopExport } from '../../shared/export-schema.ts';
import { CONTROL_TAGS } from '../../shared/limits.ts';
import { exportWords } from '../../shared/messages/exports.ts';
import { longDate } from '../../shared/messages/format.ts';
import { report } from '../../shared/messages/report.ts';
import { own } from '../../shared/safe-keys.ts';

/**
 * User text in Markdown: only what would change how it renders is escaped, so a note cannot
 * restyle the report and ordinary words read as written ("away-day", "3.5", "(NHS)"). Escaped:
 * backslashes, code and emphasis marks (an underscore only at a word's edge: inside a word it
 * is plain), brackets, angle brackets (HTML), table pipes, tildes, and an ampersand that would
 * start an entity.
 */
const md = (s: string) =>
  s
    .replace(/[\\`*[\]<>|~]/g, '\\$&')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
/** At the start of a list item, text that reads as a list or heading marker is escaped too. */
const mdItem = (s: string) => md(s).replace(/^(#|[-+](?=\s)|\d+(?=[.)]\s))/, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`));
/** A heading's closing hashes would be dropped. */
const mdHeading = (s: string) => md(s).replace(/(\s)(#+)$/, '$1\\$2');
const pct = (x: number) => `${Math.round(x * 100)}%`;
/** A table's head: its columns, each aligned left (l) or right (r). */
const table = (columns: string[], align: string): string[] => [
  `| ${columns.join(' | ')} |`,
  `|${[...align].map((a) => (a === 'r' ? ' ---: |' : ' --- |')).join('')}`,
];
const M = exportWords.markdown;

export function reportMarkdown(exp: WorkshopExport, opts: { timeZone: string }): string {
  const w = exp.workshop;
  const out: string[] = [];
  out.push(`# ${mdHeading(w.title)}`, '');
  out.push(`${M.fishbone(md(w.head))} · ${longDate(w.createdAt, opts.timeZone)} · ${M.counts(exp.participants, exp.voters)}`, '');
  if (!exp.results) {
    out.push(M.notRevealed, '');
  } else {
    out.push(`## ${report.weights.heading}`, '', ...table(M.weights, 'lrr'));
    for (const b of [...exp.boneWeights].sort((a, b) => b.dots - a.dots)) out.push(`| ${md(b.label)} | ${b.dots} | ${pct(b.share)} |`);
    out.push('', `## ${report.ranking.heading}`, '', ...table(M.ranking, 'rllrr'));
    for (const r of exp.ranking)
      out.push(`| ${r.tied ? `=${r.rank}` : r.rank} | ${md(r.text)} | ${md(r.bone)} | ${r.dots} | ${r.supporters} |`);
    out.push('');
    for (const later of exp.laterRounds ?? []) {
      out.push(`## ${report.rounds.heading(later.round, later.ranking.length)}`, '', ...table(M.ranking, 'rllrr'));
      for (const r of later.ranking)
        out.push(`| ${r.tied ? `=${r.rank}` : r.rank} | ${md(r.text)} | ${md(r.bone)} | ${r.dots} | ${r.supporters} |`);
      out.push('');
    }
  }
  if (exp.breakdown && exp.breakdown.groups.length) {
    // A row per group, a column per top barrier (by rank, its words listed first): any number of groups reads.
    const top = exp.ranking.slice(0, w.settings.topN);
    const col = (r: (typeof top)[number]) => (r.tied ? `=${r.rank}` : `#${r.rank}`);
    out.push(`## ${report.groups.heading}`, '', M.groupsNote, '');
    for (const r of top) out.push(`- **${col(r)}** ${mdItem(r.text)}`);
    out.push('');
    for (const t of groupTables(exp.breakdown, top)) {
      out.push(...table([M.group, ...t.barriers.map(col), M.groupTotal], `l${'r'.repeat(t.barriers.length)}r`));
      for (const g of t.rows) out.push(`| ${md(g.name)} | ${g.cells.map((c) => `${c.dots} (${pct(c.share)})`).join(' | ')} | ${g.total} |`);
      out.push('');
    }
  }
  const tagged = exp.ranking.filter((r) => exp.tags[r.noteId]);
  if (tagged.length) {
    out.push(`## ${report.tags.heading}`, '');
    for (const r of tagged) out.push(`- ${mdItem(r.text)}: **${CONTROL_TAG_NAMES[exp.tags[r.noteId]]}**`);
    out.push('');
  }
  if (exp.controlAnswers) {
    const c = exp.controlAnswers;
    out.push(`## ${report.answers.heading}`, '', M.answered(c.answered), '');
    out.push(...table([...M.answers, ...CONTROL_TAGS.map((t) => CONTROL_TAG_NAMES[t])], `rl${'r'.repeat(CONTROL_TAGS.length)}`));
    for (const r of exp.ranking) {
      const n = own(c.notes, r.noteId);
      if (n) out.push(`| ${r.tied ? `=${r.rank}` : r.rank} | ${md(r.text)} | ${CONTROL_TAGS.map((t) => n[t]).join(' | ')} |`);
    }
    out.push('');
  }
  if (exp.actions.length) {
    out.push(`## ${report.actions.heading}`, '', ...table(M.actions, 'llll'));
    const text = new Map(exp.notes.map((n) => [n.id, n.text]));
    for (const a of exp.actions)
      out.push(`| ${md(a.what)} | ${md(a.who)} | ${md(a.when)} | ${a.noteId ? md(text.get(a.noteId) ?? '') : ''} |`);
    out.push('');
  }
  return out.join('\n');
}
