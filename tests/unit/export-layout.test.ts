import { Resvg } from '@resvg/resvg-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  exportMeasure,
  layoutBonePicture,
  layoutExportFishbone,
  wrapWords,
  type ExportBone,
  type ExportLayout,
} from '../../shared/fishbone/export-layout.ts';
import type { Box, LayoutNote } from '../../shared/fishbone/types.ts';
import { barriers } from '../../shared/templates/barriers.ts';
import { sixM } from '../../shared/templates/six-m.ts';

/**
 * The pictures for files and paper keep every word: each note's lines put back together are its
 * text, no line is wider than its note, nothing overlaps, and the drawing grows to make room.
 */

const LONG =
  'Systems and care records are not shared between the hospital trust, the council and the housing associations, so every referral starts again from scratch, people tell their story five times, and nobody can see the whole picture of what anyone needs from the partnership.';
const WORDY = 'Antidisestablishmentarianism and https://example.org/partnership-board-papers';

const note = (i: number, boneId: string, text: string, extra: Partial<LayoutNote> = {}): LayoutNote => ({
  id: `n${i}`,
  boneId,
  subBoneId: null,
  text,
  raisedBy: 1,
  ...extra,
});

/** A busy board: catalogue texts, long notes, long words, badges and dots on every bone. */
function busy(count: number): LayoutNote[] {
  const cat = barriers.catalogue;
  return Array.from({ length: count }, (_, i) => {
    const c = cat[i % cat.length];
    const text = i % 7 === 0 ? LONG : i % 11 === 0 ? WORDY : c.text;
    return note(i, c.boneId, text, { subBoneId: c.subBoneId, raisedBy: i % 5 === 0 ? 3 : 1, dots: i % 3 ? i % 9 : null });
  });
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w - 0.01 && b.x < a.x + a.w - 0.01 && a.y < b.y + b.h - 0.01 && b.y < a.y + a.h - 0.01;
const norm = (s: string) => s.trim().split(/\s+/).join(' ');

function expectWhole(bones: ExportBone[], notes: LayoutNote[], width: number, height: number) {
  const byId = new Map(notes.map((n) => [n.id, n]));
  const drawn = bones.flatMap((b) => b.notes);
  expect(drawn.map((n) => n.id).sort()).toEqual(notes.map((n) => n.id).sort());
  for (const b of drawn) {
    // Every word, in order, nothing cut or split.
    expect(b.lines.filter(Boolean).join(' ')).toBe(norm(byId.get(b.id)!.text));
    expect(b.lines.join(' ')).not.toContain('…');
    const inner = b.w - b.padX * 2;
    b.lines.forEach((line, i) => {
      const room = inner - (i === 0 ? b.raisedW : 0);
      expect(exportMeasure(line, b.font), `"${line}" in a note ${b.w} wide`).toBeLessThanOrEqual(room + 0.01);
    });
    // The text's lines fit the note's height.
    expect(b.lines.length * b.lineHeight + b.padY * 2).toBeLessThanOrEqual(b.h + 0.5);
  }
  const boxes = [...drawn, ...bones.map((b) => b.box)];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(a.x + a.w).toBeLessThanOrEqual(width + 0.01);
    expect(a.y + a.h).toBeLessThanOrEqual(height + 0.01);
    for (let j = i + 1; j < boxes.length; j++) expect(overlaps(a, boxes[j]), `boxes ${i} and ${j} overlap`).toBe(false);
  }
}

function expectOffRibs(l: ExportLayout) {
  for (const bone of l.bones) {
    const { x1, y1, x2, y2 } = bone.rib;
    const ribX = (y: number) => x1 + ((x2 - x1) * (y - y1)) / (y2 - y1);
    for (const n of bone.notes) {
      // Left of its own rib all the way down, and on its own side of the spine, clear of the head.
      expect(n.x + n.w).toBeLessThanOrEqual(Math.min(ribX(n.y), ribX(n.y + n.h)) + 0.01);
      if (bone.side === 'top') expect(n.y + n.h).toBeLessThan(l.spine.y);
      else expect(n.y).toBeGreaterThan(l.spine.y);
      expect(overlaps(n, l.head)).toBe(false);
      // Right of every other rib on its side.
      for (const other of l.bones) {
        if (other === bone || other.side !== bone.side || other.rib.x1 > bone.rib.x1) continue;
        const oX = (y: number) => other.rib.x1 + ((other.rib.x2 - other.rib.x1) * (y - other.rib.y1)) / (other.rib.y2 - other.rib.y1);
        expect(n.x).toBeGreaterThan(Math.max(oX(n.y), oX(n.y + n.h)) + 10);
      }
    }
  }
}

