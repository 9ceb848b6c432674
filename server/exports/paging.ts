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
