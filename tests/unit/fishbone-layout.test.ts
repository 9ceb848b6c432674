import { describe, expect, it } from 'vitest';
import { layoutFishbone, type Box, type FishboneLayout, type LayoutInput, type LayoutNote } from '../../shared/fishbone/layout.ts';
import { approxMeasure, wrapText } from '../../shared/fishbone/text.ts';
import { barriers } from '../../shared/templates/barriers.ts';
import { awayDayNotes, DOTS } from '../support/away-day-notes.ts';

const bones = barriers.bones;
const note = (
  i: number,
  boneId: string,
  subBoneId: string | null = null,
  text = `Barrier number ${i} that someone raised`,
): LayoutNote => ({
  id: `n${i}`,
  boneId,
  subBoneId,
  text,
  raisedBy: 1,
});

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function allBoxes(l: FishboneLayout): Box[] {
  return l.bones.flatMap((b) => [...b.notes, ...b.more, b.box]);
}

/** `scale`: how much larger than the usual sizes the layout draws (a minimum text size grows it all). */
function expectTidy(l: FishboneLayout, scale = 1) {
  const boxes = allBoxes(l);
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.y).toBeGreaterThanOrEqual(0);
    expect(b.x + b.w).toBeLessThanOrEqual(l.width);
    expect(b.y + b.h).toBeLessThanOrEqual(l.height);
    for (let j = i + 1; j < boxes.length; j++) expect(overlaps(b, boxes[j]), `boxes ${i} and ${j} overlap`).toBe(false);
  }
  expectOwnRib(l, scale);
  // No note crosses its own rib or the spine.
  for (const bone of l.bones) {
    const { x1, y1, x2, y2 } = bone.rib;
    const ribX = (y: number) => x1 + ((x2 - x1) * (y - y1)) / (y2 - y1);
    for (const n of [...bone.notes, ...bone.more]) {
      expect(overlaps(n, l.head)).toBe(false);
      const nearest = bone.side === 'top' ? n.y : n.y + n.h;
      expect(n.x + n.w).toBeLessThanOrEqual(ribX(nearest) + 0.001);
      if (bone.side === 'top') expect(n.y + n.h).toBeLessThan(l.spine.y);
      else expect(n.y).toBeGreaterThan(l.spine.y);
    }
  }
}

/** Horizontal distance from a box to a rib over the height they share (null: they share none). */
function ribDistance(b: Box, rib: FishboneLayout['bones'][number]['rib']): number | null {
  const lo = Math.max(b.y, Math.min(rib.y1, rib.y2));
  const hi = Math.min(b.y + b.h, Math.max(rib.y1, rib.y2));
  if (lo > hi) return null;
  const ribX = (y: number) => rib.x1 + ((rib.x2 - rib.x1) * (y - rib.y1)) / (rib.y2 - rib.y1);
  const gapAt = (y: number) => {
    const x = ribX(y);
    return x < b.x ? b.x - x : x > b.x + b.w ? x - b.x - b.w : 0;
  };
  // The rib is straight, so it comes nearest at one end of the shared height.
  return Math.min(gapAt(lo), gapAt(hi));
}

/**
 * Notes must not look like the neighbour's from the back of a room: each row of a bone's notes
 * hugs its own rib and is clearly farther from any other rib, and no note comes near another
 * bone's rib. Branch labels keep the same clear lane.
 */