describe('the fishbone for files and paper', () => {
  it('shows every note of a busy board whole, without overlaps, off the ribs', () => {
    const notes = busy(120);
    const l = layoutExportFishbone(
      { head: barriers.head, bones: barriers.bones, notes },
      { width: 1600, grow: { aspect: 0.75, maxWidth: 4000 } },
    );
    expectWhole(l.bones, notes, l.width, l.height);
    expectOffRibs(l);
    // It grew wider rather than into a long strip, within the limit.
    expect(l.width).toBeGreaterThan(1600);
    expect(l.width).toBeLessThanOrEqual(4000);
    // One note size everywhere: nothing shrinks to fit.
    expect(new Set(l.bones.flatMap((b) => b.notes.map((n) => n.font)))).toEqual(new Set([15]));
  });

  it('keeps a word longer than a note whole by widening that note', () => {
    const word = 'Supercalifragilisticexpialidocious-partnership-working-arrangements';
    const notes = [note(1, 'people', `The ${word} again`), note(2, 'people', 'Short one'), note(3, 'people', 'x'.repeat(80))];
    const l = layoutExportFishbone({ head: barriers.head, bones: barriers.bones, notes }, { width: 1600 });
    expectWhole(l.bones, notes, l.width, l.height);
    const words = l.bones.flatMap((b) => b.notes).flatMap((n) => n.lines.flatMap((line) => line.split(' ')));
    expect(words).toContain(word);
    expect(words).toContain('x'.repeat(80));
  });

  it('wraps long bone, branch and head labels instead of cutting them', () => {
    const bones = [
      {
        id: 'a',
        label: 'Environment, culture and the history of partnership in this area',
        subBones: [{ id: 's', label: 'Short-term political timescales and funding' }],
      },
      { id: 'b', label: 'Resources', subBones: [] },
    ];
    const head = 'Partnership working does not deliver what the people of this borough need from us';
    const l = layoutExportFishbone({ head, bones, notes: [note(1, 'a', 'A note', { subBoneId: 's' })] }, { width: 1000 });
    expect(l.bones[0].lines.join(' ')).toBe(bones[0].label);
    expect(l.bones[0].shelves[0].lines.join(' ')).toBe(bones[0].subBones[0].label);
    expect(l.head.lines.join(' ')).toBe(head);
    expect(l.head.y + l.head.h).toBeLessThanOrEqual(l.height);
  });

  it('lays out a template of six bones and an empty board', () => {
    const empty = layoutExportFishbone({ head: sixM.head, bones: sixM.bones, notes: [] }, { width: 900 });
    expect(empty.bones).toHaveLength(6);
    expectWhole(empty.bones, [], empty.width, empty.height);
    const notes = sixM.bones.map((b, i) => note(i, b.id, LONG));
    const l = layoutExportFishbone({ head: sixM.head, bones: sixM.bones, notes }, { width: 1600 });
    expectWhole(l.bones, notes, l.width, l.height);
    expectOffRibs(l);
  });

  it('draws one bone on its own at a page width, every note whole', () => {
    const notes = busy(80).filter((n) => n.boneId === 'resources');
    const bone = barriers.bones.find((b) => b.id === 'resources')!;
    const p = layoutBonePicture({ bone, notes, badge: '23% of dots' }, { width: 800 });
    expect(p.width).toBeLessThanOrEqual(800);
    expectWhole([p.bone], notes, p.width, p.height);
    for (const n of p.bone.notes) expect(n.x + n.w).toBeLessThan(p.bone.rib.x1);
    // A bone with one note is a small picture, without its empty branches.
    const one = layoutBonePicture({ bone, notes: [notes[0]] }, { width: 800 });
    expect(one.width).toBeLessThan(400);
    expect(one.bone.shelves.length).toBeLessThanOrEqual(1);
  });

  it('wraps between words only, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z'’,.()=-]{1,40}$/), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 40, max: 400 }),
        (words, width) => {
          const lines = wrapWords(words.join(' '), () => width, 15, exportMeasure);
          expect(lines.join(' ')).toBe(words.join(' '));
          for (const line of lines) if (line.includes(' ')) expect(exportMeasure(line, 15)).toBeLessThanOrEqual(width);
        },
      ),
    );
  });

  it('measures on the wide side of DejaVu Sans, the font the PNG is drawn with', () => {
    const texts = [...barriers.catalogue.map((c) => c.text), LONG, WORDY, barriers.head, ...barriers.bones.map((b) => b.label)];
    const font = { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' };
    const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    for (const bold of [false, true]) {
      for (const t of texts) {
        const weight = bold ? ' font-weight="700"' : '';
        const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="40"><text x="0" y="25" font-family="DejaVu Sans" font-size="20"${weight}>${esc(t)}</text></svg>`;
        const real = new Resvg(svg, { font }).getBBox()!.width;
        expect(real, `"${t}"${bold ? ' (bold)' : ''}`).toBeLessThanOrEqual(exportMeasure(t, 20, bold));
      }
    }
  });
});
