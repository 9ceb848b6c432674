import type { Bone } from '../templates/index.ts';
import { approxMeasure, wrapText, type Measure } from './text.ts';
import type { LayoutNote } from './types.ts';

/**
 * Focus mode on the projector: one bone at a time, every note in full text, in pages of cards
 * that step by themselves. The geometry is in screen units (`u`: 1% of the width of a 16:9
 * screen, the projector page's own unit), so a page holds the same notes at 1280×720 and at
 * 1920×1080, and the facilitator's page, which knows no projector's size, counts the same pages.
 * Widths are estimated on the wide side (wideMeasure), so real text takes no more lines.
 */

/** The smallest text on the projector, as a share of the screen's height (24 px at 1080p, 16 px at 720p). */
export const MIN_TEXT_SHARE = 1 / 45;

/** Sizes in u (a 16:9 screen is 100u × 56.25u). */
export const FOCUS = {
  /** Card text: 1.45u is 28 px at 1080p, above the minimum of 1.25u (24 px). */
  font: 1.45,
  line: 1.25,
  /** A card's line of detail (its sub-bone, "raised by N"): at the minimum. */
  detailFont: 1.25,
  detailLine: 1.3,
  columns: 3,
  columnGap: 1.2,
  cardGap: 0.9,
  cardPadX: 0.9,
  cardPadY: 0.7,
  /** A card's border, top and bottom together. */
  cardBorder: 0.2,
  /** The width the cards share, and the height of a column (the page minus its heading and foot). */
  width: 97.2,
  height: 43.5,
} as const;

/** How long each page stays up when focus mode steps by itself. */
export const FOCUS_STEP_MS = 20_000;

export interface FocusCard {
  id: string;
  text: string;
  subBoneId: string | null;
  raisedBy: number;
  dots: number | null;
  /** Lines the text takes (estimated on the wide side). */
  lines: number;
  /** Height in u. */
  height: number;
}

export interface FocusPage {
  boneId: string;
  /** Page number within the bone, from 0, and how many the bone has. */
  page: number;
  pages: number;
  /** Cards by column, top to bottom. */
  columns: FocusCard[][];
}

/** A note as focus mode pages it: the same as the fishbone's layout takes. */
export type FocusNote = LayoutNote;

/**
 * Text widths for paging, on the wide side of common screen fonts: the estimate (approxMeasure)
 * by itself is close to Arial's widths, and DejaVu Sans or Verdana run up to a fifth wider, so a
 * card counted with this never needs more lines on screen than it was given.
 */
export const wideMeasure: Measure = (text, size, bold) => approxMeasure(text, size, bold) * 1.2;

const columnWidth = (FOCUS.width - FOCUS.columnGap * (FOCUS.columns - 1)) / FOCUS.columns;
/** Text width inside a card, in u. */
export const FOCUS_TEXT_WIDTH = columnWidth - FOCUS.cardPadX * 2;

export function cardOf(n: FocusNote, detail: boolean, measure: Measure = wideMeasure): FocusCard {
  // As many lines as the text needs: wrapText cuts only past its last line, so give it plenty.
  const lines = wrapText(n.text, Array(40).fill(FOCUS_TEXT_WIDTH), FOCUS.font, measure, false, 'split').length;
  const height =
    FOCUS.cardPadY * 2 + FOCUS.cardBorder + lines * FOCUS.font * FOCUS.line + (detail ? FOCUS.detailFont * FOCUS.detailLine : 0);
  return { id: n.id, text: n.text, subBoneId: n.subBoneId, raisedBy: n.raisedBy, dots: n.dots ?? null, lines, height };
}

/**
 * One bone's notes as pages: ordered by sub-bone (the template's order) then text, filled column
 * by column. A bone with no notes has one empty page, so it can still be shown.
 */
export function focusPages(bone: Bone, notes: FocusNote[], measure: Measure = wideMeasure): FocusPage[] {
  const subOrder = new Map(bone.subBones.map((s, i) => [s.id, i + 1]));
  const mine = notes
    .filter((n) => n.boneId === bone.id)
    .sort(
      (a, b) =>
        (subOrder.get(a.subBoneId ?? '') ?? 0) - (subOrder.get(b.subBoneId ?? '') ?? 0) ||
        a.text.localeCompare(b.text) ||
        (a.id < b.id ? -1 : 1),
    );
  const pages: FocusCard[][][] = [];
  let columns: FocusCard[][] = [[]];
  let used = 0;
  for (const n of mine) {
    const detail = !!(n.subBoneId && subOrder.has(n.subBoneId)) || n.raisedBy > 1 || n.dots != null;
    const card = cardOf(n, detail, measure);
    const need = (used ? FOCUS.cardGap : 0) + card.height;
    if (used + need > FOCUS.height && used > 0) {
      if (columns.length === FOCUS.columns) {
        pages.push(columns);
        columns = [[]];
      } else columns.push([]);
      used = 0;
    }
    columns[columns.length - 1].push(card);
    used += (used ? FOCUS.cardGap : 0) + card.height;
  }
  pages.push(columns);
  return pages.map((cols, page) => ({ boneId: bone.id, page, pages: pages.length, columns: cols }));
}

/** Every bone's pages in order: what focus mode steps through. */
export function focusSlides(bones: Bone[], notes: FocusNote[], measure: Measure = wideMeasure): FocusPage[] {
  return bones.flatMap((b) => focusPages(b, notes, measure));
}

/**
 * The slide on screen: the one the facilitators chose (a bone and a page of it), moved on by one
 * every FOCUS_STEP_MS since `autoSince` when focus mode steps by itself, round all the bones.
 */
export function slideAt(
  slides: FocusPage[],
  focus: { boneId: string; page: number },
  autoSince: number | null,
  now: number,
): FocusPage | null {
  if (!slides.length) return null;
  const first = slides.findIndex((s) => s.boneId === focus.boneId);
  if (first < 0) return null;
  const pages = slides[first].pages;
  const steps = autoSince === null ? 0 : Math.max(0, Math.floor((now - autoSince) / FOCUS_STEP_MS));
  const at = first + (focus.page % pages) + steps;
  return slides[at % slides.length];
}
