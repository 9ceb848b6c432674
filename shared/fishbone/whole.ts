import type { Measure } from './text.ts';
import type { LayoutNote, LayoutWords } from './types.ts';

/**
 * A bone's notes drawn whole (issue 24): each with as many lines as its words need, a word never
 * broken or cut, in the order given (after the reveal: the ranking's), row by row along the rib,
 * until the next note does not fit; the rest are counted in one "+N more". A note is never
 * skipped for a later, shorter one, so a bone never shows a lower note while hiding a higher one.
 * How many are left out is the layout's to say (on a pile under the bone's label).
 */

export interface WholeNote {
  note: LayoutNote;
  lines: string[];
  /** The dots pill needs a line of its own under the text. */
  pillLine: boolean;
  h: number;
}

export interface WholeRow {
  /** The group (sub-bone) the row belongs to. */
  group: number;
  notes: WholeNote[];
  /** The tallest of its notes: every note of a row is drawn this tall. */
  h: number;
}

export interface WholePlan {
  cols: number;
  /** Every note's width. */
  w: number;
  rows: WholeRow[];
  /** How many groups were begun: their shelves are drawn (a shelf may stand over no notes). */
  started: number;
  shown: number;
  hidden: LayoutNote[];
  /** From the outer end of the strip: label band and rows. */
  height: number;
}

/** A bone's notes in order, in groups: each sub-bone's under its shelf, or all in one without. */
export interface WholeGroup {
  shelf: boolean;
  notes: LayoutNote[];
}

export interface WholeSpace {
  /** Label band and padding above the first row. */
  fixed: number;
  /** A sub-bone's shelf (its branch and name). */
  shelfH: number;
  /** The room from the outer end towards the spine. */
  limit: number;
  /** Width a row of height `h` may use (the ribs slant, so a taller row has less). */
  usable: (h: number) => number;
  maxCols: number;
}

export interface WholeSizes {
  font: number;
  lineHeight: number;
  padX: number;
  padY: number;
  gap: number;
  minW: number;
  maxW: number;
  measure: Measure;
  words: LayoutWords;
  /** Kept across the many plans of one layout: each note's pieces, and its size at a width. */
  cache: WholeCache;
}

export interface WholeCache {
  pieces: Map<LayoutNote, Piece[]>;
  sized: Map<LayoutNote, Map<number, WholeNote | null>>;
}

export const wholeCache = (): WholeCache => ({ pieces: new Map(), sized: new Map() });

/** Pill widths, as the note is drawn (types.ts NoteBox). */
export function pills(n: LayoutNote, s: Pick<WholeSizes, 'font' | 'measure' | 'words'>) {
  const small = s.font * 0.8;
  const raised = n.raisedBy > 1 ? s.words.raised(n.raisedBy) : null;
  const dots = n.dots != null ? s.words.dots(n.dots) : null;
  return {
    raised,
    raisedW: raised ? s.measure(raised, small, true) + small : 0,
    dots,
    dotsW: dots ? s.measure(dots, small, true) + small * 1.6 : 0,
  };
}

/** A word, or the part of a hyphenated word up to its hyphen, and whether a space comes before it. */
export interface Piece {
  t: string;
  w: number;
  space: boolean;
}

/**
 * Whole words into lines of at most `widthOf(i)`, from each piece's own width (so wrapping a note
 * at many widths costs a sum per word): lines break between words or after a hyphen, as
 * text.ts wrapText does; null when a piece is wider than its line.
 */
function wrapWhole(pieces: Piece[], space: number, widthOf: (i: number) => number): string[] | null {
  const lines: string[] = [];
  let cur = '';
  let curW = 0;
  for (const { t, w, space: spaced } of pieces) {
    const add = spaced ? space + w : w;
    if (cur && curW + add <= widthOf(lines.length)) {
      cur += spaced ? ` ${t}` : t;
      curW += add;
      continue;
    }
    if (cur) lines.push(cur);
    if (w > widthOf(lines.length)) return null;
    cur = t;
    curW = w;
  }
  if (cur) lines.push(cur);
  return lines;
}

