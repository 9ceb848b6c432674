import { exportMeasure, wrapWords } from '../../shared/fishbone/export-layout.ts';

/**
 * Table rows laid out by hand across pages (slides), so a row is never split and every page
 * gets its own title. Heights are estimated with the pictures' DejaVu-wide measure, which errs
 * tall, so a page is never overfull in PowerPoint (Arial) or LibreOffice (DejaVu Sans).
 */

const PT = 72; // points per inch

/** Lines `text` takes in a cell `widthIn` inches wide (less its margins) at `fontPt`. */
export function cellLines(text: string, widthIn: number, fontPt: number, bold = false): number {
  if (!text) return 1;
  const room = (widthIn - 0.2) * PT - 2;
  return Math.max(1, wrapWords(text, () => room, fontPt, exportMeasure, bold).length);
}

/** A row's height in inches: its tallest cell, with the cells' top and bottom margins. */
export function rowHeight(cells: Array<{ text: string; widthIn: number; bold?: boolean }>, fontPt: number): number {
  const lines = Math.max(...cells.map((c) => cellLines(c.text, c.widthIn, fontPt, c.bold)));
  // LibreOffice sets 14 pt lines 16.5 pt apart, and cells have 0.05 in above and below.
  return (lines * fontPt * 1.2 + 0.1 * PT + 1) / PT;
}

/** Split rows into pages: the first page has `first` inches for rows, later ones `rest`. */
export function pageRows<T>(rows: T[], heightOf: (row: T) => number, first: number, rest: number): T[][] {
  const pages: T[][] = [[]];
  let room = first;
  for (const row of rows) {
    const h = heightOf(row);
    if (pages[pages.length - 1].length && h > room) {
      pages.push([]);
      room = rest;
    }
    pages[pages.length - 1].push(row);
    room -= h;
  }
  return pages;
}

/**
 * The largest type, from `maxPt` down to `minPt`, at which `parts` (each its own paragraph)
 * fit a box without breaking a word: each word within the width, the lines within the height.
 * Parts after the first are set `smallerBy` points smaller. Returns each part's size.
 */
export function fitFont(
  parts: string[],
  box: { widthIn: number; heightIn: number; marginIn: number },
  opts: { maxPt: number; minPt: number; bold?: boolean; smallerBy?: number },
): number[] {
  const width = (box.widthIn - 2 * box.marginIn) * PT - 2;
  const height = (box.heightIn - 2 * box.marginIn) * PT;
  const sizesAt = (pt: number) => parts.map((_, i) => (i === 0 ? pt : Math.max(6, pt - (opts.smallerBy ?? 0))));
  for (let pt = opts.maxPt; pt >= opts.minPt; pt--) {
    const sizes = sizesAt(pt);
    const bold = (i: number) => i === 0 && !!opts.bold;
    const wordsFit = parts.every((p, i) => p.split(/\s+/).every((w) => exportMeasure(w, sizes[i], bold(i)) <= width));
    const lines = parts.reduce((a, p, i) => a + wrapWords(p, () => width, sizes[i], exportMeasure, bold(i)).length * sizes[i] * 1.2, 0);
    if (wordsFit && lines <= height) return sizes;
  }
  return sizesAt(opts.minPt);
}
