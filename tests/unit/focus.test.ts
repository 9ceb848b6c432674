import { describe, expect, it } from 'vitest';
import { FOCUS, FOCUS_STEP_MS, focusPages, focusSlides, slideAt, type FocusNote } from '../../shared/fishbone/focus.ts';
import { groupSimilar, similarKey } from '../../shared/fishbone/similar.ts';
import { approxMeasure } from '../../shared/fishbone/text.ts';
import { barriers } from '../../shared/templates/barriers.ts';

const people = barriers.bones.find((b) => b.id === 'people')!;
const words = 'partnership care records funding meeting consultant housing council trust budget'.split(' ');
const text = (i: number, length: number) => {
  let s = `Note ${i}:`;
  for (let k = 0; s.length < length; k++) s += ` ${words[(i * 7 + k) % words.length]}`;
  return s.slice(0, length);
};
const notes = (n: number, boneId = 'people'): FocusNote[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `n${String(i).padStart(3, '0')}`,
    boneId,
    subBoneId: [null, 'roles', 'behaviour', 'skills'][i % 4],
    text: text(i, 10 + ((i * 37) % 271)),
    raisedBy: 1 + (i % 3 === 0 ? 1 : 0),
  }));

describe('focus mode pages', () => {
  it('hold every note of a bone once, in full, and no column runs past the page', () => {
    const all = notes(60);
    const pages = focusPages(people, all);
    expect(pages.length).toBeGreaterThan(1);
    const shown = pages.flatMap((p) => p.columns.flat());
    expect(shown.map((c) => c.id).sort()).toEqual(all.map((n) => n.id).sort());
    for (const card of shown) expect(card.text).toBe(all.find((n) => n.id === card.id)!.text);
    for (const p of pages) {
      expect(p.columns.length).toBeLessThanOrEqual(FOCUS.columns);
      for (const col of p.columns) {
        const used = col.reduce((a, c) => a + c.height, 0) + FOCUS.cardGap * Math.max(0, col.length - 1);
        expect(used).toBeLessThanOrEqual(FOCUS.height);
      }
      expect(p.pages).toBe(pages.length);
    }
    // The longest note (280 characters) fits a card: lines counted on the wide side.
    const long = focusPages(people, [{ id: 'x', boneId: 'people', subBoneId: null, text: 'w'.repeat(280), raisedBy: 1 }]);
    expect(long[0].columns[0][0].height).toBeLessThan(FOCUS.height);
    expect(long[0].columns[0][0].lines).toBeGreaterThan(1);
    // Sub-bones in the template's order, then by text.
    const order = shown.map((c) => [null, 'roles', 'behaviour', 'skills'].indexOf(c.subBoneId));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(approxMeasure('w', FOCUS.font)).toBeGreaterThan(0);
  });

  it('an empty bone still has a page; slides step round every bone by themselves', () => {
    const slides = focusSlides(barriers.bones, [...notes(60), ...notes(2, 'resources')]);
    const of = (boneId: string) => slides.filter((s) => s.boneId === boneId);
    expect(of('structures')).toHaveLength(1);
    expect(of('structures')[0].columns.flat()).toEqual([]);
    const pages = of('people').length;
    const t0 = 1_000_000;
    expect(slideAt(slides, { boneId: 'people', page: 1 }, null, t0 + 10 * FOCUS_STEP_MS)).toBe(of('people')[1]);
    // A page number past the bone's last wraps within the bone.
    expect(slideAt(slides, { boneId: 'people', page: pages }, null, t0)).toBe(of('people')[0]);
    expect(slideAt(slides, { boneId: 'people', page: 0 }, t0, t0 + FOCUS_STEP_MS - 1)).toBe(of('people')[0]);
    expect(slideAt(slides, { boneId: 'people', page: 0 }, t0, t0 + pages * FOCUS_STEP_MS)).toBe(of('structures')[0]);
    expect(slideAt(slides, { boneId: 'people', page: 0 }, t0, t0 + slides.length * FOCUS_STEP_MS)).toBe(slides[0]);
    expect(slideAt(slides, { boneId: 'nowhere', page: 0 }, null, t0)).toBeNull();
  });
});

describe('near-identical notes', () => {
  it('are shown once on the same bone, whatever their case, punctuation, accents, articles and plurals', () => {
    expect(similarKey('No time!')).toBe(similarKey('no  time'));
    expect(similarKey('The budgets are cut.')).toBe(similarKey('budget are cut'));
    expect(similarKey('Rôles unclear')).toBe(similarKey('roles unclear'));
    expect(similarKey('No time')).not.toBe(similarKey('No time for training'));
    const n = (id: string, text: string, boneId = 'resources', subBoneId: string | null = 'time') => ({
      id,
      boneId,
      subBoneId,
      text,
      pick: null,
      raisedBy: 1,
      merged: false,
    });
    const groups = groupSimilar([
      n('b', 'no time!'),
      n('a', 'No time'),
      n('c', 'No Time.'),
      n('d', 'No time', 'people', null),
      n('e', 'Costs'),
    ]);
    expect(groups.map((g) => [g.note.text, g.note.raisedBy, g.ids])).toEqual([
      ['No time', 3, ['a', 'b', 'c']],
      ['No time', 1, ['d']],
      ['Costs', 1, ['e']],
    ]);
  });
});
