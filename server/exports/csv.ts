import { CONTROL_TAG_NAMES } from '../../shared/messages/control-tags.ts';
import type { WorkshopExport } from '../../shared/export-schema.ts';
import { CONTROL_TAGS } from '../../shared/limits.ts';
import { exportWords } from '../../shared/messages/exports.ts';
import { own } from '../../shared/safe-keys.ts';

const words = exportWords.csv;

/** Every field quoted, quotes doubled, CRLF rows, UTF-8 with a BOM: Excel opens it as written. */
const row = (fields: Array<string | number>) => fields.map((f) => `"${String(f).replace(/"/g, '""')}"`).join(',');

/** Cells starting with = + - @ would run as formulas in a spreadsheet; prefix them with '. */
const cell = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/**
 * The ranking of every round of voting, each row labelled with its round ("Round 1", "Round 2:
 * the top 5 again"), so a spreadsheet filters one round or compares them; with each barrier's
 * control tag and, once the facilitator showed them, the phones' "within our control?" counts.
 */
export function rankingCsv(exp: WorkshopExport): string {
  const header = [...words.columns, ...CONTROL_TAGS.map((t) => words.phones(CONTROL_TAG_NAMES[t]))];
  const raised = new Map(exp.notes.map((n) => [n.id, n.raisedBy]));
  const rounds = [
    { label: words.firstRound, voters: exp.results?.voters ?? exp.voters, ranking: exp.ranking },
    ...(exp.laterRounds ?? []).map((r) => ({
      label: words.laterRound(r.round, r.ranking.length),
      voters: r.voters,
      ranking: r.ranking,
    })),
  ];
  const lines = [row(header)];
  for (const round of rounds) {
    for (const r of round.ranking) {
      const share = round.voters ? `${Math.round((r.supporters / round.voters) * 100)}%` : '0%';
      const tag = own(exp.tags, r.noteId);
      const answers = exp.controlAnswers ? own(exp.controlAnswers.notes, r.noteId) : undefined;
      lines.push(
        row([
          round.label,
          r.rank,
          r.tied ? words.yes : words.no,
          cell(r.text),
          cell(r.bone),
          r.dots,
          r.supporters,
          share,
          raised.get(r.noteId) ?? 1,
          tag ? CONTROL_TAG_NAMES[tag] : '',
          ...CONTROL_TAGS.map((t) => (answers ? answers[t] : '')),
        ]),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
