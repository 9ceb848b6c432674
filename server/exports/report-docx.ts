import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { WorkshopExport } from '../../shared/export-schema.ts';
import { REPORT_PICTURE_WIDTH, reportPictures, type PagePicture } from '../../shared/fishbone/export-svg.ts';
import { CONTROL_TAGS } from '../../shared/limits.ts';
import { exportWords as x } from '../../shared/messages/exports.ts';
import { pct } from '../../shared/messages/format.ts';
import { report as words } from '../../shared/messages/report.ts';
import { since as sinceWords, sinceWriteup } from '../../shared/messages/since.ts';
import { svgToPng } from './fishbone-png.ts';
import { outcomeOf, type Outcome, type RankRow } from './outcome.ts';
import { FONT, INK, SOFT, BRAND, ACCENT, LINE, TAG_COLOURS } from './office-theme.ts';

/**
 * The Word report (.docx): the printable report's content with real headings (Heading 1–3) and
 * real tables (header rows marked, so they repeat on each page and screen readers know them),
 * ready to paste into a board paper. A4, Arial, dark text on white.
 */

export interface PngPicture {
  png: Uint8Array;
  /** Size to show it at, in pixels at 96 per inch. */
  width: number;
  height: number;
  alt: string;
}

/** The report's pictures: the bones with their weights, then each bone with its notes. */
export interface ReportPictures {
  overview: PngPicture;
  bones: PngPicture[];
  caption: string;
}

/** A4 less 2 cm margins, in twentieths of a point. */
const PAGE_W = 11906;
const MARGIN = 1134;
const CONTENT = PAGE_W - 2 * MARGIN;

const para = (
  text: string,
  opts: { bold?: boolean; color?: string; size?: number; italics?: boolean; after?: number; keepNext?: boolean } = {},
) =>
  new Paragraph({
    spacing: { after: opts.after ?? 120 },
    keepNext: opts.keepNext,
    children: [new TextRun({ text, bold: opts.bold, color: opts.color ?? INK, size: opts.size, italics: opts.italics })],
  });

const heading = (text: string, level: 1 | 2 | 3) =>
  new Paragraph({
    heading: level === 1 ? HeadingLevel.HEADING_1 : level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3,
    keepNext: true,
    children: [new TextRun({ text })],
  });

interface Col {
  title: string;
  /** Share of the page's width. */
  w: number;
  right?: boolean;
}

/** A cell's words; `under`, a second, smaller line (a share under its count). */
type CellValue = string | { text: string; bold?: boolean; color?: string; under?: string };

/**
 * A table with a repeating header row; a row is never split across pages. `together`: a short
 * table is kept on one page (each row kept with the next).
 */
function table(cols: Col[], rows: CellValue[][], foot?: CellValue[], together = false): Table {
  const last = rows.length - (foot ? 0 : 1);
  const cell = (v: CellValue, col: Col, head = false, row = -1) => {
    const c = typeof v === 'string' ? { text: v } : v;
    return new TableCell({
      width: { size: Math.round(CONTENT * col.w), type: WidthType.DXA },
      margins: { top: 60, bottom: 60, left: 100, right: 100 },
      shading: head ? { type: ShadingType.CLEAR, color: 'auto', fill: BRAND } : undefined,
      children: [
        new Paragraph({
          alignment: col.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
          keepNext: together && (head || row < last),
          children: [
            new TextRun({ text: c.text, bold: head || c.bold, color: head ? 'FFFFFF' : (c.color ?? INK) }),
            ...(c.under ? [new TextRun({ text: c.under, break: 1, color: SOFT, size: 18 })] : []),
          ],
        }),
      ],
    });
  };
  const border = { style: BorderStyle.SINGLE, size: 4, color: LINE };
  return new Table({
    width: { size: CONTENT, type: WidthType.DXA },
    columnWidths: cols.map((c) => Math.round(CONTENT * c.w)),
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: cols.map((c) => cell(c.title, c, true)) }),
      ...rows.map((r, k) => new TableRow({ cantSplit: true, children: r.map((v, i) => cell(v, cols[i], false, k)) })),
      ...(foot
        ? [
            new TableRow({
              cantSplit: true,
              children: foot.map((v, i) => cell(typeof v === 'string' ? { text: v, bold: true } : v, cols[i])),
            }),
          ]
        : []),
    ],
  });
}

const gapAfter = () => new Paragraph({ spacing: { after: 120 }, children: [] });

function facts(o: Outcome) {
  const cols = o.facts.map((f) => ({ title: f.label, w: 1 / o.facts.length }));
  return [heading(words.facts.heading, 2), table(cols, [o.facts.map((f) => ({ text: f.value, bold: true, color: BRAND }))])];
}

