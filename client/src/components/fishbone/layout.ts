import { approxMeasure, truncate, wrapText, type Measure } from './text.ts';

/**
 * The geometry of a fishbone, as a pure function of the board, so it can be tested without a
 * browser. The head sits at the right; bones alternate above and below the spine as ribs that
 * slant towards the head. Each bone owns the strip of diagram left of its rib; its notes sit in
 * rows along the rib (grouped under their sub-bone's branch), never overlapping. A crowded bone
 * first gets smaller notes, then a "+N more" marker; the diagram grows taller instead when its
 * height is not fixed (the facilitator's scrolling page) until a cap, or without cap once the
 * facilitator asks to see all of a bone.
 */

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
  /** Notes still hidden (silent brainstorm), drawn as a face-down pile with this text. */
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

/** A face-down pile of notes not yet revealed, with its count. */
export interface StackBox extends Box {
  boneId: string;
  lines: string[];
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
  full: string;
  badge: string | null;
  box: Box;
  rib: { x1: number; y1: number; x2: number; y2: number };
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
  head: { path: string; x: number; y: number; w: number; h: number; lines: string[]; font: number; lineHeight: number };
  bones: BoneLayout[];
  fonts: { label: number; badge: number; sub: number };
  ribStroke: number;
}

interface Sizes {
  note: number;
  label: number;
  badge: number;
  sub: number;
  head: number;
  gap: number;
  margin: number;
  minNoteW: number;
  maxNoteW: number;
  rib: number;
  spine: number;
}

const NORMAL: Sizes = { note: 14, label: 17, badge: 13, sub: 14, head: 20, gap: 8, margin: 14, minNoteW: 124, maxNoteW: 200, rib: 3, spine: 7 };
const LARGE: Sizes = { note: 19, label: 25, badge: 19, sub: 18, head: 28, gap: 10, margin: 16, minNoteW: 160, maxNoteW: 250, rib: 5, spine: 11 };
/** Note sizes tried in turn on a crowded bone. */
const LEVELS = [1, 0.87, 0.75];
const NOTE_LINES = 3;
const LINE = 1.2;
const PAD_Y = 0.38;
/** Without a fixed height, one half of the diagram grows to at most this many note rows. */
const GROW_ROWS = 7;

const DEFAULT_WORDS: LayoutWords = { more: (n) => `+${n} more`, raised: (n) => `×${n}`, dots: (n) => `${n}` };

interface Group {
  sub: { id: string; label: string } | null;
  notes: LayoutNote[];
}

interface Plan {
  level: number;
  cols: number;
  rows: number[];
  height: number;
  fits: boolean;
}

