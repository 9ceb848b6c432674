import type { WorkshopExport } from '../../shared/export-schema.ts';

const CONTROL_WORDS = { control: 'Within our control', influence: 'We can influence it', outside: 'Outside our control' } as const;

/** Every field quoted, quotes doubled, CRLF rows, UTF-8 with a BOM: Excel opens it as written. */
const row = (fields: Array<string | number>) => fields.map((f) => `"${String(f).replace(/"/g, '""')}"`).join(',');

/** Cells starting with = + - @ would run as formulas in a spreadsheet; prefix them with '. */
const cell = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

export function rankingCsv(exp: WorkshopExport): string {
  const header = ['Rank', 'Tied', 'Barrier', 'Bone', 'Dots', 'Supporters', 'Share of voters', 'Raised by', 'Control'];
  const raised = new Map(exp.notes.map((n) => [n.id, n.raisedBy]));
  const lines = [row(header)];
  for (const r of exp.ranking) {
    const share = exp.voters ? `${Math.round((r.supporters / exp.voters) * 100)}%` : '0%';
    const tag = exp.tags[r.noteId];
    lines.push(
      row([
        r.rank,
        r.tied ? 'yes' : 'no',
        cell(r.text),
        cell(r.bone),
        r.dots,
        r.supporters,
        share,
        raised.get(r.noteId) ?? 1,
        tag ? CONTROL_WORDS[tag] : '',
      ]),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
