import type { WorkshopExport } from '../../shared/export-schema.ts';
import { CONTROL_TAGS } from '../../shared/limits.ts';
import { own } from '../../shared/safe-keys.ts';

const CONTROL_WORDS = { control: 'Within our control', influence: 'We can influence it', outside: 'Outside our control' } as const;

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
  const header = [
    'Round',
    'Rank',
    'Tied',
    'Barrier',
    'Bone',
    'Dots',
    'Supporters',
    'Share of voters',
    'Raised by',
    'Control',
    ...CONTROL_TAGS.map((t) => `Phones: ${CONTROL_WORDS[t]}`),
  ];
  const raised = new Map(exp.notes.map((n) => [n.id, n.raisedBy]));
  const rounds = [
    { label: 'Round 1', voters: exp.results?.voters ?? exp.voters, ranking: exp.ranking },
    ...(exp.laterRounds ?? []).map((r) => ({
      label: `Round ${r.round}: the top ${r.ranking.length} again`,
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
          r.tied ? 'yes' : 'no',
          cell(r.text),
          cell(r.bone),
          r.dots,
          r.supporters,
          share,
          raised.get(r.noteId) ?? 1,
          tag ? CONTROL_WORDS[tag] : '',
          ...CONTROL_TAGS.map((t) => (answers ? answers[t] : '')),
        ]),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