/** Every picture at one scale (800 units to the page's width), so every word is the same size. */
function image(p: PngPicture) {
  const pageW = (CONTENT / 1440) * 96;
  // Never taller than a page less a heading.
  const scale = Math.min(pageW / REPORT_PICTURE_WIDTH, pageW / p.width, 900 / p.height);
  return new ImageRun({
    type: 'png',
    data: p.png,
    transformation: { width: Math.round(p.width * scale), height: Math.round(p.height * scale) },
    altText: { name: words.fishbone.heading, title: words.fishbone.heading, description: p.alt },
  });
}

function pictures(p: ReportPictures) {
  return [
    heading(words.fishbone.heading, 2),
    para(p.caption, { color: SOFT, size: 18, keepNext: true }),
    new Paragraph({ spacing: { after: 160 }, children: [image(p.overview)] }),
    // In one paragraph, so small bones sit side by side like words on a line.
    new Paragraph({ spacing: { after: 160 }, children: p.bones.flatMap((b, i) => [...(i ? [new TextRun(' ')] : []), image(b)]) }),
  ];
}

function weights(o: Outcome) {
  const t = words.weights;
  const rows = [...o.bones].sort((a, b) => (b.dots ?? 0) - (a.dots ?? 0));
  const total = rows.reduce((a, b) => a + (b.dots ?? 0), 0);
  return [
    heading(t.heading, 2),
    para(o.weightLead, { bold: true, keepNext: true }),
    table(
      [
        { title: t.bone, w: 0.46 },
        { title: t.notes, w: 0.18, right: true },
        { title: t.dots, w: 0.18, right: true },
        { title: t.share, w: 0.18, right: true },
      ],
      rows.map((b) => [
        { text: b.label, bold: b.heaviest, color: b.heaviest ? ACCENT : INK },
        String(b.notes.length),
        String(b.dots ?? 0),
        pct(b.share ?? 0),
      ]),
      [t.total, String(o.bones.reduce((a, b) => a + b.notes.length, 0)), String(total), pct(total ? 1 : 0)],
    ),
  ];
}

const rankCell = (r: RankRow) => ({ text: r.rank, bold: true, color: BRAND });

function rounds(o: Outcome) {
  const t = words.ranking;
  const out: Array<Paragraph | Table> = [heading(t.heading, 2)];
  if (!o.rounds.length) return [...out, para(x.ranking.notRevealed)];
  for (const round of o.rounds) {
    if (o.rounds.length > 1) out.push(heading(round.title, 3));
    out.push(para(round.summary, { keepNext: true }));
    if (!round.rows.length) {
      out.push(para(t.none));
      continue;
    }
    // Only what got dots is ranked; the rest (a room's hundred barriers at 0 dots, "=45" each)
    // are listed by bone, a paragraph each, after the table.
    const ranked = round.rows.filter((r) => r.dots > 0);
    const rest = round.rows.filter((r) => r.dots === 0);
    if (!ranked.length) out.push(para(x.ranking.noDots));
    else
      out.push(
        table(
          [
            { title: t.rank, w: 0.1, right: true },
            { title: t.note, w: 0.45 },
            { title: t.bone, w: 0.2 },
            { title: t.dots, w: 0.1, right: true },
            { title: t.supporters, w: 0.15, right: true },
          ],
          ranked.map((r) => [
            rankCell(r),
            r.text + (r.raisedBy > 1 ? x.bone.raisedBy(r.raisedBy) : ''),
            { text: r.bone, color: SOFT },
            { text: String(r.dots), bold: true },
            r.backedBy,
          ]),
        ),
        para(t.explain, { color: SOFT, size: 18 }),
      );
    if (rest.length)
      out.push(
        ...unvoted(
          rest,
          o.bones.map((b) => b.label),
        ),
      );
  }
  return out;
}

/** The barriers without a dot, by bone: the bone in bold, then the barriers, separated by a dot. */
function unvoted(rows: RankRow[], bones: string[]) {
  const t = words.ranking;
  const byBone = new Map<string, string[]>();
  for (const r of rows) byBone.set(r.bone, [...(byBone.get(r.bone) ?? []), r.text]);
  // In the diagram's order of bones (a sub-bone's label starts with its bone's).
  const at = (bone: string) => bones.findIndex((b) => bone === b || bone.startsWith(`${b} — `));
  return [
    heading(t.unvoted(rows.length), 3),
    para(t.unvotedIntro, { color: SOFT, size: 18, keepNext: true }),
    ...[...byBone]
      .sort(([a], [b]) => at(a) - at(b) || a.localeCompare(b))
      .map(
        ([bone, texts]) =>
          new Paragraph({
            spacing: { after: 100 },
            children: [
              new TextRun({ text: `${bone}: `, bold: true, color: BRAND, size: 18 }),
              new TextRun({ text: texts.join(' · '), color: INK, size: 18 }),
            ],
          }),
      ),
  ];
}