/** Plans a bone's notes whole, trying 1..maxCols columns: the most notes shown, then the least height. */
export function planWhole(groups: WholeGroup[], space: WholeSpace, s: WholeSizes): WholePlan {
  const notes = groups.flatMap((g) => g.notes);
  const spaceW = s.measure(' ', s.font);
  const piecesOf = s.cache.pieces;
  const words = (n: LayoutNote) => {
    let ps = piecesOf.get(n);
    if (!ps) {
      ps = n.text
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .flatMap((word) => word.split(/(?<=[-‐–—/])(?=.)/).map((t, i) => ({ t, w: s.measure(t, s.font), space: i === 0 })));
      piecesOf.set(n, ps);
    }
    return ps;
  };
  /** A note at a width, rounded down to a whole unit so that the many plans share the work. */
  const sized = (n: LayoutNote, width: number): WholeNote | null => {
    const w = Math.floor(width);
    let atWidth = s.cache.sized.get(n);
    if (!atWidth) s.cache.sized.set(n, (atWidth = new Map()));
    if (atWidth.has(w)) return atWidth.get(w)!;
    const one = size(n, w);
    atWidth.set(w, one);
    return one;
  };
  const size = (n: LayoutNote, w: number): WholeNote | null => {
    const inner = w - s.padX * 2;
    const p = pills(n, s);
    const lines = wrapWhole(words(n), spaceW, (i) => inner - (i === 0 ? p.raisedW : 0));
    if (!lines || !lines.length) return null;
    const last = lines[lines.length - 1];
    const lastW = s.measure(last, s.font) + (lines.length === 1 ? p.raisedW : 0);
    const pillLine = p.dotsW > 0 && lastW + p.dotsW > inner;
    return { note: n, lines, pillLine, h: Math.ceil(s.padY * 2 + s.lineHeight * (lines.length + (pillLine ? 1 : 0))) };
  };

  const pack = (cols: number, w: number): WholePlan => {
    const rows: WholeRow[] = [];
    let used = space.fixed;
    let shown = 0;
    let started = 0;
    for (const [gi, g] of groups.entries()) {
      if (g.shelf) {
        if (used + space.shelfH > space.limit) break;
        used += space.shelfH;
      }
      started = gi + 1;
      let i = 0;
      while (i < g.notes.length) {
        const row: WholeNote[] = [];
        for (let k = 0; k < cols && i + k < g.notes.length; k++) {
          const one = sized(g.notes[i + k], w);
          if (!one) break;
          const h = Math.max(one.h, ...row.map((r) => r.h));
          if (used + h + s.gap > space.limit) break;
          row.push(one);
        }
        if (!row.length) break;
        const h = Math.max(...row.map((r) => r.h));
        rows.push({ group: gi, notes: row, h });
        used += h + s.gap;
        i += row.length;
        if (row.length < cols) break; // the next note did not fit beside these: it is not skipped for a later one
      }
      shown += i;
      if (i < g.notes.length) break;
    }
    return { cols, w, rows, started, shown, hidden: notes.slice(shown), height: used };
  };

  /** Columns of one width for every row: as wide as the tallest row leaves room for. */
  const tryCols = (cols: number): WholePlan | null => {
    const widthFor = (h: number) => Math.min(s.maxW, (space.usable(h) - (cols - 1) * s.gap) / cols);
    let h = s.padY * 2 + s.lineHeight * 3;
    for (let round = 0; round < 4; round++) {
      const w = widthFor(h);
      if (w < s.minW) return null;
      const plan = pack(cols, w);
      const tallest = Math.max(0, ...plan.rows.map((r) => r.h));
      if (tallest <= h + 0.5) return plan;
      h = tallest;
    }
    // Still growing: the width the strip's full height leaves is safe for any row.
    const w = widthFor(space.limit - space.fixed);
    return w < s.minW ? null : pack(cols, w);
  };

  let best: WholePlan | null = null;
  for (let cols = 1; cols <= space.maxCols; cols++) {
    const p = tryCols(cols);
    if (p && (!best || p.shown > best.shown || (p.shown === best.shown && p.height < best.height))) best = p;
  }
  return best ?? { cols: 1, w: s.minW, rows: [], started: 0, shown: 0, hidden: notes, height: space.fixed };
}
