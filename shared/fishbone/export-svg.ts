import type { Note, Tally } from '../doc.ts';
import { board as words } from '../messages/board.ts';
import { boneWeights } from '../ranking.ts';
import { own } from '../safe-keys.ts';
import type { Bone } from '../templates/index.ts';
import { layoutBonePicture, layoutExportFishbone, type ExportBone, type ExportLayout, type ExportLayoutOptions } from './export-layout.ts';
import type { LayoutNote, NoteBox } from './types.ts';
import { ribStyle } from './weight-style.ts';

/**
 * The fishbone with every word, as a standalone SVG document: the SVG and PNG exports and the
 * printable report's picture. A pure function of the board, so the server, a worker and the
 * report page draw the same picture. Note text is untrusted: every string is XML-escaped, and
 * the file holds no script, link or outside reference.
 */

export interface PictureBoard {
  title: string;
  head: string;
  bones: Bone[];
  notes: Note[];
  /** The revealed tally, or null before the reveal (no weights, no dots). */
  tally: Tally | null;
}

const t = words.fishbone;

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const n = (x: number) => Math.round(x * 10) / 10;

const STYLE = `
  text { font-family: 'DejaVu Sans', Verdana, 'Helvetica Neue', Arial, sans-serif; }
  .brand { fill: #12355b; } .accent { fill: #0b6e4f; } .white { fill: #fff; font-weight: 700; }
  .badge { fill: #e4ecf4; font-weight: 600; } .shelf { fill: #33404d; font-weight: 700; }
  .paper { fill: #fff59d; stroke: #cdbd3c; stroke-width: 1; } .shadow { fill: rgba(0,0,0,0.14); }
  .band { fill: #e9f0f7; } .ink { fill: #2b2600; } .dots { fill: #a4161a; }
  .more { fill: #fff; stroke: #12355b; stroke-width: 1.5; stroke-dasharray: 5 4; } .more-ink { fill: #12355b; font-style: italic; }
`;

function note(b: NoteBox): string {
  const s = b.font * 0.8;
  const lines = b.lines
    .filter((line) => line)
    .map((line, i) => `<tspan x="${n(b.padX)}" y="${n(b.padY + b.font * 0.95 + i * b.lineHeight)}">${esc(line)}</tspan>`)
    .join('');
  let out = `<g transform="translate(${n(b.x)} ${n(b.y)})"><rect class="shadow" x="2" y="3" width="${n(b.w)}" height="${n(b.h)}" rx="3"/>`;
  out += `<rect class="paper" width="${n(b.w)}" height="${n(b.h)}" rx="3"/><text class="ink" font-size="${n(b.font)}">${lines}</text>`;
  if (b.raised) {
    out += `<rect class="brand" x="${n(b.w - b.raisedW - 3)}" y="3" width="${n(b.raisedW)}" height="${n(s * 1.45)}" rx="${n(s * 0.7)}"/>`;
    out += `<text class="white" x="${n(b.w - b.raisedW / 2 - 3)}" y="${n(3 + s * 1.08)}" font-size="${n(s)}" text-anchor="middle">${esc(b.raised)}</text>`;
  }
  if (b.dots) {
    out += `<rect class="dots" x="${n(b.w - b.dotsW - 3)}" y="${n(b.h - s * 1.45 - 3)}" width="${n(b.dotsW)}" height="${n(s * 1.45)}" rx="${n(s * 0.7)}"/>`;
    out += `<text class="white" x="${n(b.w - b.dotsW / 2 - 3)}" y="${n(b.h - 3 - s * 0.37)}" font-size="${n(s)}" text-anchor="middle">${esc(b.dots)}</text>`;
  }
  return `${out}</g>`;
}