export function layoutFishbone(input: LayoutInput, opts: LayoutOptions): FishboneLayout {
  const S = opts.large ? LARGE : NORMAL;
  const measure = opts.measure ?? approxMeasure;
  const words = opts.words ?? DEFAULT_WORDS;
  const W = opts.width;
  const M = S.margin;
  const gap = S.gap;

  const top = input.bones.filter((_, i) => i % 2 === 0);
  const bottom = input.bones.filter((_, i) => i % 2 === 1);
  const badges = input.badges ?? {};
  const anyBadge = input.bones.some((b) => badges[b.id]);

  // The head: the effect, in a fish-head shape at the right.
  const headW = Math.min(Math.max(W * 0.14, S.head * 6.5), S.head * 9);
  const headTextW = headW * 0.8 - gap * 2;
  // Shrink the head's words rather than break one ("Partnership") across lines.
  const longest = Math.max(0, ...input.head.split(/\s+/).map((w) => measure(w, S.head, true)));
  const headFont = longest > headTextW ? Math.max(S.head * 0.6, (S.head * headTextW) / longest) : S.head;
  const headLines = wrapText(input.head, Array(4).fill(headTextW), headFont, measure, true);
  const headLineH = headFont * 1.2;
  const headH = Math.max(headFont * 4, headLines.length * headLineH + gap * 4);

  const tailW = S.spine * 5;
  const x0 = M + tailW;
  const xEnd = W - M - headW - gap * 3;
  const labelBoxH = S.label * 1.6 + (anyBadge ? S.badge * 1.4 : 0);
  const labelBand = labelBoxH + gap * 1.5;
  const innerPad = gap * 2 + S.spine / 2;
  const subH = S.sub * 1.45;

  const noteH = (level: number) => {
    const f = S.note * LEVELS[level];
    return Math.round(f * LINE * NOTE_LINES + f * PAD_Y * 2);
  };
  const minHalf = Math.max(labelBand + innerPad + noteH(0) + gap, headH / 2 + gap * 2);

  const fixedH = opts.height ?? null;
  const halfFixed = fixedH === null ? null : bottom.length ? (fixedH - 2 * M) / 2 : fixedH - 2 * M - headH / 2;
  const slant = halfFixed !== null ? Math.min(halfFixed * 0.3, W * 0.07) : W * 0.06;

  const groupsOf = (bone: LayoutBone): Group[] => {
    const subIds = new Set(bone.subBones.map((s) => s.id));
    const mine = input.notes.filter((n) => n.boneId === bone.id);
    const general = mine.filter((n) => !n.subBoneId || !subIds.has(n.subBoneId));
    const groups: Group[] = bone.subBones.map((s) => ({ sub: s, notes: mine.filter((n) => n.subBoneId === s.id) }));
    return general.length || !groups.length ? [{ sub: null, notes: general }, ...groups] : groups;
  };

  /**
   * Each row of bones shares the width between the spine's tail and the head; a bone with more
   * notes and sub-bones gets a wider strip (square root, so a busy bone never starves the rest).
   */
  const stripsOf = (row: LayoutBone[]) => {
    const demand = row.map((b) => Math.sqrt(3 + input.notes.filter((n) => n.boneId === b.id).length + 1.5 * b.subBones.length + (input.stacks?.[b.id] ? 1 : 0)));
    const total = demand.reduce((a, b) => a + b, 0);
    const span = xEnd - x0 - slant;
    let at = x0;
    return demand.map((d) => {
      const strip = { left: at, width: (span * d) / total };
      at += strip.width;
      return strip;
    });
  };

  /** Columns and note width for a row of a bone's strip, at a note level. */
  const columns = (cellW: number, level: number, half: number) => {
    const h = noteH(level);
    const usable = cellW - gap * 2 - slant * (h / half);
    const min = S.minNoteW * LEVELS[level];
    const cols = Math.max(1, Math.floor((usable + gap) / (min + gap)));
    const w = Math.min((usable - (cols - 1) * gap) / cols, S.maxNoteW * LEVELS[level]);
    return { cols, w: Math.max(w, 10) };
  };

  /** How many rows each group gets within `limit` (round robin when it is crowded). */
  const plan = (groups: Group[], level: number, cellW: number, half: number, limit: number): Plan => {
    const { cols } = columns(cellW, level, half);
    const rowH = noteH(level) + gap;
    const fixed = labelBand + innerPad + groups.filter((g) => g.sub).length * subH;
    const need = groups.map((g) => Math.ceil(g.notes.length / cols));
    const full = fixed + need.reduce((a, b) => a + b, 0) * rowH;
    if (full <= limit) return { level, cols, rows: need, height: full, fits: true };
    let avail = Math.max(0, Math.floor((limit - fixed) / rowH));
    const rows = groups.map(() => 0);
    for (let progress = true; avail > 0 && progress; ) {
      progress = false;
      for (let i = 0; i < groups.length && avail > 0; i++) {
        if (rows[i] < need[i]) {
          rows[i]++;
          avail--;
          progress = true;
        }
      }
    }
    return { level, cols, rows, height: fixed + rows.reduce((a, b) => a + b, 0) * rowH, fits: false };
  };

  /** The largest notes that fit, else the smallest notes with markers. */
  const bestPlan = (groups: Group[], cellW: number, half: number, limit: number): Plan => {
    let last: Plan | null = null;
    for (let level = 0; level < LEVELS.length; level++) {
      last = plan(groups, level, cellW, half, limit);
      if (last.fits) return last;
    }
    return last!;
  };

  const sides = [
    { side: 'top' as const, bones: top, strips: stripsOf(top) },
    { side: 'bottom' as const, bones: bottom, strips: stripsOf(bottom) },
  ];

  // Decide each bone's plan, and (when growing) each half's height.
  const plans = new Map<string, { groups: Group[]; plan: Plan }>();
  const halves = { top: 0, bottom: 0 };
  for (const s of sides) {
    let half = halfFixed ?? minHalf;
    for (const [i, bone] of s.bones.entries()) {
      const groups = groupsOf(bone);
      const cellW = s.strips[i].width;
      let p: Plan;
      if (halfFixed !== null) p = bestPlan(groups, cellW, halfFixed, halfFixed);
      else if (input.expanded?.has(bone.id)) p = plan(groups, 0, cellW, minHalf, Infinity);
      else {
        const cap = labelBand + innerPad + GROW_ROWS * (noteH(0) + gap) + bone.subBones.length * subH;
        p = bestPlan(groups, cellW, minHalf, cap);
      }
      plans.set(bone.id, { groups, plan: p });
      half = Math.max(half, p.height);
    }
    halves[s.side] = s.bones.length ? half : headH / 2 + gap * 2;
  }
  if (halfFixed !== null) {
    halves.top = halfFixed;
    if (bottom.length) halves.bottom = halfFixed;
  }
  const spineY = M + halves.top;
  const H = fixedH ?? Math.ceil(spineY + halves.bottom + M);

  const bones: BoneLayout[] = [];
  for (const s of sides) {
    const half = halves[s.side];
    const sign = s.side === 'top' ? 1 : -1; // from the outer end towards the spine
    const outerY = spineY - sign * half;
    const t = (y: number) => (sign * (y - outerY)) / half;
    s.bones.forEach((bone, i) => {
      const { left, width: cellW } = s.strips[i];
      const leftX = (y: number) => left + slant * t(y);
      const ribX = (y: number) => leftX(y) + cellW;
      const { groups, plan: p } = plans.get(bone.id)!;
      const { w: noteW } = columns(cellW, p.level, half);
      const nh = noteH(p.level);
      const rowH = nh + gap;
      const font = S.note * LEVELS[p.level];

      // The label box at the rib's outer end.
      const badge = badges[bone.id] || null;
      const maxBoxW = Math.max(cellW - gap, S.label * 4);
      const label = truncate(bone.label, maxBoxW - gap * 2, S.label, measure, true);
      const boxW = Math.min(maxBoxW, Math.max(measure(label, S.label, true), badge ? measure(badge, S.badge) : 0) + gap * 3);
      const innerLabelY = outerY + sign * labelBoxH;
      const boxX = Math.min(Math.max(ribX(innerLabelY) - boxW / 2, M), W - M - boxW);
      const box = { x: boxX, y: sign > 0 ? outerY : outerY - labelBoxH, w: boxW, h: labelBoxH };
      const rib = { x1: ribX(innerLabelY), y1: innerLabelY, x2: ribX(spineY), y2: spineY };
      const pile = input.stacks?.[bone.id];
      const stack = pile ? stackBox(pile, bone.id, box, Math.max(left, M), S.badge, gap, measure) : null;

      const shelves: Shelf[] = [];
      const notes: NoteBox[] = [];
      const more: MoreBox[] = [];
      let hiddenCount = 0;
      let cursor = outerY + sign * labelBand;
      // Below the spine the stacking runs upwards, so reverse it to keep the reading order.
      const order = groups.map((_, gi) => gi);
      if (sign < 0) order.reverse();
      for (const gi of order) {
        const g = groups[gi];
        const rows = p.rows[gi];
        const blockH = (g.sub ? subH : 0) + rows * rowH;
        const blockTop = sign > 0 ? cursor : cursor - blockH;
        cursor += sign * blockH;
        const capacity = rows * p.cols;
        const overflow = g.notes.length > capacity;
        const shown = overflow ? Math.max(0, capacity - 1) : g.notes.length;
        if (overflow) hiddenCount += g.notes.length - shown;
        if (g.sub) {
          const y = blockTop + subH - gap * 0.6;
          const x1 = leftX(y) + gap;
          const x2 = ribX(y);
          const orphan = rows === 0 ? g.notes.length : 0;
          const suffix = orphan ? ` (${words.more(orphan)})` : '';
          const room = x2 - x1 - gap - measure(suffix, S.sub);
          shelves.push({ id: g.sub.id, x1, x2, y, label: truncate(g.sub.label, room, S.sub, measure, true) + suffix, full: g.sub.label, font: S.sub, more: orphan });
        }
        const rowsTop = blockTop + (g.sub ? subH : 0);
        const slots = overflow && rows > 0 ? capacity : shown;
        for (let slot = 0; slot < slots; slot++) {
          const r = Math.floor(slot / p.cols);
          const inRow = Math.min(p.cols, slots - r * p.cols);
          const c = slot % p.cols;
          const y = rowsTop + r * rowH;
          // The rib is nearest the strip at the row's outer edge; keep clear of it there.
          const outerEdge = sign > 0 ? y : y + nh;
          const right = ribX(outerEdge) - gap;
          const x = right - (inRow - c) * noteW - (inRow - c - 1) * gap;
          if (overflow && slot === slots - 1) {
            const count = g.notes.length - shown;
            more.push({ x, y, w: noteW, h: nh, boneId: bone.id, subBoneId: g.sub?.id ?? null, count, text: words.more(count), font });
          } else notes.push(noteBox(g.notes[slot], bone.id, { x, y, w: noteW, h: nh }, font, measure, words));
        }
      }
      bones.push({ id: bone.id, side: s.side, label, full: bone.label, badge, box, rib, shelves, notes, more, stack, hiddenCount });
    });
  }

  const headX = W - M - headW;
  const hy = spineY - headH / 2;
  const head = {
    path: `M${headX},${hy} L${headX + headW * 0.6},${hy} Q${headX + headW},${hy} ${headX + headW},${spineY} Q${headX + headW},${hy + headH} ${headX + headW * 0.6},${hy + headH} L${headX},${hy + headH} Z`,
    x: headX,
    y: hy,
    w: headW,
    h: headH,
    lines: headLines,
    font: headFont,
    lineHeight: headLineH,
  };
  const fin = S.spine * 2.6;
  const tail = `M${x0},${spineY} L${M},${spineY - fin} L${M + tailW * 0.35},${spineY} L${M},${spineY + fin} Z`;
  return {
    width: W,
    height: H,
    spine: { x1: M + tailW * 0.3, x2: headX + 2, y: spineY, stroke: S.spine },
    tail,
    head,
    bones,
    fonts: { label: S.label, badge: S.badge, sub: S.sub },
    ribStroke: S.rib,
  };
}

