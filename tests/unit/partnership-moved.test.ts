import { describe, expect, it } from 'vitest';
import { monthOf, since } from '../../shared/messages/since.ts';
import { actionHistories, barrierMoves, boneMoves, suggestMatches } from '../../shared/partnership/moved.ts';
import type { TopBarrier, WorkshopSummary } from '../../shared/partnership/series.ts';
import { trendBones, trendSvg } from '../../shared/partnership/trend-svg.ts';
import type { Note } from '../../shared/doc.ts';

/** What moved between a partnership's workshops (shared/partnership/moved.ts), as pure functions. */

const barrier = (id: string, text: string, rank: number, pick: string | null = null): TopBarrier => ({
  id,
  text,
  boneId: 'processes',
  bone: 'Processes',
  pick,
  rank,
  tied: false,
  dots: 10 - rank,
  supporters: 3,
});
const note = (id: string, text: string, boneId = 'people'): Note => ({
  id,
  boneId,
  subBoneId: null,
  text,
  pick: null,
  raisedBy: 1,
  merged: false,
});

describe('barriers then and now', () => {
  const then = [
    barrier('a', 'Poor communication', 1, 'processes-5'),
    barrier('b', 'No shared IT systems', 2),
    barrier('c', 'Different funding cycles', 3, 'money-1'),
  ];

  it('match a common pick by itself, free text only when the facilitator says so', () => {
    const now = [
      barrier('x', 'Staff turnover', 1),
      barrier('y', 'Poor communication', 2, 'processes-5'),
      barrier('z', 'No shared IT system', 3),
      barrier('w', 'Different funding cycles', 7, 'money-1'),
    ];
    const unmatched = barrierMoves(then, now, 3, {});
    expect(unmatched.persist.map((p) => [p.then.id, p.now.id, p.by])).toEqual([['a', 'y', 'pick']]);
    expect(unmatched.fresh.map((b) => b.id)).toEqual(['x', 'z']);
    // Picked again but ranked 7th: gone from the top, and said where it is now.
    expect(unmatched.gone.map((g) => [g.then.id, g.now?.rank ?? null])).toEqual([
      ['b', null],
      ['c', 7],
    ]);
    const matched = barrierMoves(then, now, 3, { b: 'z' });
    expect(matched.persist.map((p) => [p.then.id, p.by])).toEqual([
      ['a', 'pick'],
      ['b', 'match'],
    ]);
    expect(matched.fresh.map((b) => b.id)).toEqual(['x']);
  });

  it('suggest near-identical words on any bone, never for a pick or a barrier already matched', () => {
    const notes = [note('n1', 'no shared IT system!'), note('n2', 'Poor communication'), note('n3', 'Different Funding Cycles')];
    expect(suggestMatches(then, notes, {})).toEqual([{ barrierId: 'b', noteId: 'n1' }]);
    expect(suggestMatches(then, notes, { b: 'n3' })).toEqual([]);
  });
});

describe('bone weights over time', () => {
  it('compare each bone now with every earlier workshop that revealed, by id, else by label', () => {
    const earlier = [
      { title: 'Abandoned', date: '2026-01-01T10:00:00Z', revealed: false, bones: [] },
      { title: 'Spring', date: '2027-03-10T10:00:00Z', revealed: true, bones: [{ id: 'p', label: 'Processes', dots: 6, share: 0.4 }] },
      {
        title: 'Other template',
        date: '2027-06-10T10:00:00Z',
        revealed: true,
        bones: [{ id: 'method', label: 'processes', dots: 1, share: 0.1 }],
      },
    ];
    const moves = boneMoves(
      [
        { id: 'p', label: 'Processes', dots: 2, share: 0.2 },
        { id: 'q', label: 'Money', dots: 8, share: 0.8 },
      ],
      earlier,
    );
    expect(moves).toEqual([
      {
        id: 'p',
        label: 'Processes',
        now: 0.2,
        then: [
          { title: 'Spring', date: earlier[1].date, share: 0.4 },
          { title: 'Other template', date: earlier[2].date, share: 0.1 },
        ],
      },
      {
        id: 'q',
        label: 'Money',
        now: 0.8,
        then: [
          { title: 'Spring', date: earlier[1].date, share: null },
          { title: 'Other template', date: earlier[2].date, share: null },
        ],
      },
    ]);
    expect(since.boneLine('Processes', 0.38, 0.21, 'March')).toBe('Processes: 38% of dots, up from 21% in March');
    expect(since.boneLine('Processes', 0.2, 0.204, 'March')).toBe('Processes: 20% of dots, as in March');
    expect(monthOf('2027-03-10T10:00:00Z', '2027-09-15T10:00:00Z')).toBe('March');
    expect(monthOf('2026-11-10T10:00:00Z', '2027-03-15T10:00:00Z')).toBe('November 2026');
  });

  it('draw a picture whose every word is escaped, with a gap where a workshop had no results', () => {
    const points = [
      { label: 'Mar 2027', revealed: true, bones: [{ id: 'a', label: '<b>Ops</b> & "co"', dots: 1, share: 0.5 }] },
      { label: 'Jun 2027', revealed: false, bones: [] },
      { label: 'Sept 2027', revealed: true, bones: [{ id: 'a', label: '<b>Ops</b> & "co"', dots: 1, share: 0.25 }] },
    ];
    expect(trendBones(points)).toEqual([{ key: 'a', label: '<b>Ops</b> & "co"', shares: [0.5, null, 0.25] }]);
    const svg = trendSvg('North <Locality>', points, { axis: 'Share of dots', alt: 'Trend' });
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;Ops&lt;/b&gt; &amp; &quot;co&quot;');
    expect(svg).toContain('North &lt;Locality&gt;');
    // Two separate pieces of line, not one across the gap.
    expect((/<path d="([^"]+)"/.exec(svg)?.[1] ?? '').match(/M/g)).toHaveLength(2);
  });
});

describe('an action through the series', () => {
  it('is followed from where it was agreed through each workshop that gave it a status or carried it on', () => {
    const w = (
      title: string,
      actions: WorkshopSummary['actions'],
      statuses: Record<string, 'done' | 'progress' | 'stalled' | 'dropped'> = {},
    ): WorkshopSummary => ({
      title,
      code: null,
      date: `${title}-date`,
      phase: 'closed',
      participants: 5,
      voters: 5,
      topN: 5,
      revealed: true,
      boneWeights: [],
      ranking: [],
      actions,
      since: { statuses, matches: {}, ratings: null },
    });
    const act = (id: string, root: string, what: string) => ({ id, root, what, who: '', when: '', barrier: '' });
    const series = [
      w('One', [act('a1', 'a1', 'Joint comms group'), act('b1', 'b1', 'Data sharing')]),
      w('Two', [act('b2', 'b1', 'Data sharing (phase 2)')], { a1: 'done', b1: 'progress' }),
      w('Three', [], { b2: 'done' }),
    ];
    const histories = actionHistories(series);
    expect(histories.map((h) => [h.root, h.what, h.agreed.title, h.status, h.steps.map((s) => [s.title, s.status, s.carried])])).toEqual([
      ['a1', 'Joint comms group', 'One', 'done', [['Two', 'done', false]]],
      [
        'b1',
        'Data sharing (phase 2)',
        'One',
        'done',
        [
          ['Two', 'progress', true],
          ['Three', 'done', false],
        ],
      ],
    ]);
  });
});
