import { CONTROL_TAGS } from '../../shared/limits.ts';
import PptxGenJS from 'pptxgenjs';
import { ribStyle } from '../../shared/fishbone/weight-style.ts';
import { exportWords as x } from '../../shared/messages/exports.ts';
import { report as words } from '../../shared/messages/report.ts';
import { since as sinceWords, sinceWriteup } from '../../shared/messages/since.ts';
import type { Outcome } from './outcome.ts';
import { fitFont, pageRows, rowHeight } from './paging.ts';
import { FONT, INK, SOFT, BRAND, ACCENT, LINE, TAG_COLOURS } from './office-theme.ts';

/**
 * The slide deck (.pptx): a title slide, the fishbone with its bone weights, one slide per bone
 * with its barriers in full and their dots, the ranking of each voting round, the control tags
 * and the actions. All text is editable text, in a plain theme: dark text on white, Arial, 14 pt
 * or larger, every slide titled through the layout's title placeholder (what screen readers
 * and PowerPoint's accessibility checker read). Long tables continue on further slides, a row
 * never split.
 */

type Slide = PptxGenJS.Slide;
type Cell = PptxGenJS.TableCell;

const W = 13.333;
const M = 0.5;
const CONTENT_W = W - 2 * M;
const TOP = 1.25;
const BOTTOM = 6.9;
const BODY = 14;

const hex = (rgb: string) =>
  rgb.startsWith('#')
    ? rgb.slice(1).toUpperCase()
    : (rgb.match(/\d+/g) ?? [])
        .map((v) => Number(v).toString(16).padStart(2, '0'))
        .join('')
        .toUpperCase();

interface Column {
  title: string;
  w: number;
  align?: 'left' | 'right' | 'center';
}

/** The heights of a table's header and rows, and the room for rows on its first and later slides. */
function measureTable(columns: Column[], texts: string[][], opts: { intro?: string; after?: string }) {
  const headerH = rowHeight(
    columns.map((c) => ({ text: c.title, widthIn: c.w, bold: true })),
    BODY,
  );
  const introH = opts.intro ? 0.5 : 0;
  const heights = texts.map((t) =>
    rowHeight(
      t.map((text, i) => ({ text, widthIn: columns[i].w })),
      BODY,
    ),
  );
  const room = BOTTOM - TOP - headerH - (opts.after ? 0.45 : 0);
  return { headerH, introH, heights, first: room - introH, rest: room };
}

/** A table that continues on as many slides as it needs, each with the header row and a title. */
function addTable(
  pptx: PptxGenJS,
  title: string,
  columns: Column[],
  rows: Cell[][],
  texts: string[][],
  opts: { intro?: string; after?: string } = {},
) {
  const header = columns.map<Cell>((c) => ({
    text: c.title,
    options: { bold: true, color: 'FFFFFF', fill: { color: BRAND }, align: c.align ?? 'left' },
  }));
  const { headerH, introH, heights, first, rest } = measureTable(columns, texts, opts);
  const pages = pageRows(
    rows.map((_, i) => i),
    (i) => heights[i],
    first,
    rest,
  );
  pages.forEach((page, p) => {
    const slide = contentSlide(pptx, x.continued(title, p + 1, pages.length));
    let y = TOP;
    if (opts.intro && p === 0) {
      slide.addText(opts.intro, { x: M, y, w: CONTENT_W, h: introH - 0.05, fontFace: FONT, fontSize: 16, color: INK, valign: 'top' });
      y += introH;
    }
    slide.addTable([header, ...page.map((i) => rows[i])], {
      x: M,
      y,
      w: CONTENT_W,
      colW: columns.map((c) => c.w),
      fontFace: FONT,
      fontSize: BODY,
      color: INK,
      valign: 'top',
      border: { type: 'solid', pt: 0.75, color: LINE },
    });
    if (opts.after && p === pages.length - 1) {
      const used = headerH + page.reduce((a, i) => a + heights[i], 0);
      slide.addText(opts.after, { x: M, y: y + used + 0.1, w: CONTENT_W, h: 0.35, fontFace: FONT, fontSize: 12, color: SOFT });
    }
  });
}

/** A slide of the content layout, titled; a long title (a bone's label may be 120 characters) gets smaller type. */
function contentSlide(pptx: PptxGenJS, title: string): Slide {
  const slide = pptx.addSlide({ masterName: 'CONTENT' });
  const [fontSize] = fitFont([title], { widthIn: CONTENT_W, heightIn: 0.75, marginIn: 0.05 }, { maxPt: 28, minPt: 14, bold: true });
  // As a run: the layout's placeholder options would override a size given to the text box.
  slide.addText([{ text: title, options: { fontSize } }], { placeholder: 'title' });
  return slide;
}