/**
 * The pile of still-hidden notes sits in the label band, left of the bone's label, so it costs
 * no note row; its words shrink, then wrap, to fit the room there.
 */
function stackBox(text: string, boneId: string, label: Box, left: number, size: number, gap: number, measure: Measure): StackBox {
  const room = label.x - gap * 2 - left;
  const want = measure(text, size, true) + size * 1.6;
  let font = size;
  if (want > room) font = Math.max(size * 0.7, (size * room) / want);
  let w = Math.min(measure(text, font, true) + font * 1.6, Math.max(room, font * 4));
  const lines = measure(text, font, true) + font * 1.6 <= w ? [text] : wrapText(text, [w - font * 1.6, w - font * 1.6], font, measure, true);
  if (lines.length > 1) w = Math.max(...lines.map((l) => measure(l, font, true))) + font * 1.6;
  return { x: label.x - gap * 1.5 - w, y: label.y, w, h: label.h, boneId, lines, font };
}

function noteBox(n: LayoutNote, boneId: string, b: Box, font: number, measure: Measure, words: LayoutWords): NoteBox {
  const padX = font * 0.5;
  const padY = font * PAD_Y;
  const lineHeight = font * LINE;
  const small = font * 0.8;
  const raised = n.raisedBy > 1 ? words.raised(n.raisedBy) : null;
  const raisedW = raised ? measure(raised, small, true) + small : 0;
  const dots = n.dots != null ? words.dots(n.dots) : null;
  const dotsW = dots ? measure(dots, small, true) + small * 1.6 : 0;
  const inner = b.w - padX * 2;
  const widths = Array.from({ length: NOTE_LINES }, (_, i) => inner - (i === 0 ? raisedW : 0) - (i === NOTE_LINES - 1 ? dotsW : 0));
  return {
    ...b,
    id: n.id,
    boneId,
    font,
    lineHeight,
    padX,
    padY,
    lines: wrapText(n.text, widths, font, measure),
    raised,
    raisedW,
    dots,
    dotsW,
  };
}