/** The words for the notes a bounded picture left out, in a dashed box where the next note would be. */
function moreBox(b: NoteBox): string {
  const lines = b.lines
    .filter((line) => line)
    .map((line, i) => `<tspan x="${n(b.padX)}" y="${n(b.padY + b.font * 0.95 + i * b.lineHeight)}">${esc(line)}</tspan>`)
    .join('');
  return `<g transform="translate(${n(b.x)} ${n(b.y)})"><rect class="more" width="${n(b.w)}" height="${n(b.h)}" rx="3"/><text class="more-ink" font-size="${n(b.font)}">${lines}</text></g>`;
}

/** A bone: its rib (weighted by its share of the dots), branches, label box and notes. */
function drawBone(bone: ExportBone, share: Map<string, number> | null, ribStroke: number, badgeFont: number): string[] {
  const maxShare = Math.max(0, ...(share?.values() ?? []));
  const rs = ribStyle(share ? (share.get(bone.id) ?? 0) : null, maxShare, ribStroke);
  const parts = [
    `<line x1="${n(bone.rib.x1)}" y1="${n(bone.rib.y1)}" x2="${n(bone.rib.x2)}" y2="${n(bone.rib.y2)}" stroke="${rs.stroke}" stroke-width="${n(rs.width)}" stroke-linecap="round"/>`,
  ];
  for (const sh of bone.shelves) {
    parts.push(
      `<line x1="${n(sh.x1)}" y1="${n(sh.y)}" x2="${n(sh.x2)}" y2="${n(sh.y)}" stroke="${rs.stroke}" stroke-width="${n(Math.max(2, ribStroke * 0.6))}"/>`,
    );
    const tspans = sh.lines
      .map(
        (line, i) =>
          `<tspan x="${n(sh.x1)}" y="${n(sh.y - sh.font * 0.35 - (sh.lines.length - 1 - i) * sh.lineHeight)}">${esc(line)}</tspan>`,
      )
      .join('');
    parts.push(`<text class="shelf" font-size="${n(sh.font)}">${tspans}</text>`);
  }
  const heaviest = share && maxShare > 0 && share.get(bone.id) === maxShare;
  const bx = bone.box;
  parts.push(
    `<rect class="${heaviest ? 'accent' : 'brand'}" x="${n(bx.x)}" y="${n(bx.y)}" width="${n(bx.w)}" height="${n(bx.h)}" rx="6"/>`,
  );
  const cx = n(bx.x + bx.w / 2);
  const first = bx.y + bone.font * 0.4 + bone.font * 0.95;
  const label = bone.lines.map((line, i) => `<tspan x="${cx}" y="${n(first + i * bone.lineHeight)}">${esc(line)}</tspan>`).join('');
  parts.push(`<text class="white" font-size="${n(bone.font)}" text-anchor="middle">${label}</text>`);
  if (bone.badge) {
    const y = first + (bone.lines.length - 1) * bone.lineHeight + badgeFont * 1.35;
    parts.push(`<text class="badge" x="${cx}" y="${n(y)}" font-size="${n(badgeFont)}" text-anchor="middle">${esc(bone.badge)}</text>`);
  }
  for (const b of bone.notes) parts.push(note(b));
  if (bone.more) parts.push(moreBox(bone.more));
  return parts;
}

function draw(layout: ExportLayout, share: Map<string, number> | null): string {
  const parts: string[] = [`<rect width="100%" height="100%" fill="#fff"/>`];
  for (const bone of layout.bones) parts.push(`<path class="band" d="${bone.band}"/>`);
  parts.push(`<path class="brand" d="${layout.tail}"/>`);
  parts.push(
    `<line x1="${n(layout.spine.x1)}" y1="${n(layout.spine.y)}" x2="${n(layout.spine.x2)}" y2="${n(layout.spine.y)}" stroke="#12355b" stroke-width="${n(layout.spine.stroke)}" stroke-linecap="round"/>`,
  );
  for (const bone of layout.bones) parts.push(...drawBone(bone, share, layout.ribStroke, layout.fonts.badge));
  const h = layout.head;
  parts.push(`<path class="brand" d="${h.path}"/>`);
  const tspans = h.lines
    .map(
      (line, i) =>
        `<tspan x="${n(h.x + h.w * 0.42)}" y="${n(h.y + h.h / 2 + (i - (h.lines.length - 1) / 2) * h.lineHeight + h.font * 0.35)}">${esc(line)}</tspan>`,
    )
    .join('');
  parts.push(`<text class="white" font-size="${n(h.font)}" text-anchor="middle">${tspans}</text>`);
  return parts.join('\n');
}

