/** Measuring and wrapping text for SVG, which has no line wrapping of its own. */

/** Width of `text` at `size` units; bold text is a little wider. */
export type Measure = (text: string, size: number, bold?: boolean) => number;

const NARROW = /[ilIj.,:;'!|()[\]f t]/;
const WIDE = /[mwMW@%]/;

/**
 * A font-free estimate (system sans-serif), used in tests and before a canvas is at hand.
 * It errs on the wide side so estimated lines never overflow a sticky note.
 */
export const approxMeasure: Measure = (text, size, bold = false) => {
  let em = 0;
  for (const ch of text) {
    if (ch === ' ') em += 0.28;
    else if (NARROW.test(ch)) em += 0.3;
    else if (WIDE.test(ch)) em += 0.86;
    else if (ch >= 'A' && ch <= 'Z') em += 0.66;
    else if (ch >= '0' && ch <= '9') em += 0.56;
    else if (ch.charCodeAt(0) > 0x2e7f)
      em += 1; // CJK and emoji are about a square each
    else em += 0.54;
  }
  return em * size * (bold ? 1.06 : 1);
};

const ELLIPSIS = '…';

/** Cut `text` to fit `width`, ending in an ellipsis when it had to be cut. */
export function truncate(text: string, width: number, size: number, measure: Measure, bold = false): string {
  if (measure(text, size, bold) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  // The longest prefix that still fits with the ellipsis after it.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(chars.slice(0, mid).join('').trimEnd() + ELLIPSIS, size, bold) <= width) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + ELLIPSIS;
}

/** Break one word that is wider than a line into pieces that fit (focus mode's count of lines only). */
function splitWord(word: string, width: number, size: number, measure: Measure, bold: boolean): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const ch of word) {
    if (cur && measure(cur + ch, size, bold) > width) {
      pieces.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur) pieces.push(cur);
  return pieces;
}

/** A word and whether a space comes before it: hyphenated words may break after their hyphens. */
interface Piece {
  text: string;
  space: boolean;
}

const piecesOf = (text: string): Piece[] =>
  text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => word.split(/(?<=[-‐–—/])(?=.)/).map((p, i) => ({ text: p, space: i === 0 })));

const join = (pieces: Piece[]) => pieces.map((p, i) => (i && p.space ? ` ${p.text}` : p.text)).join('');

/**
 * Greedy word wrap into at most `widths.length` lines (line i may be `widths[i]` wide, so a badge
 * can take a corner); what does not fit is cut with an ellipsis on the last line. Lines break
 * between words or after a hyphen, never inside a word (issue 24: "Accountabilit y"): a word
 * wider than any line is cut with an ellipsis (`longWords: 'cut'`, for drawing; callers make
 * notes wide enough for their words), or split where it must (`'split'`, to count the lines a
 * browser's `overflow-wrap: anywhere` makes).
 */
export function wrapText(
  text: string,
  widths: number[],
  size: number,
  measure: Measure,
  bold = false,
  longWords: 'cut' | 'split' = 'cut',
): string[] {
  const pieces = piecesOf(text);
  const lines: string[] = [];
  let cur = '';
  const widthOf = (i: number) => widths[Math.min(i, widths.length - 1)];
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k];
    const candidate = cur ? `${cur}${piece.space ? ' ' : ''}${piece.text}` : piece.text;
    if (measure(candidate, size, bold) <= widthOf(lines.length)) {
      cur = candidate;
      continue;
    }
    // cur is always given a new value below.
    if (cur) lines.push(cur);
    if (lines.length >= widths.length) {
      cur = join(pieces.slice(k));
      break;
    }
    if (measure(piece.text, size, bold) <= widthOf(lines.length)) {
      cur = piece.text;
      continue;
    }
    if (longWords === 'cut') {
      cur = truncate(piece.text, widthOf(lines.length), size, measure, bold);
      continue;
    }
    const split = splitWord(piece.text, widthOf(lines.length), size, measure, bold);
    cur = split.pop() ?? '';
    for (const p of split) lines.push(p);
  }
  if (cur) lines.push(cur);
  if (lines.length <= widths.length) return lines;
  // Too long: keep what fits and mark the cut on the last line.
  const kept = lines.slice(0, widths.length);
  // (A line that broke after a hyphen joins the next without a space.)
  const rest = lines.slice(widths.length - 1).reduce((a, l) => (/[-‐–—/]$/.test(a) ? a + l : `${a} ${l}`));
  kept[widths.length - 1] = truncate(rest + ELLIPSIS, widthOf(widths.length - 1), size, measure, bold);
  return kept;
}
