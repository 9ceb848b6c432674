import { describe, expect, it } from 'vitest';
import type { Note, Tally } from '../../shared/doc.ts';
import { boneWeights, rankNotes } from '../../shared/ranking.ts';

const note = (id: string, boneId = 'people'): Note => ({
  id,
  boneId,
  subBoneId: null,
  text: `Note ${id}`,
  pick: null,
  raisedBy: 1,
  merged: false,
});
const tally = (voters: number, notes: Record<string, [number, number]>, bones: Record<string, number> = {}): Tally => ({
  voters,
  dots: Object.values(notes).reduce((s, [d]) => s + d, 0),
  notes: Object.fromEntries(Object.entries(notes).map(([id, [dots, supporters]]) => [id, { dots, supporters }])),
  bones,
});

describe('consensus ranking', () => {
  it('ranks by dots, breaks ties by supporters, and shares the rank when still tied (1, 2, 2, 4)', () => {
    const r = rankNotes(
      [note('a'), note('b'), note('c'), note('d'), note('e')],
      tally(6, { a: [9, 4], b: [6, 3], c: [6, 3], d: [6, 2], e: [1, 1] }),
    );
    expect(r.map((x) => [x.note.id, x.rank, x.tied])).toEqual([
      ['a', 1, false],
      ['b', 2, true],
      ['c', 2, true],
      ['d', 4, false],
      ['e', 5, false],
    ]);
    expect(r[0].supportShare).toBeCloseTo(4 / 6);
  });

  it('with zero votes every note shares rank 1 with no share of voters', () => {
    const r = rankNotes([note('a'), note('b')], tally(0, {}));
    expect(r.map((x) => [x.rank, x.dots, x.supporters, x.supportShare, x.tied])).toEqual([
      [1, 0, 0, 0, true],
      [1, 0, 0, 0, true],
    ]);
  });

  it('all votes on one note', () => {
    const r = rankNotes([note('a'), note('b'), note('c')], tally(4, { b: [12, 4] }));
    expect(r[0]).toMatchObject({ rank: 1, dots: 12, supporters: 4, supportShare: 1, tied: false });
    expect(r.slice(1).map((x) => x.rank)).toEqual([2, 2]);
  });

  it('removed notes are left out even if the tally has them', () => {
    const r = rankNotes([note('a')], tally(2, { a: [1, 1], gone: [5, 2] }));
    expect(r.map((x) => x.note.id)).toEqual(['a']);
  });

  it("bone weights are each bone's share of all dots", () => {
    const w = boneWeights(['people', 'resources', 'processes'], tally(3, {}, { people: 3, resources: 9 }));
    expect(w).toEqual([
      { boneId: 'people', dots: 3, share: 0.25 },
      { boneId: 'resources', dots: 9, share: 0.75 },
      { boneId: 'processes', dots: 0, share: 0 },
    ]);
    expect(boneWeights(['people'], tally(0, {})).map((x) => x.share)).toEqual([0]);
  });
});
