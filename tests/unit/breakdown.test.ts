import { describe, expect, it } from 'vitest';
import { breakdown, foldGroups, OTHER } from '../../shared/breakdown.ts';

describe('group breakdowns fold groups smaller than 3', () => {
  it('keeps groups of 3 or more and folds the rest into Other', () => {
    const label = foldGroups(['NHS', 'NHS', 'NHS', 'council', 'council', 'council', 'housing', null, null]);
    expect(label.get('NHS')).toBe('NHS');
    expect(label.get('council')).toBe('council');
    expect(label.get('housing')).toBe(OTHER);
    expect(label.get(null)).toBe(OTHER);
  });

  it('a lone consultant is never shown on their own, even as the only member of Other', () => {
    const label = foldGroups(['NHS', 'NHS', 'NHS', 'council', 'council', 'council', 'council', 'consultant']);
    // Other would hold 1 voter: the smallest kept group joins it
    expect(label.get('consultant')).toBe(OTHER);
    expect(label.get('NHS')).toBe(OTHER);
    expect(label.get('council')).toBe('council');
  });

  it('with too few people everything is Other', () => {
    const label = foldGroups(['NHS', 'NHS', 'council']);
    expect([...label.values()]).toEqual([OTHER, OTHER]);
  });

  it('adds up dots per note per shown group', () => {
    const ballots: Array<[string, Map<string, number>]> = [
      ['a', new Map([['n1', 3]])],
      [
        'b',
        new Map([
          ['n1', 1],
          ['n2', 2],
        ]),
      ],
      ['c', new Map([['n2', 1]])],
      ['d', new Map([['n1', 2]])],
      ['e', new Map()],
    ];
    const groups: Record<string, string | null> = { a: 'NHS', b: 'NHS', c: 'NHS', d: 'housing', e: 'housing' };
    const b = breakdown(ballots, (v) => groups[v]);
    // d is the only housing voter (e placed no dots): folded, and Other (1) absorbs NHS
    expect(b.groups).toEqual([OTHER]);
    expect(b.notes).toEqual({ n1: { [OTHER]: 6 }, n2: { [OTHER]: 3 } });
    const b2 = breakdown(ballots.slice(0, 3), (v) => groups[v]);
    expect(b2).toEqual({ groups: ['NHS'], notes: { n1: { NHS: 4 }, n2: { NHS: 3 } } });
  });
});