function expectOwnRib(l: FishboneLayout, scale = 1) {
  for (const bone of l.bones) {
    const boxes = [...bone.notes, ...bone.more];
    for (const n of boxes) {
      for (const other of l.bones) {
        const d = other === bone ? null : ribDistance(n, other.rib);
        if (d !== null) expect(d, `${bone.id} note vs ${other.id} rib`).toBeGreaterThanOrEqual(20 * scale);
      }
    }
    const rows = new Map<number, Box[]>();
    for (const n of boxes) rows.set(Math.round(n.y), [...(rows.get(Math.round(n.y)) ?? []), n]);
    for (const row of rows.values()) {
      const x = Math.min(...row.map((n) => n.x));
      const block = { x, y: row[0].y, w: Math.max(...row.map((n) => n.x + n.w)) - x, h: row[0].h };
      const own = ribDistance(block, bone.rib);
      expect(own).not.toBeNull();
      expect(own!).toBeLessThanOrEqual(12 * scale);
      for (const other of l.bones) {
        const d = other === bone ? null : ribDistance(block, other.rib);
        if (d !== null) expect(d, `${bone.id} row vs ${other.id} rib`).toBeGreaterThanOrEqual(Math.max(2 * own!, own! + 12 * scale));
      }
    }
    for (const shelf of bone.shelves) {
      for (const other of l.bones) {
        if (other === bone) continue;
        const d = ribDistance({ x: shelf.x1, y: shelf.y - shelf.font, w: shelf.x2 - shelf.x1, h: shelf.font }, other.rib);
        if (d !== null) expect(d, `${shelf.id} branch vs ${other.id} rib`).toBeGreaterThanOrEqual(20 * scale);
      }
    }
    // The strip's band runs up to its own rib, and stays clear of the one at its left.
    const corners = [...bone.band.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    expect(corners).toHaveLength(4);
    const { x1, y1, x2, y2 } = bone.rib;
    const ribX = (y: number) => x1 + ((x2 - x1) * (y - y1)) / (y2 - y1);
    for (const c of corners.slice(1, 3)) expect(Math.abs(c.x - ribX(c.y))).toBeLessThan(0.2);
    for (const other of l.bones) {
      if (other === bone || other.side !== bone.side) continue;
      for (const c of [corners[0], corners[3]]) {
        const d = ribDistance({ x: c.x, y: c.y, w: 0, h: 0 }, other.rib);
        if (d !== null) expect(d).toBeGreaterThan(6);
      }
    }
  }
}

const base = (notes: LayoutNote[], extra: Partial<LayoutInput> = {}): LayoutInput => ({ head: barriers.head, bones, notes, ...extra });

describe('fishbone layout', () => {
  it('puts the head at the right and alternates bones above and below the spine', () => {
    const l = layoutFishbone(base([]), { width: 1200 });
    expect(l.head.x + l.head.w).toBeLessThanOrEqual(1200);
    expect(l.head.x).toBeGreaterThan(1200 * 0.7);
    expect(l.bones.map((b) => b.side)).toEqual(['top', 'top', 'top', 'bottom', 'bottom']);
    expect(l.bones.map((b) => b.id)).toEqual(['people', 'processes', 'environment', 'structures', 'resources']);
    for (const b of l.bones) {
      // Ribs slant towards the head and meet the spine.
      expect(b.rib.x2).toBeGreaterThan(b.rib.x1);
      expect(b.rib.y2).toBe(l.spine.y);
      expect(b.rib.x2).toBeLessThan(l.head.x);
    }
    // The head's words are never broken ("Partnership" stays whole), however narrow the drawing.
    for (const width of [900, 1000, 1200, 1600]) {
      for (const large of [false, true]) {
        const h = layoutFishbone(base([]), { width, large, height: large ? width * 0.5 : null }).head;
        expect(h.lines.join(' ')).toBe(barriers.head);
      }
    }
    // Sub-bones are drawn as labelled branches even without notes.
    expect(l.bones.find((b) => b.id === 'people')!.shelves.map((s) => s.label)).toEqual(['Roles', 'Behaviour', 'Skills']);
  });

  it('places a handful of notes per bone without overlap, each under its own sub-bone', () => {
    const notes: LayoutNote[] = [];
    let i = 0;
    for (const b of bones) {
      for (let k = 0; k < 5; k++) notes.push(note(i++, b.id, b.subBones.length ? b.subBones[k % b.subBones.length].id : null));
    }
    for (const opts of [{ width: 1200 }, { width: 1600, height: 800, large: true }]) {
      const l = layoutFishbone(base(notes), opts);
      expectTidy(l);
      expect(l.bones.reduce((a, b) => a + b.notes.length + b.hiddenCount, 0)).toBe(25);
      const people = l.bones.find((b) => b.id === 'people')!;
      const roles = people.shelves.find((s) => s.id === 'roles')!;
      const behaviour = people.shelves.find((s) => s.id === 'behaviour')!;
      for (const n of people.notes.filter((n) => notes.find((x) => x.id === n.id)!.subBoneId === 'roles')) {
        expect(n.y).toBeGreaterThan(roles.y);
        expect(n.y).toBeLessThan(behaviour.y);
      }
    }
  });

  it('keeps a crowded bone readable on a fixed-size screen: smaller notes, then "+N more"', () => {
    const notes = Array.from({ length: 40 }, (_, i) => note(i, 'structures'));
    const l = layoutFishbone(base(notes), { width: 1600, height: 800, large: true });
    expectTidy(l);
    const s = l.bones.find((b) => b.id === 'structures')!;
    expect(s.more).toHaveLength(1);
    expect(s.notes.length + s.more[0].count).toBe(40);
    expect(s.hiddenCount).toBe(s.more[0].count);
    expect(s.more[0].text).toBe(`+${s.more[0].count} more`);
    // The notes shrank before giving up, but not below a readable size.
    expect(s.notes[0].font).toBeLessThan(18);
    expect(s.notes[0].font).toBeGreaterThanOrEqual(12);
    // The first notes (in display order) are the ones kept.
    expect(s.notes.map((n) => n.id)).toEqual(notes.slice(0, s.notes.length).map((n) => n.id));
  });

  it('grows taller instead when the height is free, and shows a whole bone once expanded', () => {
    const few = layoutFishbone(base([note(1, 'structures')]), { width: 1200 });
    const many = Array.from({ length: 40 }, (_, i) => note(i, 'structures'));
    const grown = layoutFishbone(base(many), { width: 1200 });
    expect(grown.height).toBeGreaterThan(few.height);
    expectTidy(grown);
    const open = layoutFishbone(base(many, { expanded: new Set(['structures']) }), { width: 1200 });
    expectTidy(open);
    const s = open.bones.find((b) => b.id === 'structures')!;
    expect(s.more).toHaveLength(0);
    expect(s.notes).toHaveLength(40);
  });

  it('spreads a crowded bone over its sub-bones, each keeping a row', () => {
    const notes = [
      ...Array.from({ length: 30 }, (_, i) => note(i, 'resources', 'money')),
      note(100, 'resources', 'information'),
      note(101, 'resources', 'time'),
    ];
    const l = layoutFishbone(base(notes), { width: 1600, height: 800, large: true });
    expectTidy(l);
    const r = l.bones.find((b) => b.id === 'resources')!;
    const ids = r.notes.map((n) => n.id);
    expect(ids).toContain('n100');
    expect(ids).toContain('n101');
    // On the projector the crowded sub-bone counts the rest on its branch, every slot a note.
    expect(r.more).toEqual([]);
    const money = r.shelves.find((s) => s.id === 'money')!;
    expect(money.more).toBe(30 - r.notes.filter((n) => n.id !== 'n100' && n.id !== 'n101').length);
    expect(money.label).toMatch(/^Money \(\+\d+ more\)$/);
    // On the facilitator's page the last slot is the marker that opens the bone.
    const many = Array.from({ length: 80 }, (_, i) => note(i, 'resources', 'money'));
    const page = layoutFishbone(base(many), { width: 1000 });
    expect(page.bones.find((b) => b.id === 'resources')!.more.map((m) => m.subBoneId)).toEqual(['money']);
    // Squeezed harder, a sub-bone without a row carries its count on its branch.
    const tight = layoutFishbone(base(notes), { width: 1600, height: 460, large: true });
    expectTidy(tight);
    const t = tight.bones.find((b) => b.id === 'resources')!;
    const drawn = t.notes.length + t.more.reduce((a, m) => a + m.count, 0) + t.shelves.reduce((a, s) => a + s.more, 0);
    expect(drawn).toBe(32);
    expect(t.shelves.find((s) => s.id === 'time')!.label).toMatch(/\(\+1 more\)$/);
  });

  it('shows the ×N badge and the dots, and labels each bone with its badge', () => {
    const notes = [{ ...note(1, 'people'), raisedBy: 4, dots: 12 }];
    const l = layoutFishbone(base(notes, { badges: { people: '38% of dots' } }), { width: 1200 });
    const n = l.bones[0].notes[0];
    expect(n.raised).toBe('×4');
    expect(n.dots).toBe('12');
    expect(l.bones[0].badge).toBe('38% of dots');
    expect(l.bones[1].badge).toBeNull();
  });

  it('draws hidden notes as one face-down pile per bone, and keeps the reading order below the spine', () => {
    const notes = [note(1, 'resources', 'money'), note(2, 'resources', 'time'), note(3, 'resources', null)];
    const l = layoutFishbone(base(notes, { stacks: { resources: '7 notes so far', people: '2 notes so far' } }), {
      width: 1600,
      height: 900,
      large: true,
    });
    expectTidy(l);
    const r = l.bones.find((b) => b.id === 'resources')!;
    expect(r.side).toBe('bottom');
    expect(r.stack?.text).toBe('7 notes so far');
    expect(l.bones.find((b) => b.id === 'processes')!.stack).toBeNull();
    // Top to bottom: notes on the bone itself, then Money, Information, Time.
    const y = (id: string) => r.notes.find((n) => n.id === id)!.y;
    const shelf = (id: string) => r.shelves.find((s) => s.id === id)!.y;
    expect(y('n3')).toBeLessThan(shelf('money'));
    expect(shelf('money')).toBeLessThan(shelf('information'));
    expect(shelf('information')).toBeLessThan(shelf('time'));
    expect(y('n2')).toBeGreaterThan(shelf('time'));
    // The pile sits in the foot of the label, costing no row of notes.
    expect(r.stack!.y + r.stack!.h).toBe(r.box.y + r.box.h);
    expect(r.stack!.w).toBe(r.box.w);
    // A pile on every bone still overlaps no label, note or other pile, at either size.
    const everywhere = { stacks: Object.fromEntries(bones.map((b) => [b.id, '17 notes so far'])) };
    for (const opts of [
      { width: 1200 },
      { width: 1000 },
      { width: 1600, height: 800, large: true },
      { width: 1100, height: 700, large: true },
    ]) {
      const all = layoutFishbone(base(notes, everywhere), opts);
      expectTidy(all);
      expect(all.bones.every((b) => b.stack)).toBe(true);
    }
  });

  it('keeps notes off the neighbouring rib with 0, a few and ~30 notes on a bone', () => {
    const few = bones.flatMap((b, k) =>
      [0, 1, 2].map((j) => note(k * 10 + j, b.id, b.subBones.length ? b.subBones[j % b.subBones.length].id : null)),
    );
    const crowded = [...few, ...Array.from({ length: 30 }, (_, i) => note(100 + i, 'processes'))];
    for (const notes of [[], few, crowded]) {
      for (const opts of [
        { width: 960 },
        { width: 1200 },
        { width: 1600 },
        { width: 1600, height: 800, large: true },
        { width: 1100, height: 560, large: true },
      ]) {
        const l = layoutFishbone(base(notes), opts);
        expectTidy(l);
        // Sub-bone labels start well clear of the rib at their left ("Money" by Structures).
        const resources = l.bones.find((b) => b.id === 'resources')!;
        const structures = l.bones.find((b) => b.id === 'structures')!;
        for (const s of resources.shelves) {
          const ribX =
            structures.rib.x1 +
            ((structures.rib.x2 - structures.rib.x1) * (s.y - structures.rib.y1)) / (structures.rib.y2 - structures.rib.y1);
          expect(s.x1 - ribX).toBeGreaterThanOrEqual(20);
        }
      }
    }
  });

  it('lets a bare bone give up width to a crowded neighbour', () => {
    const notes = Array.from({ length: 30 }, (_, i) => note(i, 'processes'));
    const l = layoutFishbone(base(notes), { width: 960 });
    const [people, processes, environment] = l.bones;
    expect(processes.rib.x2 - people.rib.x2).toBeGreaterThan(environment.rib.x2 - processes.rib.x2);
    expect(new Set(processes.notes.map((n) => Math.round(n.x))).size).toBeGreaterThan(1);
  });

  it('gives a busier bone a wider strip', () => {
    const notes = Array.from({ length: 12 }, (_, i) => note(i, 'processes'));
    const l = layoutFishbone(base(notes), { width: 1600, height: 800, large: true });
    const width = (id: string) => {
      const b = l.bones.find((x) => x.id === id)!;
      return b.rib.x2;
    };
    // Processes (busy) pushes Environment's rib further right than an even split would.
    const even = layoutFishbone(base([]), { width: 1600, height: 800, large: true });
    expect(width('processes') - width('people')).toBeGreaterThan(even.bones[1].rib.x2 - even.bones[0].rib.x2);
  });

  it('copes with no bones, one bone and twelve bones', () => {
    expect(layoutFishbone({ head: 'Effect', bones: [], notes: [] }, { width: 1000 }).bones).toHaveLength(0);
    const one = layoutFishbone(
      { head: 'Effect', bones: [{ id: 'a', label: 'A', subBones: [] }], notes: [note(1, 'a')] },
      { width: 1000, height: 500, large: true },
    );
    expectTidy(one);
    const twelve = Array.from({ length: 12 }, (_, i) => ({ id: `b${i}`, label: `A rather long bone label ${i}`, subBones: [] }));
    const l = layoutFishbone(
      { head: 'Effect', bones: twelve, notes: twelve.flatMap((b, i) => [note(i * 2, b.id), note(i * 2 + 1, b.id)]) },
      { width: 1200 },
    );
    expectTidy(l);
    for (const b of l.bones) expect(b.box.w).toBeLessThanOrEqual(1200);
  });
});

describe('wrapping note text', () => {
  it('wraps on words and cuts what does not fit with an ellipsis', () => {
    const long = 'Short-term political timescales and funding make every partnership plan fragile and every pilot a one-off';
    const lines = wrapText(long, [150, 150, 150], 14, approxMeasure);
    expect(lines).toHaveLength(3);
    expect(lines[2].endsWith('…')).toBe(true);
    for (const line of lines) expect(approxMeasure(line, 14)).toBeLessThanOrEqual(150);
    expect(wrapText('Wrong partners', [150, 150, 150], 14, approxMeasure)).toEqual(['Wrong partners']);
  });

  it('never breaks a word inside it: after a hyphen at most, and a word wider than any line is cut, not split', () => {
    const words = (lines: string[]) => lines.join(' ').replace(/- /g, '-').split(' ');
    const hyphen = wrapText('Information-sharing agreements take months', [90, 90, 90, 90], 14, approxMeasure);
    expect(hyphen[0]).toBe('Information-');
    expect(words(hyphen)).toEqual(['Information-sharing', 'agreements', 'take', 'months']);
    const long = wrapText('Interprofessionalmistrusteverywhereandalways in the room', [80, 80, 80], 14, approxMeasure);
    expect(long[0]).toMatch(/^Interprof\w*…$/);
    expect(long.slice(1).join(' ')).toBe('in the room');
    for (const line of long) expect(approxMeasure(line, 14)).toBeLessThanOrEqual(80);
    // Counting lines for a browser that wraps anywhere, the word is split as the browser would.
    const split = wrapText('Interprofessionalmistrusteverywhereandalways', [80, 80, 80, 80, 80], 14, approxMeasure, false, 'split');
    expect(split.length).toBeGreaterThan(1);
    expect(split.join('')).toBe('Interprofessionalmistrusteverywhereandalways');
  });

  it('makes notes wide enough for their longest word, so no word is cut or split on a crowded projector', () => {
    const long = ['Accountability', 'Commissioning', 'Information-sharing', 'Safeguarding'];
    const many = Array.from({ length: 150 }, (_, i) => {
      const bone = bones[i % bones.length];
      return note(i, bone.id, null, `${long[i % long.length]} ${'arrangements between agencies '.repeat(1 + (i % 4))}`.trim());
    });
    // The projector's board at 1280×720 in drawing units (a 16 px minimum is 24 units there).
    const l = layoutFishbone({ head: barriers.head, bones, notes: many }, { width: 1490, height: 800, large: true, minFont: 24 });
    const drawn = l.bones.flatMap((b) => b.notes);
    expect(drawn.length).toBeGreaterThan(0);
    const all = new Set(many.flatMap((n) => n.text.split(' ')).flatMap((w) => [w, ...w.split(/(?<=-)/)]));
    for (const n of drawn)
      for (const word of n.lines.join(' ').split(' ')) expect(all.has(word) || /…$/.test(word), `'${word}' in ${n.id}`).toBe(true);
    // Only the last line may end cut (the note is longer than it): no word is cut on its own.
    for (const n of drawn) for (const line of n.lines.slice(0, -1)) expect(line).not.toMatch(/…/);
  });
});

describe('a minimum text size (the projector)', () => {
  it('never draws a note, label or marker smaller, and keeps the diagram tidy with 150 notes', () => {
    const many = Array.from({ length: 150 }, (_, i) => {
      const bone = bones[i % bones.length];
      const sub = bone.subBones.length ? bone.subBones[i % bone.subBones.length].id : null;
      return note(i, bone.id, i % 3 ? sub : null, `Barrier ${i}: ${'words that a room writes '.repeat(1 + (i % 9))}`.slice(0, 280));
    });
    for (const minFont of [22, 30]) {
      const l = layoutFishbone(
        { head: 'Partnership doesn’t work', bones, notes: many },
        { width: 1500, height: 820, large: true, minFont },
      );
      expectTidy(l, minFont / 19);
      const drawn = l.bones.flatMap((b) => b.notes);
      expect(drawn.length).toBeGreaterThan(0);
      for (const n of drawn) expect(n.font).toBeGreaterThanOrEqual(minFont - 1e-9);
      for (const m of l.bones.flatMap((b) => b.more)) expect(m.font).toBeGreaterThanOrEqual(minFont - 1e-9);
      for (const s of l.bones.flatMap((b) => b.shelves)) expect(s.font).toBeGreaterThanOrEqual(minFont - 1e-9);
      for (const b of l.bones) expect(b.labelFont).toBeGreaterThanOrEqual(minFont - 1e-9);
      // Every note is drawn or counted behind a marker.
      const counted = l.bones.reduce((a, b) => a + b.notes.length + b.hiddenCount, 0);
      expect(counted).toBe(150);
    }
  });
});

describe('whole notes (issue 24)', () => {
  /** The away-day's 42 notes with dots, in the ranking's order (tests/support/away-day-notes.ts). */
  const ranked = (): LayoutNote[] => {
    const all = awayDayNotes();
    return [...DOTS].sort((a, b) => b[1] - a[1]).map(([i, dots]) => ({ id: `n${i}`, ...all[i], raisedBy: 1, dots }));
  };
  const joined = (lines: string[]) => lines.reduce((a, l) => (/[-‐–—/]$/.test(a) ? a + l : a ? `${a} ${l}` : l), '');
  const badges = Object.fromEntries(bones.map((b) => [b.id, '34% of dots']));

  // The projector's diagram after the reveal, in drawing units: the same at 1920×1080 and
  // 1280×720 (the page scales with the screen), its minimum text (24 px or 16 px) 23.9 units.
  const [width, height] = [1184, 878];
  {
    it(`after the reveal (${width}×${height} units): the top five whole, in the ranking's order per bone, the rest counted`, () => {
      const notes = ranked();
      const l = layoutFishbone(base(notes, { badges }), { width, height, large: true, minFont: 23.9, whole: 'ranked' });
      expectTidy(l, 23.9 / 19);
      const drawn = l.bones.flatMap((b) => b.notes);
      for (const n of drawn) expect(joined(n.lines), n.id).toBe(notes.find((x) => x.id === n.id)!.text);
      for (const top of notes.slice(0, 5))
        expect(
          drawn.map((d) => d.id),
          top.text,
        ).toContain(top.id);
      for (const bone of l.bones) {
        const mine = notes.filter((n) => n.boneId === bone.id);
        // A bone shows its first notes in order, and never a later one while an earlier is left out.
        expect(bone.notes.map((n) => n.id).sort()).toEqual(
          mine
            .slice(0, bone.notes.length)
            .map((n) => n.id)
            .sort(),
        );
        expect(bone.hiddenCount).toBe(mine.length - bone.notes.length);
        expect(bone.more).toEqual([]);
        expect(bone.stack?.text ?? '').toBe(bone.hiddenCount ? `+${bone.hiddenCount} more` : '');
        for (const n of bone.notes) expect(n.font).toBeGreaterThanOrEqual(23.9 - 1e-6);
      }
    });
  }

  it('whole when every note fits, under its sub-bone; the usual previews when they do not', () => {
    const few = [note(1, 'people', 'roles', 'Consultants chair every meeting'), note(2, 'resources', 'money', 'Different funding cycles')];
    const l = layoutFishbone(base(few), { width: 1184, height: 878, large: true, minFont: 23.9, whole: 'if-all-fit' });
    expectTidy(l, 23.9 / 19);
    expect(l.bones.flatMap((b) => b.notes.map((n) => joined(n.lines))).sort()).toEqual([
      'Consultants chair every meeting',
      'Different funding cycles',
    ]);
    expect(l.bones.find((b) => b.id === 'people')!.shelves.map((s) => s.id)).toEqual(['roles', 'behaviour', 'skills']);
    const all = awayDayNotes().map((n, i) => ({ id: `n${i}`, ...n, raisedBy: 1 }));
    const crowded = layoutFishbone(base(all), { width: 1184, height: 878, large: true, minFont: 23.9, whole: 'if-all-fit' });
    expect(crowded.bones.reduce((a, b) => a + b.hiddenCount, 0)).toBeGreaterThan(0);
    expect(crowded.bones.flatMap((b) => b.notes).length).toBeGreaterThan(5);
  });
});
