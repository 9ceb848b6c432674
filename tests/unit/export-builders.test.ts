import fc from 'fast-check';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { bigBoard } from '../../bench/export-board.ts';
import { downloadName } from '../../server/exports/file-name.ts';
import { outcomeOf, roundsOf } from '../../server/exports/outcome.ts';
import { reportDocx, wordReport } from '../../server/exports/report-docx.ts';
import { fitFont } from '../../server/exports/paging.ts';
import { slidesPptx } from '../../server/exports/slides.ts';
import { exportMeasure } from '../../shared/fishbone/export-layout.ts';
import type { WorkshopExport } from '../../shared/export-schema.ts';

/**
 * The deck and the Word report as pure functions of the export model: before the reveal, with
 * two voting rounds, and for a big board whose tables run over several slides.
 */

const London = { timeZone: 'Europe/London' };

/** The text runs of every slide (or of the document), in order. */
async function runs(body: Buffer, prefix: string, tag: 'a:t' | 'w:t'): Promise<string[][]> {
  const zip = await JSZip.loadAsync(body);
  const names = Object.keys(zip.files)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.xml'))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)?.[1] ?? 0) - Number(/(\d+)\.xml$/.exec(b)?.[1] ?? 0));
  const re = new RegExp(`<${tag}(?: [^>]*)?>([^<]*)</${tag}>`, 'g');
  const unescape = (t: string) =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return Promise.all(names.map(async (n) => [...(await zip.file(n)!.async('string')).matchAll(re)].map((m) => unescape(m[1]))));
}

function beforeReveal(exp: WorkshopExport): WorkshopExport {
  return { ...exp, results: null, ranking: [], boneWeights: [], voters: 0, breakdown: null, tags: {}, actions: [] };
}

describe('the slide deck', () => {
  it('titles every slide and never splits a row, however long the tables', async () => {
    const exp = bigBoard(300);
    const slides = await runs(await slidesPptx(outcomeOf(exp, London)), 'ppt/slides/slide', 'a:t');
    // Title, fishbone, the bones (some over several slides), ranking, tags, actions.
    expect(slides.length).toBeGreaterThan(5 + 5);
    expect(slides[0][0]).toBe('Partnership away-day');
    expect(slides[1][0]).toBe('The fishbone');
    const titles = slides.map((s) => s[0]);
    expect(titles.some((t) => /^People \(\d+ of \d+\)$/.test(t))).toBe(true);
    // Every note of every bone is on a bone slide, whole, in one text run.
    const cells = new Set(slides.flat());
    for (const n of exp.notes) expect(cells.has(n.text), n.text).toBe(true);
  });

  it('before the reveal: the bones and their notes, no dots, the ranking still to come', async () => {
    const exp = beforeReveal(bigBoard(20));
    const o = outcomeOf(exp, London);
    expect(o.revealed).toBe(false);
    expect(o.rounds).toEqual([]);
    const slides = await runs(await slidesPptx(o), 'ppt/slides/slide', 'a:t');
    const all = slides.flat().join('\n');
    expect(all).toContain('The ranking appears once the votes are revealed.');
    expect(all).toContain('No actions were recorded.');
    expect(all).not.toMatch(/of dots/);
  });

  it('shows each voting round it is given', async () => {
    const exp = bigBoard(30);
    const [first] = roundsOf(exp);
    const second = { ...first, title: 'Second round', voters: 12, dots: 60, ranking: [...first.ranking].reverse().slice(0, 4) };
    const o = outcomeOf(exp, { ...London, rounds: [{ ...first, title: 'First round' }, second] });
    expect(o.rounds.map((r) => r.title)).toEqual(['First round', 'Second round']);
    const titles = (await runs(await slidesPptx(o), 'ppt/slides/slide', 'a:t')).map((s) => s[0]);
    expect(titles.filter((t) => t.startsWith('First round')).length).toBeGreaterThanOrEqual(1);
    expect(titles).toContain('Second round');
    const doc = (await runs(await reportDocx(o, null), 'word/document', 'w:t')).flat();
    expect(doc).toContain('First round');
    expect(doc).toContain('12 people voted, 60 dots in all.');
  });
});