function message(pptx: PptxGenJS, title: string, text: string) {
  contentSlide(pptx, title).addText(text, { x: M, y: TOP, w: CONTENT_W, h: 1.2, fontFace: FONT, fontSize: 18, color: INK, valign: 'top' });
}

function titleSlide(pptx: PptxGenJS, o: Outcome) {
  const slide = pptx.addSlide({ masterName: 'TITLE' });
  const [fontSize] = fitFont([o.title], { widthIn: CONTENT_W, heightIn: 1.9, marginIn: 0.05 }, { maxPt: 40, minPt: 20, bold: true });
  slide.addText([{ text: o.title, options: { fontSize } }], { placeholder: 'title' });
  slide.addText(words.head(o.head), { x: M, y: 3.55, w: CONTENT_W, h: 0.9, fontFace: FONT, fontSize: 22, color: INK, valign: 'top' });
  slide.addText(x.factsLine(o.facts), { x: M, y: 4.55, w: CONTENT_W, h: 0.8, fontFace: FONT, fontSize: 16, color: SOFT, valign: 'top' });
  slide.addText(x.anonymous, { x: M, y: 6.2, w: CONTENT_W, h: 0.4, fontFace: FONT, fontSize: 14, color: SOFT });
}

/** The fishbone drawn with shapes: each bone's label, share of dots and count, its rib weighted. */
function fishboneSlide(pptx: PptxGenJS, o: Outcome) {
  const slide = contentSlide(pptx, x.fishbone.heading);
  slide.addText(o.revealed ? o.weightLead : '', {
    x: M,
    y: 1.05,
    w: CONTENT_W,
    h: 0.4,
    fontFace: FONT,
    fontSize: 16,
    bold: true,
    color: INK,
  });
  const spineY = 4.05;
  const headX = 10.55;
  const slant = 0.6;
  slide.addShape('line', { x: 0.7, y: spineY, w: headX - 0.7, h: 0, line: { color: BRAND, width: 6 } });
  slide.addShape('triangle', { x: 0.45, y: spineY - 0.3, w: 0.6, h: 0.35, rotate: 90, fill: { color: BRAND }, line: { color: BRAND } });
  const headW = W - M - headX;
  const [headPt] = fitFont([o.head], { widthIn: headW * 0.85, heightIn: 1.4, marginIn: 0.1 }, { maxPt: 16, minPt: 8, bold: true });
  slide.addText(o.head, {
    shape: 'flowChartDelay',
    x: headX,
    y: spineY - 0.7,
    w: headW,
    h: 1.4,
    fill: { color: BRAND },
    line: { color: BRAND },
    color: 'FFFFFF',
    bold: true,
    fontFace: FONT,
    fontSize: headPt,
    align: 'center',
    valign: 'middle',
  });
  const maxShare = Math.max(0, ...o.bones.map((b) => b.share ?? 0));
  const sides = [o.bones.filter((_, i) => i % 2 === 0), o.bones.filter((_, i) => i % 2 === 1)];
  sides.forEach((bones, s) => {
    const slot = (headX - 0.3 - 0.8) / Math.max(1, bones.length);
    const boxH = 1.0;
    const boxY = s === 0 ? 1.5 : 5.65;
    bones.forEach((b, i) => {
      const cx = 0.8 + slot * (i + 0.5) - slant / 2;
      const boxW = Math.min(slot - 0.15, 3.2);
      const rib = ribStyle(b.share, maxShare, 2.5);
      const ribTop = s === 0 ? boxY + boxH : spineY + 0.03;
      slide.addShape('line', {
        x: cx,
        y: ribTop,
        w: slant,
        h: s === 0 ? spineY - 0.03 - ribTop : boxY - ribTop,
        flipV: s === 1,
        line: { color: hex(rib.stroke), width: rib.width },
      });
      // The label's words stay whole: the type shrinks to fit the box instead.
      const summary = x.fishbone.bone(b.notes.length, b.share, b.dots);
      const [big, small] = fitFont(
        [b.label, summary],
        { widthIn: boxW, heightIn: boxH, marginIn: 0.05 },
        { maxPt: 16, minPt: 7, bold: true, smallerBy: 4 },
      );
      slide.addText(
        [
          { text: b.label, options: { bold: true, fontSize: big, breakLine: true } },
          { text: summary, options: { fontSize: small } },
        ],
        {
          shape: 'roundRect',
          rectRadius: 0.08,
          x: cx - boxW / 2,
          y: boxY,
          w: boxW,
          h: boxH,
          fill: { color: b.heaviest ? ACCENT : BRAND },
          line: { color: b.heaviest ? ACCENT : BRAND },
          color: 'FFFFFF',
          fontFace: FONT,
          align: 'center',
          valign: 'middle',
          margin: 0.05,
        },
      );
    });
  });
  slide.addText(o.revealed ? x.fishbone.key : x.fishbone.keyBefore, {
    x: M,
    y: 6.75,
    w: CONTENT_W,
    h: 0.3,
    fontFace: FONT,
    fontSize: 12,
    color: SOFT,
  });
}

