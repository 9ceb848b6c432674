import { approxMeasure, truncate, wrapText, type Measure } from './text.ts';
import type {
  BoneLayout,
  Box,
  FishboneLayout,
  LayoutBone,
  LayoutInput,
  LayoutNote,
  LayoutOptions,
  LayoutWords,
  MoreBox,
  NoteBox,
  Shelf,
} from './types.ts';
import { fishHead } from './types.ts';
import { pills, planWhole, wholeCache, type WholePlan } from './whole.ts';

export type * from './types.ts';

/**
 * The geometry of a fishbone, as a pure function of the board, so it can be tested without a
 * browser. The head sits at the right; bones alternate above and below the spine as ribs that
 * slant towards the head. Each bone owns the strip of diagram left of its rib; its notes sit in
 * rows along the rib (grouped under their sub-bone's branch), never overlapping. A wide clear
 * lane keeps them off the neighbouring rib, and a faint band shades the strip up to its own rib,
 * so from the back of a room a note plainly belongs to the rib at its right. Busy bones get
 * wider strips, and on a fixed screen a busy row of bones may borrow height from the other.
 * A crowded bone then gets smaller notes, then a "+N more" marker; the diagram grows taller
 * instead when its height is not fixed (the facilitator's scrolling page) until a cap, or
 * without cap once the facilitator asks to see all of a bone. A word is never broken across
 * lines: notes are made wide enough for their longest word.
 *
 * With `whole` (the projector after the reveal, or whenever everything fits), every note drawn
 * is drawn whole, in the order given (whole.ts); the strips are shared out so that the first
 * note left out comes as late in that order as it can.
 */

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
  /** Clear lane between a strip's notes and the neighbouring rib at its left. */
  clear: number;
}

const NORMAL: Sizes = {
  note: 14,
  label: 17,
  badge: 13,
  sub: 14,
  head: 20,
  gap: 8,
  margin: 14,
  minNoteW: 124,
  maxNoteW: 200,
  rib: 3,
  spine: 7,
  clear: 26,
};
const LARGE: Sizes = {
  note: 19,
  label: 25,
  badge: 19,
  sub: 19,
  head: 28,
  gap: 10,
  margin: 16,
  minNoteW: 150,
  maxNoteW: 250,
  rib: 5,
  spine: 11,
  clear: 34,
};
/** Note sizes tried in turn on a crowded bone. */
const ALL_LEVELS = [1, 0.87, 0.75];
const NOTE_LINES = 3;
/** Full-size notes on a bone with room to spare show a fourth line of text. */
const ROOMY_LINES = 4;
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
  /** Whole mode: the notes, row by row (whole.ts). */
  whole?: WholePlan;
}

export function layoutFishbone(input: LayoutInput, opts: LayoutOptions): FishboneLayout {
  if (!opts.whole) return lay(input, opts, false);
  const first = lay(input, opts, false);
  if (!first.bones.some((b) => b.hiddenCount > 0)) return first;
  // Ranked: those left out are counted on a pile under the bone's label, which costs the labels
  // a line, taken only when something is left out. Otherwise the usual previews.
  return opts.whole === 'ranked' ? lay(input, opts, true) : lay(input, { ...opts, whole: undefined }, false);
}

