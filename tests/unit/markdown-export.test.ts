import { describe, expect, it } from 'vitest';
import { reportMarkdown } from '../../server/exports/markdown.ts';
import { DEFAULT_TIME_ZONE, exportTimeZone } from '../../server/exports/time-zone.ts';
import type { WorkshopExport } from '../../shared/export-schema.ts';
import { barriers } from '../../shared/templates/barriers.ts';

/** The Markdown report reads as written: escapes only where Markdown would change the text. */

function exportOf(title: string, texts: string[], createdAt = '2026-11-28T10:00:00.000Z'): WorkshopExport {
  const notes = texts.map((text, i) => ({ id: `n${i}`, boneId: 'people', subBoneId: null, text, pick: null, raisedBy: 1, merged: false }));
  return {
    schema: 'fishbone-live.workshop',
    version: 1,
    exportedAt: createdAt,
    workshop: {
      title,
      head: barriers.head,
      template: 'barriers',
      createdAt,
      phase: 'act',
      settings: { silent: true, budget: 5, cap: 3, facilitatorVotes: false, showRanking: false, topN: 5, groups: [] },
      prompts: {},
      bones: barriers.bones,
      catalogue: [],
    },
    participants: 3,
    voters: 3,
    notes,
    results: {
      voters: 3,
      dots: texts.length,
      notes: Object.fromEntries(notes.map((n) => [n.id, { dots: 1, supporters: 1 }])),
      bones: { people: texts.length },
    },
    ranking: notes.map((n) => ({ rank: 1, noteId: n.id, text: n.text, bone: 'People', dots: 1, supporters: 1, tied: true })),
    boneWeights: [{ boneId: 'people', label: 'People', dots: texts.length, share: 1 }],
    breakdown: null,
    tags: Object.fromEntries(notes.map((n) => [n.id, 'control' as const])),
    actions: [],
  };
}

const London = { timeZone: 'Europe/London' };

describe('the Markdown report', () => {
  it('leaves ordinary words alone', () => {
    const plain = [
      'Away-day follow-up (NHS, council) in 2026.',
      "The board's 3.5% cut!",
      'snake_case and e-mail + fax',
      'Q&A with the ICB',
    ];
    const md = reportMarkdown(exportOf('Partnership away-day #2', plain), London);
    expect(md).toContain('# Partnership away-day #2\n');
    for (const t of plain) expect(md).toContain(`| ${t} |`);
    for (const t of plain) expect(md).toContain(`- ${t}: **Within our control**`);
  });

  it('escapes what would restyle the report or break its tables', () => {
    const md = reportMarkdown(
      exportOf('Title ##', [
        '*bold* and [a link](http://x) <b>html</b>',
        'a | b ~~gone~~ `code` _under_',
        '1. Not a list',
        '# Not a heading',
        '&amp; stays',
      ]),
      London,
    );
    expect(md).toContain('# Title \\##\n');
    expect(md).toContain('| \\*bold\\* and \\[a link\\](http://x) \\<b\\>html\\</b\\> |');
    expect(md).toContain('| a \\| b \\~\\~gone\\~\\~ \\`code\\` \\_under\\_ |');
    expect(md).toContain('- 1\\. Not a list: **');
    expect(md).toContain('- \\# Not a heading: **');
    expect(md).toContain('| \\&amp; stays |');
  });

  it('writes dates as people do, in the time zone given', () => {
    // 23:30 on 28 November in UTC is already the 29th in New Zealand.
    const exp = exportOf('Away-day', ['No time'], '2026-11-28T23:30:00.000Z');
    expect(reportMarkdown(exp, London)).toContain(' · 28 November 2026 · ');
    expect(reportMarkdown(exp, { timeZone: 'Pacific/Auckland' })).toContain(' · 29 November 2026 · ');
    expect(reportMarkdown(exp, London)).not.toMatch(/Sat|GMT/);
  });

  it('takes the zone from TZ, else Europe/London', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Europe/London');
    expect(exportTimeZone(undefined)).toBe('Europe/London');
    expect(exportTimeZone('')).toBe('Europe/London');
    expect(exportTimeZone(':Europe/Paris')).toBe('Europe/Paris');
    expect(exportTimeZone('America/New_York')).toBe('America/New_York');
    expect(exportTimeZone('/etc/localtime')).toBe('Europe/London');
  });
});