function groups(o: Outcome) {
  if (!o.groups) return [];
  const t = words.groups;
  const out: Array<Paragraph | Table> = [heading(t.heading, 2)];
  if ('message' in o.groups) return [...out, para(o.groups.message)];
  const g = o.groups;
  // A row per group and a column per barrier: seven or twelve groups make a longer table, never
  // one whose names and numbers wrap a letter a line. The heading, the key and the table's first
  // rows keep together on one page.
  out.push(
    para(`${t.top(g.barriers.length)} ${t.explain}`, { color: SOFT, size: 18, keepNext: true }),
    ...g.barriers.map(
      (b) =>
        new Paragraph({
          keepNext: true,
          spacing: { after: 40 },
          children: [
            new TextRun({ text: `${t.column(b.rank)}  `, bold: true, color: BRAND, size: 20 }),
            new TextRun({ text: b.text, size: 20 }),
          ],
        }),
    ),
    // Kept with the table below it.
    new Paragraph({ keepNext: true, spacing: { after: 120 }, children: [] }),
  );
  for (const part of g.tables) {
    const each = 0.58 / Math.max(part.columns.length, 3);
    out.push(
      table(
        [
          { title: t.group, w: 1 - 0.14 - each * part.columns.length },
          ...part.columns.map((c) => ({ title: c, w: each, right: true })),
          { title: t.total, w: 0.14, right: true },
        ],
        part.rows.map((r) => [
          { text: r.name, bold: true },
          ...r.cells.map((c) => ({ text: c.dots, under: c.share })),
          { text: r.total, bold: true },
        ]),
        undefined,
        true,
      ),
      gapAfter(),
    );
  }
  return out;
}

/** The phones' answers to "within our control?", as counts per top barrier. */
function answers(o: Outcome) {
  if (!o.answers) return [];
  const t = words.answers;
  const names = words.tags.names;
  return [
    heading(t.heading, 2),
    para(t.intro(o.answers.answered), { color: SOFT, size: 18, keepNext: true }),
    table(
      [
        { title: t.rank, w: 0.1, right: true },
        { title: t.note, w: 0.45 },
        ...CONTROL_TAGS.map((tag) => ({ title: names[tag], w: 0.15, right: true })),
      ],
      o.answers.rows.map((r) => [
        { text: r.rank, bold: true, color: BRAND },
        r.text,
        ...CONTROL_TAGS.map((tag) => ({ text: String(r.counts[tag]), bold: true, color: TAG_COLOURS[tag] })),
      ]),
      undefined,
      o.answers.rows.length <= 12,
    ),
  ];
}

function tags(o: Outcome) {
  const t = words.tags;
  const out: Array<Paragraph | Table> = [heading(t.heading, 2), para(t.quote, { italics: true, color: SOFT })];
  const list = (rows: RankRow[]) =>
    rows.map(
      (r) =>
        new Paragraph({
          bullet: { level: 0 },
          children: [new TextRun({ text: `${r.rank}  `, bold: true, color: BRAND }), new TextRun({ text: r.text, color: INK })],
        }),
    );
  const marked = o.tags.filter((g) => g.rows.length);
  if (!marked.length) out.push(para(t.none));
  for (const g of marked) {
    out.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_3,
        keepNext: true,
        children: [new TextRun({ text: g.label, color: TAG_COLOURS[g.tag] })],
      }),
      ...list(g.rows),
    );
  }
  if (o.untagged.length) out.push(heading(t.untagged, 3), ...list(o.untagged));
  return out;
}

function actions(o: Outcome) {
  const t = words.actions;
  if (!o.actions.length) return [heading(t.heading, 2), para(t.none)];
  return [
    heading(t.heading, 2),
    table(
      [
        { title: t.number, w: 0.08, right: true },
        { title: t.what, w: 0.34 },
        { title: t.who, w: 0.18 },
        { title: t.when, w: 0.14 },
        { title: t.barrier, w: 0.26 },
      ],
      o.actions.map((a) => [String(a.n), { text: a.what, bold: true }, a.who, a.when, { text: a.barrier, color: SOFT }]),
    ),
  ];
}