function lay(input: LayoutInput, opts: LayoutOptions, pileMore: boolean): FishboneLayout {
  // With a minimum text size (the projector's), everything grows together until the notes reach
  // it, and notes are never shrunk below it: a crowded bone shows "+N more" instead.
  const base = opts.large ? LARGE : NORMAL;
  const grow = opts.minFont ? Math.max(1, opts.minFont / Math.min(base.note, base.sub, base.badge)) : 1;
  const S: Sizes = grow === 1 ? base : (Object.fromEntries(Object.entries(base).map(([k, v]) => [k, v * grow])) as unknown as Sizes);
  const LEVELS = opts.minFont ? ALL_LEVELS.filter((l) => S.note * l >= opts.minFont! - 1e-6) : ALL_LEVELS;
  const measure = opts.measure ?? approxMeasure;
  const words = opts.words ?? DEFAULT_WORDS;
  const W = opts.width;
  const M = S.margin;
  const gap = S.gap;

  const top = input.bones.filter((_, i) => i % 2 === 0);
  const bottom = input.bones.filter((_, i) => i % 2 === 1);
  const badges = input.badges ?? {};
  const anyBadge = input.bones.some((b) => badges[b.id]);
  const anyStack = pileMore || input.bones.some((b) => input.stacks?.[b.id]);

  // The head: the effect, in a fish-head shape at the right.
  // Wide enough for the head's longest word ("Partnership") at full size, within reason.
  const longest = Math.max(0, ...input.head.split(/\s+/).map((w) => measure(w, S.head, true)));
  const headW = Math.min(Math.max(W * 0.13, S.head * 6, (longest + gap * 2) / 0.8), W * 0.2, S.head * 11);
  const headTextW = headW * 0.8 - gap * 2;
  // Then shrink the words rather than break one across lines.
  const headFont = longest > headTextW ? Math.max(S.head * 0.6, (S.head * headTextW * 0.96) / longest) : S.head;
  const headLines = wrapText(input.head, Array(4).fill(headTextW), headFont, measure, true);
  const headLineH = headFont * 1.2;
  const headH = Math.max(headFont * 4, headLines.length * headLineH + gap * 4);

  const tailW = S.spine * 5;
  const x0 = M + tailW;
  const xEnd = W - M - headW - gap * 3;
  const stackH = S.badge * 1.6;
  const labelBoxH = S.label * 1.6 + (anyBadge ? S.badge * 1.4 : 0) + (anyStack ? stackH : 0);
  const labelBand = labelBoxH + gap;
  const innerPad = gap + S.spine / 2;
  const subH = S.sub * 1.35;

  const noteH = (level: number, lines = NOTE_LINES) => {
    const f = S.note * LEVELS[level];
    return Math.round(f * LINE * lines + f * PAD_Y * 2);
  };
  const minHalf = Math.max(labelBand + innerPad + noteH(0) + gap, headH / 2 + gap * 2);

  const fixedH = opts.height ?? null;
  const halfFixed = fixedH === null ? null : bottom.length ? (fixedH - 2 * M) / 2 : fixedH - 2 * M - headH / 2;
  const slant = halfFixed !== null ? Math.min(halfFixed * 0.3, W * 0.07) : W * 0.06;

  const whole = !!opts.whole;
  /** Where each note comes in the order given: whole mode keeps the earliest ones. */
  const priority = new Map(input.notes.map((n, i) => [n.id, i]));

  // Whole notes on a screen of fixed size: most rooms' boards plainly do not all fit (and the
  // search for whole notes costs far more than the usual layout), so a first estimate of the area
  // the notes' words need against the strips' area settles it: the usual previews, or (ranked)
  // straight to the layout that counts what is left out.
  if (opts.whole && !pileMore && fixedH !== null) {
    const font = S.note * LEVELS[0];
    const need = input.notes.reduce((a, n) => a + (measure(n.text, font) * 1.25 + font * 5) * font * LINE, 0);
    const room = (xEnd - x0 - slant) * Math.max(0, fixedH - 2 * M - 2 * (labelBand + innerPad)) * 0.6;
    if (need > room) return opts.whole === 'ranked' ? lay(input, opts, true) : lay(input, { ...opts, whole: undefined }, false);
  }

  const groupsOf = (bone: LayoutBone): Group[] => {
    const subIds = new Set(bone.subBones.map((s) => s.id));
    const mine = input.notes.filter((n) => n.boneId === bone.id);
    // Ranked whole notes in their order along the rib: sub-bones would cost a shelf each.
    if (opts.whole === 'ranked') return [{ sub: null, notes: mine }];
    const general = mine.filter((n) => !n.subBoneId || !subIds.has(n.subBoneId));
    const groups: Group[] = bone.subBones.map((s) => ({ sub: s, notes: mine.filter((n) => n.subBoneId === s.id) }));
    return general.length || !groups.length ? [{ sub: null, notes: general }, ...groups] : groups;
  };

  /** The widest word of a note, per unit of font size (measured once per note). */
  const wordEm = new Map<LayoutNote, number>();
  const widestWord = (groups: Group[], level: number) => {
    let em = 0;
    for (const g of groups)
      for (const n of g.notes) {
        let e = wordEm.get(n);
        if (e === undefined) wordEm.set(n, (e = Math.max(0, ...n.text.split(/\s+/).map((w) => measure(w, 100))) / 100));
        em = Math.max(em, e);
      }
    // With the note's padding (noteBox: half a font each side).
    return em ? (em + 1) * S.note * LEVELS[level] : 0;
  };

  /** Columns and note width for a row of a bone's strip, at a note level: never narrower than `word`. */
  const columns = (cellW: number, level: number, half: number, word = 0) => {
    const h = noteH(level);
    const usable = cellW - gap - S.clear - slant * (h / half);
    const min = Math.max(S.minNoteW * LEVELS[level], word);
    const cols = Math.max(1, Math.floor((usable + gap) / (min + gap)));
    const w = Math.min((usable - (cols - 1) * gap) / cols, Math.max(S.maxNoteW * LEVELS[level], word));
    return { cols, w: Math.max(w, 10) };
  };

  /** How many rows each group gets within `limit` (round robin when it is crowded). */
  const plan = (groups: Group[], level: number, cellW: number, half: number, limit: number): Plan => {
    const { cols } = columns(cellW, level, half, widestWord(groups, level));
    const rowH = noteH(level) + gap;
    const fixed = labelBand + innerPad + groups.filter((g) => g.sub).length * subH;
    const need = groups.map((g) => Math.ceil(g.notes.length / cols));
    const full = fixed + need.reduce((a, b) => a + b, 0) * rowH;
    if (full <= limit) return { level, cols, rows: need, height: full, fits: true };
    let avail = Math.max(0, Math.floor((limit - fixed) / rowH));
    const rows = groups.map(() => 0);
    for (let progress = true; avail > 0 && progress;) {
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

  const font0 = S.note * LEVELS[0];
  const wholeSizes = {
    font: font0,
    lineHeight: font0 * LINE,
    padX: font0 * 0.5,
    padY: font0 * PAD_Y,
    gap,
    // Narrow is fine while the words fit: a whole note is better than a hidden one.
    minW: font0 * 5,
    // A long note may take a wide box rather than many lines.
    maxW: S.maxNoteW * 1.6,
    measure,
    words,
    cache: wholeCache(),
  };
  /** Whole mode: the bone's notes in order, each whole, as many as fit (whole.ts). */
  const wholePlan = (groups: Group[], cellW: number, half: number, limit: number): Plan => {
    const w = planWhole(
      groups.map((g) => ({ shelf: !!g.sub, notes: g.notes })),
      { fixed: labelBand + innerPad, shelfH: subH, limit, usable: (h) => cellW - gap - S.clear - slant * (h / half), maxCols: 3 },
      wholeSizes,
    );
    return { level: 0, cols: w.cols, rows: [w.rows.length], height: w.height, fits: !w.hidden.length, whole: w };
  };

  /** Whole plans already made in this layout, by bone, width (in steps of 4 units) and half. */
  const wholeMemo = new Map<string, Plan>();

  /** A bone's plan in a strip of this width: in a fixed half, grown, or opened in full. */
  const planFor = (bone: LayoutBone, groups: Group[], cellW: number, fixedHalf: number | null): Plan => {
    if (whole) {
      // The search below tries many widths: plan each at a width rounded down (a plan that fits a
      // narrower strip fits this one), once.
      const stepW = Math.floor(cellW / 4) * 4;
      const key = `${bone.id}|${stepW}|${fixedHalf === null ? '' : Math.round(fixedHalf * 10)}`;
      let p = wholeMemo.get(key);
      if (!p) {
        const cap = input.expanded?.has(bone.id) ? Infinity : labelBand + innerPad + GROW_ROWS * (noteH(0) + gap);
        wholeMemo.set(key, (p = wholePlan(groups, stepW, fixedHalf ?? minHalf, fixedHalf ?? cap)));
      }
      return p;
    }
    if (fixedHalf !== null) return bestPlan(groups, cellW, fixedHalf, fixedHalf);
    if (input.expanded?.has(bone.id)) return plan(groups, 0, cellW, minHalf, Infinity);
    const cap = labelBand + innerPad + GROW_ROWS * (noteH(0) + gap) + bone.subBones.length * subH;
    return bestPlan(groups, cellW, minHalf, cap);
  };

  /**
   * Share a row's width (between the spine's tail and the head) among its bones so that as few
   * notes as possible are hidden and shrunk: try each mix of note columns per bone, give what is
   * left over by how busy each bone is, and keep the mix whose worst bone fares best.
   */
  const stripsOf = (row: LayoutBone[], groups: Group[][], fixedHalf: number | null) => {
    const span = xEnd - x0 - slant;
    const half = fixedHalf ?? minHalf;
    // A column is never narrower than the longest word on the bone (words are not broken).
    const colW = row.map((_, i) => Math.max(S.minNoteW, widestWord(groups[i], 0)));
    const widthFor = (cols: number, i: number) =>
      cols ? cols * colW[i] + (cols - 1) * gap + gap + S.clear + slant * (noteH(0) / half) + 1 : S.minNoteW * 0.6 + S.clear;
    // A bone with nothing on it yet may give up its column to a busy neighbour (it keeps room for its label).
    const bare = row.map((b, i) => !b.subBones.length && groups[i].every((g) => !g.notes.length));
    const demand = row.map((b, i) => Math.sqrt(3 + groups[i].reduce((a, g) => a + g.notes.length, 0) + 1.5 * b.subBones.length));
    const totalDemand = demand.reduce((a, b) => a + b, 0);
    const maxCols = Math.max(1, Math.min(4, Math.floor((span / Math.max(1, row.length) / S.minNoteW) * 2)));
    // (Assigned inside the walk below; the cast stops TypeScript narrowing it to null.)
    let best = null as { widths: number[]; cost: number[] } | null;
    const cols = row.map(() => 1);
    const consider = () => {
      const base = cols.map((c, i) => widthFor(c, i));
      const used = base.reduce((a, b) => a + b, 0);
      if (used > span && best) return;
      const scale = used > span ? span / used : 1;
      const spare = Math.max(0, span - used);
      evaluate(base.map((w, i) => w * scale + (spare * demand[i]) / totalDemand));
    };
    const evaluate = (widths: number[]) => {
      const plans = row.map((b, i) => planFor(b, groups[i], widths[i], fixedHalf));
      const hidden = plans.map((p, i) => hiddenBy(p, groups[i], !!opts.large));
      // Hiding 5 of a bone's 40 notes is better than 2 of another's 4: count shares, then notes.
      const shares = hidden.reduce(
        (a, h, i) =>
          a +
          h /
            Math.max(
              1,
              groups[i].reduce((n, g) => n + g.notes.length, 0),
            ),
        0,
      );
      const levels = plans.map((p) => p.level);
      // Whole mode: the first note left out as late in the order as possible, then the fewest left out.
      const firstOut = Math.min(Infinity, ...plans.flatMap((p) => (p.whole?.hidden ?? []).map((n) => priority.get(n.id) ?? Infinity)));
      const cost = [
        whole ? -Math.min(firstOut, 1e9) : Math.round(shares * 1000),
        hidden.reduce((a, b) => a + b, 0),
        Math.max(...levels),
        levels.reduce((a, b) => a + b, 0),
        Math.round(Math.max(...plans.map((p) => p.height))),
      ];
      if (!best || lexLess(cost, best.cost)) best = { widths, cost };
    };
    // Every mix of 1..maxCols columns per bone (at most 5^6 for the largest templates); 0 last, so a
    // bare bone keeps its column unless a busy one gains by it.
    const walk = (i: number) => {
      if (i === row.length) return consider();
      for (let c = 1; c <= maxCols + (bare[i] ? 1 : 0); c++) {
        cols[i] = c % (maxCols + 1);
        walk(i + 1);
      }
    };
    // Whole notes: any share of the row per bone (a bone whose notes come late may keep little more
    // than its label), so the notes that come first get the room they need.
    const least = S.minNoteW * 0.6 + S.clear;
    const shares = [1, 2, 3, 5, 8];
    const share = row.map(() => 1);
    const search = (i: number) => {
      if (i < row.length) {
        for (const s of shares) {
          share[i] = s;
          search(i + 1);
        }
        return;
      }
      const total = share.reduce((a, b) => a + b, 0);
      const free = Math.max(0, span - least * row.length);
      evaluate(share.map((s) => least + (free * s) / total));
    };
    if (row.length) (whole ? search : walk)(0);
    let at = x0;
    const strips = (best?.widths ?? []).map((width) => {
      const strip = { left: at, width };
      at += width;
      return strip;
    });
    return { strips, cost: best?.cost ?? [0, 0, 0, 0, 0] };
  };

  const topGroups = top.map(groupsOf);
  const bottomGroups = bottom.map(groupsOf);

  // On a fixed screen, a crowded row may borrow height from a quiet one (within 35-65 %).
  let fixedHalves: { top: number; bottom: number } | null = null;
  if (fixedH !== null && halfFixed !== null) {
    if (!bottom.length) fixedHalves = { top: halfFixed, bottom: fixedH - 2 * M - halfFixed };
    else {
      const avail = fixedH - 2 * M;
      // Try splits from even outwards; keep the first that hides and shrinks least.
      let best: { t: number; cost: number[] } | null = null;
      const shifts = whole
        ? [0, 0.05, -0.05, 0.1, -0.1, 0.15, -0.15]
        : [0, 0.025, -0.025, 0.05, -0.05, 0.075, -0.075, 0.1, -0.1, 0.125, -0.125, 0.15, -0.15];
      for (const shift of shifts) {
        const t = avail * (0.5 + shift);
        if (t < minHalf || avail - t < minHalf) continue;
        const a = stripsOf(top, topGroups, t).cost;
        const b = stripsOf(bottom, bottomGroups, avail - t).cost;
        const cost = [whole ? Math.max(a[0], b[0]) : a[0] + b[0], a[1] + b[1], Math.max(a[2], b[2]), a[3] + b[3]];
        if (!best || lexLess(cost, best.cost)) best = { t, cost };
        if (cost[1] === 0 && cost[2] === 0) break;
      }
      const t = best?.t ?? halfFixed;
      fixedHalves = { top: t, bottom: avail - t };
    }
  }

  const sides = [
    { side: 'top' as const, bones: top, groups: topGroups, strips: stripsOf(top, topGroups, fixedHalves?.top ?? null).strips },
    {
      side: 'bottom' as const,
      bones: bottom,
      groups: bottomGroups,
      strips: stripsOf(bottom, bottomGroups, fixedHalves?.bottom ?? null).strips,
    },
  ];

  // Decide each bone's plan, and (when growing) each half's height.
  const plans = new Map<string, { groups: Group[]; plan: Plan }>();
  const halves = { top: 0, bottom: 0 };
  for (const s of sides) {
    const fixedHalf = fixedHalves ? fixedHalves[s.side] : null;
    let half = fixedHalf ?? minHalf;
    for (const [i, bone] of s.bones.entries()) {
      const p = planFor(bone, s.groups[i], s.strips[i].width, fixedHalf);
      plans.set(bone.id, { groups: s.groups[i], plan: p });
      half = Math.max(half, p.height);
    }
    halves[s.side] = fixedHalf ?? (s.bones.length ? half : headH / 2 + gap * 2);
  }
  const spineY = M + halves.top;
  const H = fixedH ?? Math.ceil(spineY + halves.bottom + M);

  const bones: BoneLayout[] = [];
  for (const s of sides) {
    const half = halves[s.side];
    const sign = s.side === 'top' ? 1 : -1; // from the outer end towards the spine
    const outerY = spineY - sign * half;
    const t = (y: number) => (sign * (y - outerY)) / half;
    // Each label may use the room halfway to its neighbours' labels (the last one up to the edge).
    const ends = s.strips.map((st) => st.left + st.width + slant * (labelBoxH / half));
    const lastI = s.bones.length - 1;
    const rangeOf = (i: number) => ({
      lo: i === 0 ? M : (ends[i - 1] + ends[i]) / 2 + gap / 2,
      hi: i === lastI ? W - M : (ends[i] + ends[i + 1]) / 2 - gap / 2,
    });
    s.bones.forEach((bone, i) => {
      const { left, width: cellW } = s.strips[i];
      const leftX = (y: number) => left + slant * t(y);
      const ribX = (y: number) => leftX(y) + cellW;
      const { groups, plan: p } = plans.get(bone.id)!;
      const { w: noteW } = columns(cellW, p.level, half, widestWord(groups, p.level));
      const rowCount = p.rows.reduce((a, b) => a + b, 0);
      const lines =
        p.level === 0 && p.fits && rowCount > 0 && half - p.height >= rowCount * (noteH(0, ROOMY_LINES) - noteH(0))
          ? ROOMY_LINES
          : NOTE_LINES;
      const nh = noteH(p.level, lines);
      const rowH = nh + gap;
      const font = S.note * LEVELS[p.level];

      // The label box at the rib's outer end.
      const badge = badges[bone.id] || null;
      const { lo, hi } = rangeOf(i);
      const maxBoxW = Math.max(hi - lo, S.label * 3);
      // A long label first gets smaller type (to three quarters), then an ellipsis.
      const labelW = measure(bone.label, S.label, true);
      const labelFont = labelW + gap * 3 > maxBoxW ? Math.max(S.label * 0.75, (S.label * (maxBoxW - gap * 3)) / labelW) : S.label;
      const label = truncate(bone.label, maxBoxW - gap * 3, labelFont, measure, true);
      const pileText = p.whole?.hidden.length ? words.more(p.whole.hidden.length) : input.stacks?.[bone.id];
      const pile = pileText ? truncate(pileText, maxBoxW - gap * 3, S.badge, measure, true) : null;
      const widest = Math.max(
        measure(label, labelFont, true),
        badge ? measure(badge, S.badge) : 0,
        pile ? measure(pile, S.badge, true) : 0,
      );
      const boxW = Math.min(maxBoxW, widest + gap * 3);
      const innerLabelY = outerY + sign * labelBoxH;
      const boxX = Math.min(Math.max(ribX(innerLabelY) - boxW / 2, lo), hi - boxW);
      const box = { x: boxX, y: sign > 0 ? outerY : outerY - labelBoxH, w: boxW, h: labelBoxH };
      const rib = { x1: ribX(innerLabelY), y1: innerLabelY, x2: ribX(spineY), y2: spineY };
      const stack = pile ? { x: box.x, y: box.y + box.h - stackH, w: box.w, h: stackH, text: pile, font: S.badge } : null;

      const shelves: Shelf[] = [];
      const notes: NoteBox[] = [];
      const more: MoreBox[] = [];
      let hiddenCount = 0;
      let cursor = outerY + sign * labelBand;
      /** A sub-bone's branch and name over the block at `blockTop`; `orphan`: its notes that found no room. */
      const shelfAt = (sub: { id: string; label: string }, blockTop: number, orphan: number): Shelf => {
        const y = blockTop + subH - gap * 0.6;
        // Its label keeps the clear lane too (below the spine the neighbour's rib is nearer higher up).
        const x1 = Math.max(leftX(y), leftX(y - S.sub)) + S.clear;
        const x2 = ribX(y);
        // The label whole with "(+N more)", else whole with a short "+N", else cut.
        const long = orphan ? ` (${words.more(orphan)})` : '';
        const fits = (sfx: string) => measure(sub.label + sfx, S.sub, true) <= x2 - x1 - gap;
        const suffix = !orphan || fits(long) ? long : ` +${orphan}`;
        const room = x2 - x1 - gap - measure(suffix, S.sub);
        return {
          id: sub.id,
          x1,
          x2,
          y,
          label: truncate(sub.label, room, S.sub, measure, true) + suffix,
          full: sub.label,
          font: S.sub,
          more: orphan,
        };
      };
      if (p.whole) {
        // Whole notes, row by row in their order (under their sub-bone's shelf), each row against
        // the rib at its outer edge.
        const wp = p.whole;
        const blockH = wp.height - labelBand - innerPad;
        let y = sign > 0 ? cursor : cursor - blockH;
        const place = (inRow: number, c: number, h: number) => {
          const right = ribX(sign > 0 ? y : y + h) - gap;
          return { x: right - (inRow - c) * wp.w - (inRow - c - 1) * gap, y, w: wp.w, h };
        };
        let group = -1;
        const begin = (gi: number) => {
          for (group++; group <= gi; group++) {
            const sub = groups[group].sub;
            if (sub) {
              shelves.push(shelfAt(sub, y, 0));
              y += subH;
            }
          }
          group = gi;
        };
        for (const row of wp.rows) {
          if (row.group !== group) begin(row.group);
          row.notes.forEach((wn, c) => {
            const pl = pills(wn.note, { font: font0, measure, words });
            notes.push({
              ...place(row.notes.length, c, row.h),
              id: wn.note.id,
              boneId: bone.id,
              font: font0,
              lineHeight: font0 * LINE,
              padX: font0 * 0.5,
              padY: font0 * PAD_Y,
              lines: wn.lines,
              ...pl,
            });
          });
          y += row.h + gap;
        }
        // Sub-bones begun after the last row (empty ones, or whose first note had no room).
        if (wp.started - 1 > group) begin(wp.started - 1);
        hiddenCount = wp.hidden.length;
      }
      // Below the spine the stacking runs upwards, so reverse it to keep the reading order.
      const order = groups.map((_, gi) => gi);
      if (sign < 0) order.reverse();
      for (const gi of p.whole ? [] : order) {
        const g = groups[gi];
        const rows = p.rows[gi];
        const blockH = (g.sub ? subH : 0) + rows * rowH;
        const blockTop = sign > 0 ? cursor : cursor - blockH;
        cursor += sign * blockH;
        const capacity = rows * p.cols;
        const overflow = g.notes.length > capacity;
        // On the projector a sub-bone counts what it leaves out on its shelf ("Roles (+14 more)"),
        // so every slot holds a note; elsewhere the last slot is a "+N more" marker (a button on
        // the facilitator's page that opens the bone).
        const onShelf = !!g.sub && !!opts.large;
        const shown = !overflow ? g.notes.length : onShelf ? capacity : Math.max(0, capacity - 1);
        if (overflow) hiddenCount += g.notes.length - shown;
        if (g.sub) shelves.push(shelfAt(g.sub, blockTop, g.notes.length - shown));
        const rowsTop = blockTop + (g.sub ? subH : 0);
        const slots = overflow && rows > 0 && !onShelf ? capacity : shown;
        for (let slot = 0; slot < slots; slot++) {
          const r = Math.floor(slot / p.cols);
          const inRow = Math.min(p.cols, slots - r * p.cols);
          const c = slot % p.cols;
          const y = rowsTop + r * rowH;
          // The rib is nearest the strip at the row's outer edge; keep clear of it there.
          const outerEdge = sign > 0 ? y : y + nh;
          const right = ribX(outerEdge) - gap;
          const x = right - (inRow - c) * noteW - (inRow - c - 1) * gap;
          if (overflow && !onShelf && slot === slots - 1) {
            const count = g.notes.length - shown;
            more.push({ x, y, w: noteW, h: nh, boneId: bone.id, subBoneId: g.sub?.id ?? null, count, text: words.more(count), font });
          } else notes.push(noteBox(g.notes[slot], bone.id, { x, y, w: noteW, h: nh }, font, lines, measure, words));
        }
      }
      // The strip's band: from the label to the spine, its right edge on the rib, its left edge
      // halfway into the clear lane so white separates it from the neighbour.
      const bandIn = S.clear * 0.45;
      const bandEnd = spineY - (sign * S.spine) / 2;
      const band =
        [
          [leftX(innerLabelY) + bandIn, innerLabelY],
          [ribX(innerLabelY), innerLabelY],
          [ribX(bandEnd), bandEnd],
          [leftX(bandEnd) + bandIn, bandEnd],
        ]
          .map(([x, y], k) => `${k ? 'L' : 'M'}${round(x)},${round(y)}`)
          .join(' ') + ' Z';
      bones.push({
        id: bone.id,
        side: s.side,
        label,
        labelFont,
        full: bone.label,
        badge,
        box,
        rib,
        band,
        shelves,
        notes,
        more,
        stack,
        hiddenCount,
      });
    });
  }

  const head = fishHead(W - M, spineY, headW, headH, { lines: headLines, font: headFont, lineHeight: headLineH });
  const fin = S.spine * 2.6;
  const tail = `M${x0},${spineY} L${M},${spineY - fin} L${M + tailW * 0.35},${spineY} L${M},${spineY + fin} Z`;
  return {
    width: W,
    height: H,
    spine: { x1: M + tailW * 0.3, x2: head.x + 2, y: spineY, stroke: S.spine },
    tail,
    head,
    bones,
    fonts: { label: S.label, badge: S.badge, sub: S.sub },
    ribStroke: S.rib,
  };
}

/** Notes a plan leaves out (a crowded group shows a marker in its last slot, or on the projector a sub-bone its count on its shelf). */
function hiddenBy(p: Plan, groups: Group[], large: boolean): number {
  if (p.whole) return p.whole.hidden.length;
  return groups.reduce((sum, g, i) => {
    const capacity = p.rows[i] * p.cols;
    return sum + (g.notes.length > capacity ? g.notes.length - (g.sub && large ? capacity : Math.max(0, capacity - 1)) : 0);
  }, 0);
}

const round = (x: number) => Math.round(x * 10) / 10;

const lexLess = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
};

function noteBox(n: LayoutNote, boneId: string, b: Box, font: number, lineCount: number, measure: Measure, words: LayoutWords): NoteBox {
  const padX = font * 0.5;
  const padY = font * PAD_Y;
  const lineHeight = font * LINE;
  const small = font * 0.8;
  const raised = n.raisedBy > 1 ? words.raised(n.raisedBy) : null;
  const raisedW = raised ? measure(raised, small, true) + small : 0;
  const dots = n.dots != null ? words.dots(n.dots) : null;
  const dotsW = dots ? measure(dots, small, true) + small * 1.6 : 0;
  const inner = b.w - padX * 2;
  const widths = Array.from({ length: lineCount }, (_, i) => inner - (i === 0 ? raisedW : 0) - (i === lineCount - 1 ? dotsW : 0));
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