describe('long words and labels on slides', () => {
  it('get smaller type, never a broken word', async () => {
    const label = 'Leadership, governance and accountability arrangements across the whole partnership, its boards and sub-groups';
    const exp = bigBoard(24);
    exp.workshop.bones = exp.workshop.bones.map((b, i) => (i ? b : { ...b, label }));
    const zip = await JSZip.loadAsync(await slidesPptx(outcomeOf(exp, London)));
    const xml = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
        .map((n) => zip.file(n)!.async('string')),
    );
    // The size of the run that holds the text: the last size set before it.
    const sizeBefore = (x: string, text: string) => Number([...x.slice(0, x.indexOf(text)).matchAll(/sz="(\d+)"/g)].at(-1)?.[1]);
    const titleSlide = xml.find((x) => /<a:t>([^<]*)<\/a:t>/.exec(x)?.[1] === label)!;
    expect(sizeBefore(titleSlide, label)).toBeLessThan(2800);
    const fishbone = xml.find((x) => x.includes('<a:t>The fishbone</a:t>'))!;
    expect(sizeBefore(fishbone, label)).toBeLessThan(1600);
  });

  it('fitFont keeps every word within the width', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z]{1,18}$/), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        (ws, w) => {
          const text = ws.join(' ');
          const [pt] = fitFont([text], { widthIn: w, heightIn: 3, marginIn: 0.05 }, { maxPt: 16, minPt: 6, bold: true });
          const fits = ws.every((word) => exportMeasure(word, pt, true) <= (w - 0.1) * 72 - 2);
          // At the smallest size a word may still be too long for a very narrow box; otherwise it fits.
          if (pt > 6) expect(fits).toBe(true);
        },
      ),
    );
  });
});

describe('the Word report', () => {
  it('has the printable report’s sections in its order, dated in the zone given', async () => {
    const exp = { ...bigBoard(40), workshop: { ...bigBoard(40).workshop, createdAt: '2026-11-28T23:30:00.000Z' } };
    const text = (await runs(await wordReport(exp, { timeZone: 'Pacific/Auckland' }), 'word/document', 'w:t')).flat();
    const order = [
      'The workshop in numbers',
      'The fishbone',
      'Where the weight lies',
      'Consensus ranking',
      'What is within our control',
      'Actions',
    ];
    const at = order.map((h) => text.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toContain('29 November 2026');
  });

  it('before the reveal it says the ranking is to come', async () => {
    const text = (await runs(await wordReport(beforeReveal(bigBoard(10)), London), 'word/document', 'w:t')).flat();
    expect(text).toContain('The ranking appears once the votes are revealed.');
    expect(text).not.toContain('Where the weight lies');
  });
});

describe('download names (issue 24)', () => {
  it('are the title in whole words joined by single hyphens, cut after a word, then the code', () => {
    // The 40th character of the old slug was the hyphen after "to": "…barriers-to--Y8FEFV".
    expect(downloadName('Working together: the real barriers to partnership in Northshire', 'Y8FEFV', 'docx')).toBe(
      'fishbone-working-together-the-real-barriers-to-Y8FEFV.docx',
    );
    expect(downloadName('Barriers to partnership working: the Northshire away-day', 'ABC234', 'csv')).toBe(
      'fishbone-barriers-to-partnership-working-the-ABC234.csv',
    );
    expect(downloadName('  ¿Qué?  ', 'ABC234', 'md')).toBe('fishbone-qu-ABC234.md');
    expect(downloadName('!!!', 'ABC234', 'md')).toBe('fishbone-workshop-ABC234.md');
    expect(downloadName('Antidisestablishmentarianismantidisestablishmentarianism', 'ABC234', 'md')).toBe(
      'fishbone-antidisestablishmentarianismantidisestab-ABC234.md',
    );
    for (const t of ['a - b -- c', 'x'.repeat(39) + ' yz', 'Partnership & "spring" review'])
      expect(downloadName(t, 'C', 'x')).not.toContain('--');
  });
});
