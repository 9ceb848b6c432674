import { approxMeasure, type Measure } from './text.ts';
import { fishHead, type Box, type HeadShape, type LayoutBone, type LayoutNote, type LayoutWords, type NoteBox } from './types.ts';

/**
 * The fishbone for files and paper (SVG, PNG, the printable report), where nothing may be cut:
 * every note shows its whole text at one readable size, wrapped between words only (a word is
 * never split, hyphenated or cut with an ellipsis); the drawing grows taller, and wider when
 * asked, instead. Kept apart from the live layout (layout.ts), which fits a fixed screen.
 *
 * Bones alternate above and below the spine, the head at the right. Each bone owns a strip:
 * its notes sit in a block left of its rib, in rows (sub-bones under their own branch), and
 * the rib leans towards the head, so the block never touches it.
 */

export interface ExportLayoutInput {
  head: string;
  bones: LayoutBone[];
  /** In display order within each bone (most dots first after the reveal). */
  notes: LayoutNote[];
  /** A second line under a bone's label, e.g. "38% of dots". */
  badges?: Record<string, string>;
  /** Per bone, words for the notes a bounded picture left out ("+12 more notes…"), drawn last. */
  more?: Record<string, string>;
}

export interface ExportLayoutOptions {
  /** Width in user units (a PNG pixel each); the drawing is at least this wide. */
  width: number;
  /** Widen the drawing (up to maxWidth) while it is taller than `aspect` × its width. */
  grow?: { aspect: number; maxWidth: number } | null;
  measure?: Measure;
  words?: LayoutWords;
}

export interface ExportShelf {
  id: string;
  x1: number;
  x2: number;
  /** The branch line's height; its label's lines sit above it. */
  y: number;
  lines: string[];
  font: number;
  lineHeight: number;
}

export interface ExportBone {
  id: string;
  side: 'top' | 'bottom';
  lines: string[];
  font: number;
  lineHeight: number;
  badge: string | null;
  box: Box;
  rib: { x1: number; y1: number; x2: number; y2: number };
  band: string;
  shelves: ExportShelf[];
  notes: NoteBox[];
  /** The box saying how many notes were left out, after the last note. */
  more: NoteBox | null;
}

export interface ExportLayout {
  width: number;
  height: number;
  spine: { x1: number; x2: number; y: number; stroke: number };
  tail: string;
  head: HeadShape;
  bones: ExportBone[];
  fonts: { label: number; badge: number; sub: number; note: number };
  ribStroke: number;
}

const S = {
  note: 15,
  label: 18,
  badge: 14,
  sub: 15,
  head: 22,
  gap: 10,
  margin: 18,
  /** Notes are at least this wide (about 25 characters a line) and at most maxNoteW. */
  noteW: 220,
  maxNoteW: 300,
  rib: 3,
  spine: 8,
  /** Clear lane between a strip's notes and the rib at its left. */
  clear: 24,
  /** How far a rib leans towards the head between its label and the spine. */
  slant: 60,
};
const LINE = 1.25;
const PAD_Y = 0.45;
const PAD_X = 0.55;

const DEFAULT_WORDS: LayoutWords = { more: (n) => `+${n} more`, raised: (n) => `×${n}`, dots: (n) => `${n}` };

/**
 * Text widths for DejaVu Sans (what the PNG is drawn with, and one of the widest common sans
 * fonts): the font-free estimate runs up to 12% narrow for regular text and 16% for bold, so
 * it is widened to err on the wide side (tests/unit/export-layout.test.ts checks it against
 * the real font).
 */
export const exportMeasure: Measure = (text, size, bold = false) => approxMeasure(text, size, bold) * (bold ? 1.2 : 1.15);

/**
 * Greedy wrap between words only; line i may be `widthOf(i)` wide. A word wider than its line
 * gets a line to itself and stays whole: callers make lines wide enough for the longest word.
 */