const svgDocument = (width: number, height: number, label: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}">
<title>${esc(label)}</title>
<style>${STYLE}</style>
${body}
</svg>
`;

const shareOf = (b: PictureBoard) =>
  b.tally
    ? new Map(
        boneWeights(
          b.bones.map((x) => x.id),
          b.tally,
        ).map((x) => [x.boneId, x.share]),
      )
    : null;

const dotsOf = (b: PictureBoard, id: string) => (b.tally ? (own(b.tally.notes, id)?.dots ?? 0) : 0);

/** The notes as the layouts take them: most dots first after the reveal. */
const layoutNotes = (b: PictureBoard): LayoutNote[] =>
  (b.tally ? [...b.notes].sort((x, y) => dotsOf(b, y.id) - dotsOf(b, x.id)) : b.notes).map((x) => ({
    id: x.id,
    boneId: x.boneId,
    subBoneId: x.subBoneId,
    text: x.text,
    raisedBy: x.raisedBy,
    dots: b.tally ? dotsOf(b, x.id) || null : null,
  }));

/**
 * The notes a bounded picture draws first: most dots, then most people behind them, then the
 * board's order. A picture's cost (and a PNG's, above all) grows with the letters it draws.
 */
function byPriority(b: PictureBoard, notes: Note[]): Note[] {
  const order = new Map(notes.map((x, i) => [x.id, i]));
  return [...notes].sort((x, y) => dotsOf(b, y.id) - dotsOf(b, x.id) || y.raisedBy - x.raisedBy || order.get(x.id)! - order.get(y.id)!);
}

/** What is left of the board within `maxLetters` of note text, and the words for the rest per bone. */
function withinLetters(b: PictureBoard, maxLetters: number): { board: PictureBoard; more: Record<string, string> } {
  let letters = 0;
  const kept = new Set<string>();
  for (const x of byPriority(b, b.notes)) {
    letters += x.text.length;
    if (letters > maxLetters && kept.size > 0) break;
    kept.add(x.id);
  }
  if (kept.size === b.notes.length) return { board: b, more: {} };
  const left = new Map<string, number>();
  for (const x of b.notes) if (!kept.has(x.id)) left.set(x.boneId, (left.get(x.boneId) ?? 0) + 1);
  return {
    board: { ...b, notes: b.notes.filter((x) => kept.has(x.id)) },
    more: Object.fromEntries([...left].map(([bone, count]) => [bone, t.moreNotes(count)])),
  };
}

const badgeOf = (share: Map<string, number> | null, boneId: string) => (share?.has(boneId) ? t.weightBadge(share.get(boneId)!) : '');
const WORDS = { more: t.more, raised: t.raised, dots: t.dots };

/**
 * The whole fishbone: every note, or with `maxLetters` the notes with most dots up to that much
 * text, the rest counted under their bones (the weights stay those of the whole board).
 */
export function fishbonePicture(b: PictureBoard, opts: ExportLayoutOptions & { maxLetters?: number }): string {
  const share = shareOf(b);
  const { board: shown, more } = opts.maxLetters ? withinLetters(b, opts.maxLetters) : { board: b, more: {} };
  const layout = layoutExportFishbone(
    {
      head: b.head,
      bones: b.bones,
      notes: layoutNotes(shown),
      badges: Object.fromEntries(b.bones.map((x) => [x.id, badgeOf(share, x.id)])),
      more,
    },
    { words: WORDS, ...opts },
  );
  return svgDocument(layout.width, layout.height, `${b.title}: ${b.head}`, draw(layout, share));
}

/**
 * One bone and its notes, as a picture of its own (for pages: the printable and Word reports).
 * With `maxHeight`, the notes with most dots that fit (at least one), the rest counted at the foot.
 */
export function bonePicture(b: PictureBoard, boneId: string, width: number, maxHeight = Infinity): string {
  const share = shareOf(b);
  const bone = b.bones.find((x) => x.id === boneId);
  if (!bone) throw new Error(`no bone ${boneId}`);
  const mine = byPriority(
    b,
    b.notes.filter((x) => x.boneId === boneId),
  );
  const layoutOf = (k: number) =>
    layoutBonePicture(
      {
        bone,
        notes: layoutNotes({ ...b, notes: mine.slice(0, k) }),
        badge: badgeOf(share, bone.id),
        more: k < mine.length ? t.moreNotes(mine.length - k) : null,
      },
      { width, words: WORDS },
    );
  let l = layoutOf(mine.length);
  if (l.height > maxHeight && mine.length > 1) {
    // The most notes that fit: a picture's height grows with its notes.
    let lo = 1;
    let hi = mine.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (layoutOf(mid).height <= maxHeight) lo = mid;
      else hi = mid - 1;
    }
    l = layoutOf(lo);
  }
  const body = [
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<path class="band" d="${l.bone.band}"/>`,
    ...drawBone(l.bone, share, 3, 14),
  ];
  return svgDocument(l.width, l.height, `${b.title}: ${bone.label}`, body.join('\n'));
}