function boneSlides(pptx: PptxGenJS, o: Outcome) {
  for (const b of o.bones) {
    const intro = x.bone.summary(b.notes.length, b.share, b.dots);
    if (!b.notes.length) {
      message(pptx, b.label, `${intro}. ${x.bone.none}`);
      continue;
    }
    const subs = b.notes.some((n) => n.sub);
    const fixed = (o.revealed ? 0.9 + 1.0 : 0) + (subs ? 2.4 : 0);
    const columns: Column[] = [
      ...(o.revealed ? [{ title: words.ranking.rank, w: 0.9, align: 'right' as const }] : []),
      { title: words.ranking.note, w: CONTENT_W - fixed },
      ...(subs ? [{ title: x.bone.sub, w: 2.4 }] : []),
      ...(o.revealed ? [{ title: words.ranking.dots, w: 1.0, align: 'right' as const }] : []),
    ];
    const texts = b.notes.map((n) => [
      ...(o.revealed ? [n.rank ?? ''] : []),
      n.text + (n.raisedBy > 1 ? x.bone.raisedBy(n.raisedBy) : ''),
      ...(subs ? [n.sub ?? ''] : []),
      ...(o.revealed ? [String(n.dots ?? 0)] : []),
    ]);
    const rows = b.notes.map<Cell[]>((n) => [
      ...(o.revealed ? [{ text: n.rank ?? '', options: { align: 'right' as const } }] : []),
      {
        text: [{ text: n.text, options: {} }, ...(n.raisedBy > 1 ? [{ text: x.bone.raisedBy(n.raisedBy), options: { color: SOFT } }] : [])],
      },
      ...(subs ? [{ text: n.sub ?? '', options: { color: SOFT } }] : []),
      ...(o.revealed ? [{ text: String(n.dots ?? 0), options: { bold: true, align: 'right' as const } }] : []),
    ]);
    addTable(pptx, b.label, columns, rows, texts, { intro });
  }
}

/** Each round's ranking (the top of it: a deck is no place for 300 rows; the report has them all). */
function rankingSlides(pptx: PptxGenJS, o: Outcome) {
  if (!o.rounds.length) return message(pptx, words.ranking.heading, x.ranking.notRevealed);
  const columns: Column[] = [
    { title: words.ranking.rank, w: 0.9, align: 'right' },
    { title: words.ranking.note, w: CONTENT_W - 0.9 - 2.6 - 0.9 - 1.5 },
    { title: words.ranking.bone, w: 2.6 },
    { title: words.ranking.dots, w: 0.9, align: 'right' },
    { title: words.ranking.supporters, w: 1.5, align: 'right' },
  ];
  for (const round of o.rounds) {
    if (!round.rows.length) {
      message(pptx, round.title, words.ranking.none);
      continue;
    }
    // The top N at least; up to 10 while they fit on the one slide.
    const all = round.rows.map((r) => [r.rank, r.text, r.bone, String(r.dots), r.backedBy]);
    const m = measureTable(columns, all.slice(0, 10), { intro: round.summary, after: words.ranking.explain });
    let count = 0;
    for (let used = 0; count < Math.min(10, all.length); count++) {
      if (count >= o.topN && used + m.heights[count] > m.first) break;
      used += m.heights[count];
    }
    const shown = round.rows.slice(0, count);
    const texts = all.slice(0, count);
    const rows = shown.map<Cell[]>((r) => [
      { text: r.rank, options: { align: 'right', bold: true, color: BRAND } },
      { text: r.text },
      { text: r.bone, options: { color: SOFT } },
      { text: String(r.dots), options: { align: 'right', bold: true } },
      { text: r.backedBy, options: { align: 'right' } },
    ]);
    const after = [x.ranking.topOf(shown.length, round.rows.length), words.ranking.explain].filter(Boolean).join(' ');
    addTable(pptx, round.title, columns, rows, texts, { intro: round.summary, after });
  }
}