/** A workshop of a partnership: what moved since last time, the barriers then and now, last time's actions, the room's view. */
function since(o: Outcome) {
  const s = o.since;
  if (!s) return [];
  const t = sinceWriteup;
  const out: Array<Paragraph | Table> = [heading(t.heading, 2), para(s.lastLine, { bold: true }), heading(t.movedHeading, 3)];
  if (!s.boneLines.length) out.push(para(o.revealed ? t.noEarlierResults : t.notRevealed));
  for (const l of s.boneLines) out.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: l.line, color: INK })] }));
  if (s.barriers) {
    const b = s.barriers;
    out.push(
      heading(t.barriersHeading, 3),
      table(
        [
          { title: t.change, w: 0.22 },
          { title: t.then, w: 0.39 },
          { title: t.now, w: 0.39 },
        ],
        [
          ...b.persist.map((p) => [sinceWords.persist, t.rankText(p.then.rank, p.then.text), t.rankText(p.now.rank, p.now.text)]),
          ...b.gone.map((g) => [
            sinceWords.gone,
            t.rankText(g.then.rank, g.then.text),
            g.now ? sinceWords.nowRanked(g.now.rank) : sinceWords.notRaised,
          ]),
          ...b.fresh.map((f) => [sinceWords.fresh, '', t.rankText(f.rank, f.text)]),
        ].map(([change, ...rest]) => [{ text: change, bold: true, color: BRAND }, ...rest]),
      ),
    );
  }
  if (s.actions.length)
    out.push(
      heading(t.actionsHeading, 3),
      table(
        [
          { title: t.action, w: 0.38 },
          { title: t.who, w: 0.18 },
          { title: t.when, w: 0.14 },
          { title: t.became, w: 0.18 },
          { title: t.carriedOn, w: 0.12 },
        ],
        s.actions.map((a) => [{ text: a.what, bold: true }, a.who, a.when, { text: a.statusText, bold: true }, a.carried ? t.yes : '']),
      ),
    );
  out.push(heading(t.ratingsHeading, 3));
  if (!s.ratings) return [...out, para(t.notShown)];
  return [
    ...out,
    table(
      [
        { title: t.barrier, w: 0.55 },
        { title: t.better, w: 0.15, right: true },
        { title: t.same, w: 0.15, right: true },
        { title: t.worse, w: 0.15, right: true },
      ],
      s.ratings.rows.map((r) => [
        r.text,
        ...(r.counts ? [r.counts.better, r.counts.same, r.counts.worse].map(String) : [t.tooFew, t.tooFew, t.tooFew]),
      ]),
    ),
    para(t.answered(s.ratings.answered), { color: SOFT, size: 18 }),
  ];
}

/** The whole Word report from the export model: the pictures drawn, then the document built. */
export function wordReport(exp: WorkshopExport, opts: { timeZone: string }): Promise<Buffer> {
  const pics = reportPictures({
    title: exp.workshop.title,
    head: exp.workshop.head,
    bones: exp.workshop.bones,
    notes: exp.notes,
    tally: exp.results,
  });
  // Drawn at twice their size, so they print sharp.
  const png = (p: PagePicture): PngPicture => ({ png: svgToPng(p.svg, 2), width: p.width, height: p.height, alt: p.alt });
  return reportDocx(outcomeOf(exp, opts), {
    overview: png(pics.overview),
    bones: pics.bones.map(png),
    caption: pics.dottedOnly ? words.fishbone.caption : words.fishbone.captionAll,
  });
}

export async function reportDocx(o: Outcome, pics: ReportPictures | null): Promise<Buffer> {
  const doc = new Document({
    // The file's own metadata names the product, never a person.
    creator: x.app,
    lastModifiedBy: x.app,
    title: words.pageTitle(o.title),
    description: words.kicker,
    styles: {
      default: {
        document: { run: { font: FONT, size: 22, color: INK, language: { value: 'en-GB' } } },
        heading1: { run: { font: FONT, size: 40, bold: true, color: BRAND }, paragraph: { spacing: { after: 120 } } },
        heading2: { run: { font: FONT, size: 28, bold: true, color: BRAND }, paragraph: { spacing: { before: 320, after: 120 } } },
        heading3: { run: { font: FONT, size: 24, bold: true, color: INK }, paragraph: { spacing: { before: 200, after: 80 } } },
      },
    },
    sections: [
      {
        properties: { page: { margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
        children: [
          para(words.kicker, { color: SOFT, size: 18 }),
          heading(o.title, 1),
          para(words.head(o.head), { color: SOFT }),
          ...facts(o),
          ...since(o),
          ...(pics ? pictures(pics) : []),
          ...(o.revealed ? weights(o) : []),
          ...rounds(o),
          ...groups(o),
          ...tags(o),
          ...answers(o),
          ...actions(o),
          gapAfter(),
          para(o.footer, { color: SOFT, size: 18 }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
