import type { Measure } from './text.ts';

/** What the fishbone layout takes and gives: plain data, so it can be tested without a browser. */

export interface LayoutBone {
  id: string;
  label: string;
  subBones: Array<{ id: string; label: string }>;
}

export interface LayoutNote {
  id: string;
  boneId: string;
  subBoneId: string | null;
  text: string;
  raisedBy: number;
  /** Dots after the reveal, when they are to be shown. */
  dots?: number | null;
}

export interface LayoutInput {
  head: string;
  bones: LayoutBone[];
  /** In display order: the first notes are the ones kept when a bone is crowded. */
  notes: LayoutNote[];
  /** A second line under a bone's label, e.g. "38% of dots". */
  badges?: Record<string, string>;
  /** Notes still hidden (silent brainstorm): a note-coloured band at the foot of the label. */
  stacks?: Record<string, string>;
  /** Bones whose notes are all shown, however tall that makes the diagram. */
  expanded?: ReadonlySet<string>;
}

export interface LayoutWords {
  more: (n: number) => string;
  raised: (n: number) => string;
  dots: (n: number) => string;
}

export interface LayoutOptions {
  /** Width of the drawing in user units. */
  width: number;
  /** Fixed height (the projector fills its screen); null lets the diagram grow. */
  height?: number | null;
  large?: boolean;
  /** The smallest text allowed, in drawing units (the projector's minimum): notes are never shrunk below it. */
  minFont?: number;
  /**
   * Notes drawn whole (whole.ts): 'ranked', each bone's notes in one run in the order given (after
   * the reveal: the ranking's), those left out counted under the bone's label; 'if-all-fit',
   * under their sub-bones' shelves, when every note fits so, else the usual cut previews.
   */
  whole?: 'ranked' | 'if-all-fit';
  measure?: Measure;
  words?: LayoutWords;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface NoteBox extends Box {
  id: string;
  boneId: string;
  font: number;
  lineHeight: number;
  padX: number;
  padY: number;
  lines: string[];
  /** "×3" badge at the top right, when more than one person raised it. */
  raised: string | null;
  raisedW: number;
  /** Dots pill at the bottom right, after the reveal. */
  dots: string | null;
  dotsW: number;
}

export interface MoreBox extends Box {
  boneId: string;
  subBoneId: string | null;
  count: number;
  text: string;
  font: number;
}

/** The count of notes not yet revealed, drawn like a pile of notes under the bone's label. */
export interface StackBox extends Box {
  text: string;
  font: number;
}

export interface Shelf {
  id: string;
  x1: number;
  x2: number;
  y: number;
  label: string;
  full: string;
  font: number;
  /** Notes of this sub-bone that found no room at all (the marker sits on the branch). */
  more: number;
}

export interface BoneLayout {
  id: string;
  side: 'top' | 'bottom';
  label: string;
  labelFont: number;
  full: string;
  badge: string | null;
  box: Box;
  rib: { x1: number; y1: number; x2: number; y2: number };
  /** SVG path of the faint band that shades the bone's strip, up to its rib. */
  band: string;
  shelves: Shelf[];
  notes: NoteBox[];
  more: MoreBox[];
  stack: StackBox | null;
  /** Notes of this bone not drawn (behind "+N more" markers). */
  hiddenCount: number;
}

export interface FishboneLayout {
  width: number;
  height: number;
  spine: { x1: number; x2: number; y: number; stroke: number };
  tail: string;
  head: HeadShape;
  bones: BoneLayout[];
  fonts: { label: number; badge: number; sub: number };
  ribStroke: number;
}

/** The effect in its fish-head shape at the right end of the spine, its words wrapped whole. */
export interface HeadShape {
  path: string;
  x: number;
  y: number;
  w: number;
  h: number;
  lines: string[];
  font: number;
  lineHeight: number;
}

/** The head of `w` × `h` whose right edge is at `right`, centred on the spine. */
export function fishHead(
  right: number,
  spineY: number,
  w: number,
  h: number,
  text: Pick<HeadShape, 'lines' | 'font' | 'lineHeight'>,
): HeadShape {
  const x = right - w;
  const y = spineY - h / 2;
  return {
    path: `M${x},${y} L${x + w * 0.6},${y} Q${x + w},${y} ${x + w},${spineY} Q${x + w},${y + h} ${x + w * 0.6},${y + h} L${x},${y + h} Z`,
    x,
    y,
    w,
    h,
    ...text,
  };
}