function tagSlides(pptx: PptxGenJS, o: Outcome) {
  const title = words.tags.heading;
  const marked = o.tags.flatMap((g) => g.rows.map((r) => ({ label: g.label, colour: TAG_COLOURS[g.tag], r })));
  const rows = [...marked, ...o.untagged.map((r) => ({ label: x.tags.notMarked, colour: SOFT, r }))];
  if (!marked.length && !rows.length) return message(pptx, title, `${words.tags.quote}\n${words.tags.none}`);
  const columns: Column[] = [
    { title: x.tags.tag, w: 2.8 },
    { title: x.tags.rank, w: 0.9, align: 'right' },
    { title: x.tags.note, w: CONTENT_W - 2.8 - 0.9 },
  ];
  addTable(
    pptx,
    title,
    columns,
    rows.map((t) => [
      { text: t.label, options: { bold: true, color: t.colour } },
      { text: t.r.rank, options: { align: 'right' } },
      { text: t.r.text },
    ]),
    rows.map((t) => [t.label, t.r.rank, t.r.text]),
    { intro: words.tags.quote, after: marked.length ? '' : words.tags.none },
  );
}

/** The phones' "within our control?" answers, once shown: counts per top barrier. */
function answerSlides(pptx: PptxGenJS, o: Outcome) {
  if (!o.answers) return;
  const t = words.answers;
  const countW = 1.9;
  const columns: Column[] = [
    { title: t.rank, w: 0.9, align: 'right' },
    { title: t.note, w: CONTENT_W - 0.9 - 3 * countW },
    ...CONTROL_TAGS.map((tag): Column => ({ title: words.tags.names[tag], w: countW, align: 'right' })),
  ];
  addTable(
    pptx,
    t.heading,
    columns,
    o.answers.rows.map((r) => [
      { text: r.rank, options: { align: 'right', bold: true, color: BRAND } },
      { text: r.text },
      ...CONTROL_TAGS.map((tag) => ({
        text: String(r.counts[tag]),
        options: { align: 'right' as const, bold: true, color: TAG_COLOURS[tag] },
      })),
    ]),
    o.answers.rows.map((r) => [r.rank, r.text, ...CONTROL_TAGS.map((tag) => String(r.counts[tag]))]),
    { intro: t.intro(o.answers.answered) },
  );
}

function actionSlides(pptx: PptxGenJS, o: Outcome) {
  const t = words.actions;
  if (!o.actions.length) return message(pptx, t.heading, t.none);
  const columns: Column[] = [
    { title: t.number, w: 0.7, align: 'right' },
    { title: t.what, w: 4.3 },
    { title: t.who, w: 2.3 },
    { title: t.when, w: 1.8 },
    { title: t.barrier, w: CONTENT_W - 0.7 - 4.3 - 2.3 - 1.8 },
  ];
  addTable(
    pptx,
    t.heading,
    columns,
    o.actions.map((a) => [
      { text: String(a.n), options: { align: 'right' } },
      { text: a.what, options: { bold: true } },
      { text: a.who },
      { text: a.when },
      { text: a.barrier, options: { color: SOFT } },
    ]),
    o.actions.map((a) => [String(a.n), a.what, a.who, a.when, a.barrier]),
  );
}