/** A picture for a page, with what it shows in words (its alternative text). */
export interface PagePicture {
  /** "overview", or the bone's id. */
  id: string;
  svg: string;
  width: number;
  height: number;
  alt: string;
}

/**
 * The printable report's pictures (the page and the Word report): on A4 a whole fishbone would
 * shrink its words, so the bones and their weights come first, then each bone with its notes in
 * a picture of its own, 800 wide so its words print at about 9 pt. The notes are those that got
 * dots, or all of them when none did.
 */
export const REPORT_PICTURE_WIDTH = 800;
/** A bone's picture is at most a page tall (the Word report draws 800 units to 6.3 inches). */
export const REPORT_PICTURE_MAX_HEIGHT = 1150;

export function reportPictures(b: PictureBoard): { overview: PagePicture; bones: PagePicture[]; dottedOnly: boolean } {
  const dotted = b.tally ? b.notes.filter((n) => dotsOf(b, n.id) > 0) : [];
  const shown = dotted.length ? { ...b, notes: dotted } : b;
  const share = shareOf(b);
  const page = (id: string, svg: string, alt: string): PagePicture => ({ id, svg, ...svgSize(svg), alt });
  return {
    overview: page('overview', fishbonePicture({ ...b, notes: [] }, { width: REPORT_PICTURE_WIDTH }), pictureSummary(b)),
    bones: b.bones
      .filter((bone) => shown.notes.some((x) => x.boneId === bone.id))
      .map((bone) =>
        page(
          bone.id,
          bonePicture(shown, bone.id, REPORT_PICTURE_WIDTH, REPORT_PICTURE_MAX_HEIGHT),
          t.boneAlt(bone.label, badgeOf(share, bone.id), shown.notes.filter((x) => x.boneId === bone.id).length),
        ),
      ),
    dottedOnly: dotted.length > 0,
  };
}

export const svgSize = (svg: string) => ({
  width: Number(/width="(\d+)"/.exec(svg)?.[1] ?? 0),
  height: Number(/height="(\d+)"/.exec(svg)?.[1] ?? 0),
});

/** What the whole fishbone shows, in words. */
export function pictureSummary(b: PictureBoard): string {
  const share = shareOf(b);
  const max = Math.max(0, ...(share?.values() ?? []));
  const heaviest = b.bones.filter((x) => max > 0 && share?.get(x.id) === max).map((x) => x.label);
  return (
    t.summary(b.head, b.bones.length, b.notes.length) + (heaviest.length ? t.summaryHeaviest(heaviest.join(words.weights.and), max) : '')
  );
}