export function wrapWords(text: string, widthOf: (line: number) => number, size: number, measure: Measure, bold = false): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const candidate = cur ? `${cur} ${word}` : word;
    if (!cur || measure(candidate, size, bold) <= widthOf(lines.length)) cur = candidate;
    else {
      lines.push(cur);
      cur = word;
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

const longestWord = (text: string, size: number, measure: Measure, bold = false) =>
  Math.max(0, ...text.split(/\s+/).map((w) => measure(w, size, bold)));

/** One note's look at a given width: its lines, and its height. */
interface Sized {
  lines: string[];
  h: number;
}

/** A note and what its box needs: the corner pills take room from the first and last lines. */
class NoteSizer {
  readonly font = S.note;
  readonly padX = S.note * PAD_X;
  readonly padY = S.note * PAD_Y;
  readonly lineHeight = S.note * LINE;
  readonly raised: string | null;
  readonly raisedW: number;
  readonly dots: string | null;
  readonly dotsW: number;
  /** The narrowest box that keeps every word whole beside either pill. */
  readonly minW: number;
  private cache = new Map<number, Sized>();

  constructor(
    readonly note: LayoutNote,
    private measure: Measure,
    words: LayoutWords,
    /** Not a note: the words for the notes a bounded picture left out. */
    readonly isMore = false,
  ) {
    const small = this.font * 0.8;
    this.raised = note.raisedBy > 1 ? words.raised(note.raisedBy) : null;
    this.raisedW = this.raised ? measure(this.raised, small, true) + small * 1.2 : 0;
    this.dots = note.dots != null ? words.dots(note.dots) : null;
    this.dotsW = this.dots ? measure(this.dots, small, true) + small * 1.8 : 0;
    this.minW = Math.ceil(longestWord(note.text, this.font, measure) + Math.max(this.raisedW, this.dotsW) + this.padX * 2 + 1);
  }

  at(w: number): Sized {
    // Wrapped at the whole units below the box's width, so the lines never run over it.
    const key = Math.floor(w);
    let s = this.cache.get(key);
    if (!s) {
      const inner = key - this.padX * 2;
      const lines = wrapWords(this.note.text, (i) => (i === 0 ? inner - this.raisedW : inner), this.font, this.measure);
      // The dots pill sits at the bottom right: give it a line of its own when the last line is full.
      const last = lines[lines.length - 1] ?? '';
      if (this.dots && (lines.length === 1 && this.raised ? this.raisedW : 0) + this.measure(last, this.font) > inner - this.dotsW)
        lines.push('');
      // Both pills need two lines' height.
      if (this.raised && this.dots && lines.length < 2) lines.push('');
      s = { lines, h: Math.ceil(lines.length * this.lineHeight + this.padY * 2) };
      this.cache.set(key, s);
    }
    return s;
  }
}

interface Group {
  sub: { id: string; label: string } | null;
  notes: NoteSizer[];
}

/** Where each note and branch of one bone goes, relative to the top left of its block. */
interface Packed {
  h: number;
  shelves: Array<{ id: string; y: number; lines: string[] }>;
  notes: Array<{ n: NoteSizer; x: number; y: number; w: number; h: number }>;
}

const subLineH = S.sub * LINE;

/**
 * A bone's notes, grouped under its sub-bones (notes on the bone itself first); the words for
 * notes left out, if any, after the last of them.
 */
function groupNotes(bone: LayoutBone, notes: LayoutNote[], measure: Measure, words: LayoutWords, more?: string | null): Group[] {
  const subIds = new Set(bone.subBones.map((s) => s.id));
  const mine = notes.filter((n) => n.boneId === bone.id).map((n) => new NoteSizer(n, measure, words));
  const general = mine.filter((n) => !n.note.subBoneId || !subIds.has(n.note.subBoneId));
  const subs = bone.subBones.map((s) => ({ sub: s, notes: mine.filter((n) => n.note.subBoneId === s.id) }));
  const groups = general.length || !subs.length ? [{ sub: null, notes: general }, ...subs] : subs;
  if (more) {
    const last = [...groups].reverse().find((g) => g.notes.length) ?? groups[0];
    last.notes.push(
      new NoteSizer({ id: `more-${bone.id}`, boneId: bone.id, subBoneId: null, text: more, raisedBy: 1, dots: null }, measure, words, true),
    );
  }
  return groups;
}

/**
 * Lay a bone's notes into a block `width` wide: columns of equal notes, each note going to the
 * shortest column (the one nearest the rib on a tie), so tall and short notes pack without gaps.
 * A note with a word too long for a column spans as many columns as it needs.
 */
function pack(groups: Group[], width: number, measure: Measure): Packed {
  const gap = S.gap;
  const cols = Math.max(1, Math.floor((width + gap) / (S.noteW + gap)));
  const colW = Math.min(S.maxNoteW, (width - (cols - 1) * gap) / cols);
  // Column 0 is nearest the rib, at the block's right.
  const colX = (c: number) => width - (c + 1) * colW - c * gap;
  const out: Packed = { h: 0, shelves: [], notes: [] };
  let y = 0;
  for (const g of groups) {
    if (g.sub) {
      const lines = wrapWords(g.sub.label, () => width, S.sub, measure, true);
      y += lines.length * subLineH + gap * 0.5;
      out.shelves.push({ id: g.sub.id, y, lines });
      y += gap;
    }
    const heights = Array<number>(cols).fill(y);
    for (const n of g.notes) {
      // A note with a long word spans as many neighbouring columns as it needs, where they end highest.
      const span = Math.min(cols, Math.ceil((n.minW + gap) / (colW + gap)));
      const w = Math.min(width, Math.max(span * colW + (span - 1) * gap, n.minW));
      let c = 0;
      let top = Infinity;
      for (let k = 0; k + span <= cols; k++) {
        const t = Math.max(...heights.slice(k, k + span));
        if (t < top - 0.5) [c, top] = [k, t];
      }
      const h = n.at(w).h;
      out.notes.push({ n, x: colX(c) + colW - w, y: top, w, h });
      heights.fill(top + h + gap, c, c + span);
    }
    y = Math.max(...heights);
  }
  out.h = Math.max(0, y - gap);
  return out;
}

export function layoutExportFishbone(input: ExportLayoutInput, opts: ExportLayoutOptions): ExportLayout {
  const measure = opts.measure ?? exportMeasure;
  const words = opts.words ?? DEFAULT_WORDS;
  const { gap, margin: M, slant, clear } = S;
  const badges = input.badges ?? {};
  const anyBadge = input.bones.some((b) => badges[b.id]);

  const groupsOf = new Map<string, Group[]>();
  for (const bone of input.bones) groupsOf.set(bone.id, groupNotes(bone, input.notes, measure, words, input.more?.[bone.id]));

  const top = input.bones.filter((_, i) => i % 2 === 0);
  const bottom = input.bones.filter((_, i) => i % 2 === 1);

  // The head: the effect, wrapped whole in a fish-head shape at the right.
  const headWordW = longestWord(input.head, S.head, measure, true);
  const headW = Math.max(170, (headWordW + gap * 2) / 0.8 + 1);
  const headTextW = headW * 0.8 - gap * 2;
  const headLines = wrapWords(input.head, () => headTextW, S.head, measure, true);
  const headLineH = S.head * 1.2;
  const headH = Math.max(S.head * 4, headLines.length * headLineH + gap * 4);

  // A strip is its block of notes plus the lean of the rib, the clear lane and a gap.
  const overhead = slant + clear + gap;
  const labelPad = gap * 1.5;
  // Every strip is wide enough for its side's longest label word (labels wrap, never cut).
  const labelWordW = (bones: LayoutBone[]) =>
    Math.max(
      0,
      ...bones.map((b) => Math.max(longestWord(b.label, S.label, measure, true), badges[b.id] ? measure(badges[b.id], S.badge) : 0)),
    );
  const minBlock = (bones: LayoutBone[]) => {
    const forLabel = labelWordW(bones) + labelPad * 2 + gap - overhead;
    return bones.map((b) => {
      const notes = groupsOf.get(b.id)!.flatMap((g) => g.notes);
      const subWord = Math.max(0, ...b.subBones.map((s) => longestWord(s.label, S.sub, measure, true)));
      return Math.ceil(Math.max(forLabel, subWord, notes.length ? Math.max(S.noteW, ...notes.map((n) => n.minW)) : S.noteW * 0.5));
    });
  };
  const minTop = minBlock(top);
  const minBottom = minBlock(bottom);
  const x0 = M + S.spine * 5;
  const fixedW = x0 + slant + M + headW + gap * 2;
  const needW = (mins: number[]) => fixedW + mins.reduce((a, b) => a + b + overhead, 0);
  const minW = Math.ceil(Math.max(opts.width, needW(minTop), needW(minBottom)));

  /**
   * Share a side's width among its bones so its tallest block is as short as it can be: add note
   * columns one at a time where they shorten the tallest block most (else the sum), then give
   * what is left to the bones by how much they hold (wider notes, fewer lines).
   */
  const share = (bones: LayoutBone[], mins: number[], W: number) => {
    const heightAt = (i: number, w: number) => pack(groupsOf.get(bones[i].id)!, w, measure).h;
    const colsOf = (w: number) => Math.max(1, Math.floor((w + gap) / (S.noteW + gap)));
    const widths = [...mins];
    let spare = W - needW(mins);
    const heights = bones.map((_, i) => heightAt(i, widths[i]));
    for (;;) {
      let best: { i: number; w: number; h: number; cost: [number, number] } | null = null;
      for (let i = 0; i < bones.length; i++) {
        const c = colsOf(widths[i]) + 1;
        const w = c * S.noteW + (c - 1) * gap;
        if (w - widths[i] > spare) continue;
        const h = heightAt(i, w);
        const hs = heights.map((x, j) => (j === i ? h : x));
        const cost: [number, number] = [Math.max(...hs), hs.reduce((a, b) => a + b, 0)];
        if (!best || cost[0] < best.cost[0] - 0.5 || (cost[0] <= best.cost[0] + 0.5 && cost[1] < best.cost[1] - 0.5))
          best = { i, w, h, cost };
      }
      const now = [Math.max(0, ...heights), heights.reduce((a, b) => a + b, 0)];
      if (!best || (best.cost[0] >= now[0] - 0.5 && best.cost[1] >= now[1] - 0.5)) break;
      spare -= best.w - widths[best.i];
      widths[best.i] = best.w;
      heights[best.i] = best.h;
    }
    const weight = bones.map((b) => 1 + groupsOf.get(b.id)!.reduce((a, g) => a + g.notes.length, 0));
    const total = weight.reduce((a, b) => a + b, 0);
    return widths.map((w, i) => w + (spare * weight[i]) / total);
  };

  /** Where each rib meets its label, and the room each label has: halfway to its neighbours'. */
  const ribsOf = (widths: number[], W: number) => {
    const ribs: number[] = [];
    let at = x0;
    for (const w of widths) ribs.push((at += w + overhead));
    const rooms = ribs.map((r, i) => ({
      lo: i === 0 ? M : (ribs[i - 1] + r) / 2 + gap / 2,
      hi: i === ribs.length - 1 ? W - M : (r + ribs[i + 1]) / 2 - gap / 2,
    }));
    return { ribs, rooms };
  };

  const plan = (W: number) => {
    const sides = (
      [
        ['top', top, minTop],
        ['bottom', bottom, minBottom],
      ] as const
    ).map(([side, bones, mins]) => {
      const widths = bones.length ? share(bones, mins, W) : [];
      const packed = bones.map((b, i) => pack(groupsOf.get(b.id)!, widths[i], measure));
      const { ribs, rooms } = ribsOf(widths, W);
      const wordW = labelWordW(bones);
      const labels = bones.map((b, i) =>
        wrapWords(b.label, () => Math.max(wordW, rooms[i].hi - rooms[i].lo - labelPad * 2), S.label, measure, true),
      );
      const labelH = Math.max(1, ...labels.map((l) => l.length)) * S.label * LINE + labelPad + (anyBadge ? S.badge * 1.4 : 0);
      // The labels at the outer edge stay clear of the head on the spine.
      const half = Math.max(
        headH / 2 + gap * 2 + (bones.length ? labelH : 0),
        ...packed.map((p) => labelH + gap + p.h + gap * 2 + S.spine / 2),
      );
      return { side, bones, widths, packed, ribs, rooms, labels, labelH, half };
    });
    return { W, sides, height: Math.ceil(2 * M + sides[0].half + sides[1].half) };
  };

  let chosen = plan(minW);
  if (opts.grow) {
    for (let W = minW + 200; chosen.height > chosen.W * opts.grow.aspect && W <= opts.grow.maxWidth; W += 200) chosen = plan(W);
  }

  const W = chosen.W;
  const spineY = M + chosen.sides[0].half;
  const bones: ExportBone[] = [];
  for (const s of chosen.sides) {
    const sign = s.side === 'top' ? 1 : -1; // from the outer end towards the spine
    const outerY = spineY - sign * s.half;
    const innerLabelY = outerY + sign * s.labelH;
    const spineEdge = spineY - (sign * S.spine) / 2;
    const { ribs, rooms } = s;
    s.bones.forEach((bone, i) => {
      const ribX = (y: number) => ribs[i] + (slant * (y - innerLabelY)) / (spineY - innerLabelY);
      const p = s.packed[i];
      // The block: right of the neighbour's rib (where it meets the spine) and a clear lane.
      const blockLeft = ribs[i] - gap - s.widths[i];
      const blockTop = sign > 0 ? innerLabelY + gap : innerLabelY - gap - p.h;

      // The label: centred on the rib's end, within halfway to the neighbours' ribs.
      const { lo, hi } = rooms[i];
      const lines = s.labels[i];
      const badge = badges[bone.id] || null;
      const textW = Math.max(...lines.map((l) => measure(l, S.label, true)), badge ? measure(badge, S.badge) : 0);
      const boxW = textW + labelPad * 2;
      const boxX = Math.max(Math.min(ribs[i] - boxW / 2, hi - boxW), lo);
      const box = { x: boxX, y: sign > 0 ? outerY : outerY - s.labelH, w: boxW, h: s.labelH };

      const shelves: ExportShelf[] = p.shelves.map((sh) => {
        const y = blockTop + sh.y;
        return { id: sh.id, x1: blockLeft, x2: ribX(y), y, lines: sh.lines, font: S.sub, lineHeight: subLineH };
      });
      const boxes = p.notes.map((pn) => ({ pn, box: noteBox(pn, blockLeft, blockTop, bone.id) }));
      const bandLeft = blockLeft - clear * 0.5;
      const band =
        [
          [bandLeft, innerLabelY],
          [ribX(innerLabelY), innerLabelY],
          [ribX(spineEdge), spineEdge],
          [bandLeft, spineEdge],
        ]
          .map(([x, y], k) => `${k ? 'L' : 'M'}${round(x)},${round(y)}`)
          .join(' ') + ' Z';
      bones.push({
        id: bone.id,
        side: s.side,
        lines,
        font: S.label,
        lineHeight: S.label * LINE,
        badge,
        box,
        rib: { x1: ribX(innerLabelY), y1: innerLabelY, x2: ribX(spineY), y2: spineY },
        band,
        shelves,
        notes: boxes.filter((b) => !b.pn.n.isMore).map((b) => b.box),
        more: boxes.find((b) => b.pn.n.isMore)?.box ?? null,
      });
    });
  }

  const head = fishHead(W - M, spineY, headW, headH, { lines: headLines, font: S.head, lineHeight: headLineH });
  const tailW = S.spine * 5;
  const fin = S.spine * 2.6;
  const tail = `M${M + tailW},${spineY} L${M},${spineY - fin} L${M + tailW * 0.35},${spineY} L${M},${spineY + fin} Z`;
  return {
    width: W,
    height: chosen.height,
    spine: { x1: M + tailW * 0.3, x2: head.x + 2, y: spineY, stroke: S.spine },
    tail,
    head,
    bones,
    fonts: { label: S.label, badge: S.badge, sub: S.sub, note: S.note },
    ribStroke: S.rib,
  };
}

const round = (x: number) => Math.round(x * 10) / 10;

/**
 * One bone on its own, for a page (the printable report, the Word report), where the whole
 * fishbone would have to shrink its words: the bone's label at the top right, its rib down the
 * right side, its notes beside it, every word at the pictures' one size. At most `width` wide
 * (wider only for a word longer than that), narrower when its notes need less.
 */
export function layoutBonePicture(
  input: { bone: LayoutBone; notes: LayoutNote[]; badge?: string | null; more?: string | null },
  opts: { width: number; measure?: Measure; words?: LayoutWords },
): { width: number; height: number; bone: ExportBone } {
  const measure = opts.measure ?? exportMeasure;
  const words = opts.words ?? DEFAULT_WORDS;
  const { gap, margin: M, clear } = S;
  const labelPad = gap * 1.5;
  // Branches without notes are left out: this picture is about the notes.
  const groups = groupNotes(input.bone, input.notes, measure, words, input.more).filter((g) => g.notes.length || !g.sub);
  const sizers = groups.flatMap((g) => g.notes);
  const subWord = Math.max(0, ...groups.map((g) => (g.sub ? longestWord(g.sub.label, S.sub, measure, true) : 0)));
  const badge = input.badge || null;
  const labelWord = Math.max(longestWord(input.bone.label, S.label, measure, true), badge ? measure(badge, S.badge) : 0);
  // Only as many columns as the busiest branch fills, so a bone with one note is a small picture.
  const side = 2 * M + gap + clear;
  const fits = Math.max(1, Math.floor((opts.width - side + gap) / (S.noteW + gap)));
  const cols = Math.min(fits, Math.max(1, ...groups.map((g) => g.notes.length)));
  const block = Math.max(cols * S.noteW + (cols - 1) * gap, subWord, ...sizers.map((n) => n.minW));
  const W = Math.ceil(Math.max(block + side, labelWord + labelPad * 2 + 2 * M));
  const ribX = W - M - clear / 2;
  const blockW = ribX - gap - M;
  const lines = wrapWords(input.bone.label, () => W - 2 * M - labelPad * 2, S.label, measure, true);
  const textW = Math.max(...lines.map((l) => measure(l, S.label, true)), badge ? measure(badge, S.badge) : 0);
  const labelH = lines.length * S.label * LINE + labelPad + (badge ? S.badge * 1.4 : 0);
  const boxW = textW + labelPad * 2;
  const box = { x: W - M - boxW, y: M, w: boxW, h: labelH };
  const p = pack(groups, blockW, measure);
  const top = M + labelH;
  const blockTop = top + gap;
  const H = Math.ceil(blockTop + p.h + M);
  const bottom = H - M / 2;
  const band = `M${round(M / 2)},${round(top)} L${round(ribX)},${round(top)} L${round(ribX)},${round(bottom)} L${round(M / 2)},${round(bottom)} Z`;
  return {
    width: W,
    height: H,
    bone: {
      id: input.bone.id,
      side: 'top',
      lines,
      font: S.label,
      lineHeight: S.label * LINE,
      badge,
      box,
      rib: { x1: ribX, y1: top, x2: ribX, y2: bottom },
      band,
      shelves: p.shelves.map((sh) => ({
        id: sh.id,
        x1: M,
        x2: ribX,
        y: blockTop + sh.y,
        lines: sh.lines,
        font: S.sub,
        lineHeight: subLineH,
      })),
      notes: p.notes.filter((pn) => !pn.n.isMore).map((pn) => noteBox(pn, M, blockTop, input.bone.id)),
      more: p.notes.filter((pn) => pn.n.isMore).map((pn) => noteBox(pn, M, blockTop, input.bone.id))[0] ?? null,
    },
  };
}

function noteBox(pn: Packed['notes'][number], left: number, top: number, boneId: string): NoteBox {
  const sized = pn.n.at(pn.w);
  return {
    id: pn.n.note.id,
    boneId,
    x: left + pn.x,
    y: top + pn.y,
    w: pn.w,
    h: pn.h,
    font: pn.n.font,
    lineHeight: pn.n.lineHeight,
    padX: pn.n.padX,
    padY: pn.n.padY,
    lines: sized.lines,
    raised: pn.n.raised,
    raisedW: pn.n.raisedW,
    dots: pn.n.dots,
    dotsW: pn.n.dotsW,
  };
}