/** A workshop of a partnership: what moved since last time, the barriers then and now, last time's actions, the room's view. */
function sinceSlides(pptx: PptxGenJS, o: Outcome) {
  const s = o.since;
  if (!s) return;
  const t = sinceWriteup;
  const moved = s.boneLines.length ? s.boneLines.map((l) => l.line) : [o.revealed ? t.noEarlierResults : t.notRevealed];
  contentSlide(pptx, t.heading).addText(
    [s.lastLine, ...moved].map((text, i) => ({ text, options: { bold: i === 0, bullet: i > 0, breakLine: true } })),
    { x: M, y: TOP, w: CONTENT_W, h: BOTTOM - TOP, fontFace: FONT, fontSize: 18, color: INK, valign: 'top', paraSpaceAfter: 6 },
  );
  if (s.barriers) {
    const b = s.barriers;
    const texts = [
      ...b.persist.map((p) => [sinceWords.persist, t.rankText(p.then.rank, p.then.text), t.rankText(p.now.rank, p.now.text)]),
      ...b.gone.map((g) => [
        sinceWords.gone,
        t.rankText(g.then.rank, g.then.text),
        g.now ? sinceWords.nowRanked(g.now.rank) : sinceWords.notRaised,
      ]),
      ...b.fresh.map((f) => [sinceWords.fresh, '', t.rankText(f.rank, f.text)]),
    ];
    const columns: Column[] = [
      { title: t.change, w: 2.6 },
      { title: t.then, w: (CONTENT_W - 2.6) / 2 },
      { title: t.now, w: (CONTENT_W - 2.6) / 2 },
    ];
    addTable(
      pptx,
      t.barriersHeading,
      columns,
      texts.map((r) => [{ text: r[0], options: { bold: true, color: BRAND } }, { text: r[1] }, { text: r[2] }]),
      texts,
    );
  }
  if (s.actions.length) {
    const columns: Column[] = [
      { title: t.action, w: CONTENT_W - 2.4 - 1.6 - 2.4 - 1.4 },
      { title: t.who, w: 2.4 },
      { title: t.when, w: 1.6 },
      { title: t.became, w: 2.4 },
      { title: t.carriedOn, w: 1.4 },
    ];
    const texts = s.actions.map((a) => [a.what, a.who, a.when, a.statusText, a.carried ? t.yes : '']);
    addTable(
      pptx,
      t.actionsHeading,
      columns,
      texts.map((r) => r.map((text, i) => ({ text, options: { bold: i === 0 || i === 3 } }))),
      texts,
    );
  }
  if (!s.ratings) return message(pptx, t.ratingsHeading, t.notShown);
  const columns: Column[] = [
    { title: t.barrier, w: CONTENT_W - 3 * 1.5 },
    { title: t.better, w: 1.5, align: 'right' },
    { title: t.same, w: 1.5, align: 'right' },
    { title: t.worse, w: 1.5, align: 'right' },
  ];
  const texts = s.ratings.rows.map((r) => [
    r.text,
    ...(r.counts ? [r.counts.better, r.counts.same, r.counts.worse].map(String) : [t.tooFew, t.tooFew, t.tooFew]),
  ]);
  addTable(
    pptx,
    t.ratingsHeading,
    columns,
    texts.map((r) => r.map((text, i) => ({ text, options: i ? { align: 'right' as const, bold: true } : {} }))),
    texts,
    { after: t.answered(s.ratings.answered) },
  );
}

export async function slidesPptx(o: Outcome): Promise<Buffer> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  // The file's own metadata names the product, never a person.
  pptx.author = x.app;
  pptx.company = x.app;
  pptx.title = o.title;
  pptx.subject = x.deckSubject;
  pptx.theme = { headFontFace: FONT, bodyFontFace: FONT };
  const footer = { x: M, y: 7.0, w: 9, h: 0.35, fontFace: FONT, fontSize: 10, color: SOFT };
  pptx.defineSlideMaster({
    title: 'TITLE',
    background: { color: 'FFFFFF' },
    objects: [
      { rect: { x: 0, y: 0, w: W, h: 0.18, fill: { color: BRAND } } },
      {
        text: {
          text: `${x.app} · ${x.kicker}`,
          options: { x: M, y: 1.0, w: CONTENT_W, h: 0.45, fontFace: FONT, fontSize: 16, color: SOFT },
        },
      },
      {
        placeholder: {
          options: {
            name: 'title',
            type: 'title',
            x: M,
            y: 1.5,
            w: CONTENT_W,
            h: 1.9,
            fontFace: FONT,
            fontSize: 40,
            bold: true,
            color: BRAND,
            align: 'left',
            valign: 'bottom',
          },
          text: '',
        },
      },
    ],
  });
  pptx.defineSlideMaster({
    title: 'CONTENT',
    background: { color: 'FFFFFF' },
    objects: [
      { rect: { x: 0, y: 0, w: W, h: 0.12, fill: { color: BRAND } } },
      {
        placeholder: {
          options: {
            name: 'title',
            type: 'title',
            x: M,
            y: 0.3,
            w: CONTENT_W,
            h: 0.75,
            fontFace: FONT,
            fontSize: 28,
            bold: true,
            color: BRAND,
            align: 'left',
            valign: 'middle',
          },
          text: '',
        },
      },
      { text: { text: `${x.app} · ${o.title}`, options: footer } },
    ],
    slideNumber: { x: W - M - 1, y: 7.0, w: 1, h: 0.35, fontFace: FONT, fontSize: 10, color: SOFT, align: 'right' },
  });

  titleSlide(pptx, o);
  sinceSlides(pptx, o);
  fishboneSlide(pptx, o);
  boneSlides(pptx, o);
  rankingSlides(pptx, o);
  tagSlides(pptx, o);
  answerSlides(pptx, o);
  actionSlides(pptx, o);
  // 'STREAM' is a Node buffer too; pptxgenjs compresses only this way ('nodebuffer' ignores it).
  return (await pptx.write({ outputType: 'STREAM', compression: true })) as Buffer;
}
