import type { Page } from '@playwright/test';
import { focusSlides, FOCUS_STEP_MS, MIN_TEXT_SHARE } from '../../shared/fishbone/focus.ts';
import { projectedNotes } from '../../shared/fishbone/projected.ts';
import { similarKey } from '../../shared/fishbone/similar.ts';
import { barriers } from '../../shared/templates/barriers.ts';
import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, test } from './fixtures.ts';

/**
 * A projector that holds a real room: 150 notes on the barriers template. The smallest text
 * allowed is 1/45 of the screen's height (24 px at 1080p, 16 px at 720p: shared/fishbone/focus.ts).
 * The overview draws every note it shows at least that large; whatever it cuts or leaves out is
 * on a focus-mode page, in full, at least that large, within the screen.
 */

const SCREENS = 'test-results/screens';

/** 150 notes, spread unevenly over the bones as a room writes them, 12 to 280 characters. */
function roomOfNotes(): Array<{ boneId: string; subBoneId: string | null; text: string }> {
  const catalogue = barriers.catalogue;
  const tails = [
    'especially between the hospital discharge team and the council',
    'which means the same family tells its story to five different people',
    'and nobody owns the problem once the project funding ends in March',
    'so the voluntary sector is invited late and treated as a contractor rather than a partner',
    'because each agency reports to a different board with different targets and different timescales, and the joint plan is nobody’s first priority when budgets tighten',
  ];
  const share = { people: 45, structures: 30, processes: 25, resources: 35, environment: 15 } as Record<string, number>;
  const out: Array<{ boneId: string; subBoneId: string | null; text: string }> = [];
  let i = 0;
  for (const bone of barriers.bones) {
    const items = catalogue.filter((c) => c.boneId === bone.id);
    for (let k = 0; k < share[bone.id]; k++, i++) {
      const item = items[k % items.length];
      const tail = tails[(i * 3) % tails.length];
      // Each different: a team number in every note.
      const text =
        i % 4 === 0
          ? `Team ${i}: ${item.text}, ${tail}. ${tails[(i + 1) % tails.length]}.`
          : i % 4 === 1
            ? `${item.text} ${tail} (team ${i})`
            : `${item.text} (team ${i})`;
      out.push({ boneId: bone.id, subBoneId: item.subBoneId, text: text.slice(0, 280) });
    }
  }
  // Near-identical notes, as a room writes them: shown once on the projector.
  out[10].text = 'No time';
  out[11] = { ...out[10], text: 'no time!' };
  out[12] = { ...out[10], text: 'No Time.' };
  return out;
}

interface Drawn {
  title: string;
  lines: string[];
  fontPx: number;
  lineHeights: number[];
}

/** Every note the overview draws: its full text (the title), its lines, its rendered text size. */
const drawnNotes = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<SVGGElement>('svg g.note')].map((g) => {
      const text = g.querySelector<SVGTextElement>('text.note-text')!;
      const spans = [...text.querySelectorAll('tspan')];
      return {
        title: g.querySelector('title')?.textContent ?? '',
        lines: spans.map((s) => s.textContent ?? ''),
        fontPx: parseFloat(text.getAttribute('font-size')!) * g.getScreenCTM()!.a,
        lineHeights: spans.map((s) => s.getBoundingClientRect().height),
      };
    }),
  );

interface Card {
  text: string;
  fontPx: number;
  detailPx: number | null;
  bottom: number;
  right: number;
  clipped: boolean;
}

const focusCards = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="focus"] article.card')].map((card) => {
      const text = card.querySelector<HTMLElement>('.text')!;
      const detail = card.querySelector<HTMLElement>('.detail');
      const r = card.getBoundingClientRect();
      return {
        text: text.textContent ?? '',
        fontPx: parseFloat(getComputedStyle(text).fontSize),
        detailPx: detail ? parseFloat(getComputedStyle(detail).fontSize) : null,
        bottom: r.bottom,
        right: r.right,
        clipped: card.scrollHeight > card.clientHeight + 1 || text.scrollWidth > text.clientWidth + 1,
      };
    }),
  );

for (const size of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
]) {
  test(`150 notes at ${size.width}×${size.height}: no text under the minimum, none cut without a way to read it`, async ({
    browser,
    server,
  }) => {
    const minPx = size.height * MIN_TEXT_SHARE;
    const ws = await createWorkshopApi(server.url, { title: 'A room of 150', silent: false });
    const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const writers = await Promise.all(Array.from({ length: 6 }, () => TestClient.participant(server.url, ws.code)));
    const written = roomOfNotes();
    await Promise.all(
      writers.map(async (p, w) => {
        for (let i = w; i < written.length; i += writers.length) await p.do({ type: 'note.add', ...written[i] });
      }),
    );
    await until(() => fac.board().notes.length === 150, '150 notes');
    await fac.do({ type: 'phase.set', phase: 'review' });
    const screen = await browser.newPage({ viewport: size });
    try {
      await screen.goto(`${server.url}/w/${ws.code}/screen`);
      const board = fac.board();
      const shown = projectedNotes(board);
      expect(shown.length).toBe(148); // "No time", "no time!" and "No Time." are one note on the projector

      // The overview: every note drawn is at least the minimum, measured as rendered.
      await expect(screen.locator('svg g.note').first()).toBeVisible();
      const drawn: Drawn[] = await drawnNotes(screen);
      expect(drawn.length).toBeGreaterThan(0);
      for (const d of drawn) {
        expect(d.fontPx, d.title).toBeGreaterThanOrEqual(minPx - 0.01);
        for (const h of d.lineHeights) expect(h, d.title).toBeGreaterThanOrEqual(minPx);
      }
      const whole = drawn.filter((d) => d.lines.join(' ') === d.title.replace(/\s+/g, ' ').trim()).map((d) => d.title);
      const notWhole = shown.filter((n) => !whole.includes(n.text));
      expect(notWhole.length).toBeGreaterThan(0); // 150 notes do not fit whole: focus mode must show them
      expect(await screen.locator('svg g.more').count()).toBeGreaterThan(0);
      await screen.screenshot({ path: `${SCREENS}/projector-150-overview-${size.width}x${size.height}.png` });
      expect(await screen.evaluate(() => document.documentElement.scrollHeight - innerHeight)).toBeLessThanOrEqual(0);

      // Focus mode, bone by bone and page by page: every note, in full, at least the minimum.
      const slides = focusSlides(board.meta.bones, shown);
      const seen: string[] = [];
      for (const slide of slides) {
        await fac.do({ type: 'screen.set', focus: { boneId: slide.boneId, page: slide.page } });
        const focus = screen.locator(`[data-testid="focus"][data-bone="${slide.boneId}"][data-page="${slide.page}"]`);
        await expect(focus).toBeVisible();
        if (slide.pages > 1) await expect(focus.getByTestId('focus-page')).toHaveText(`Page ${slide.page + 1} of ${slide.pages}`);
        const cards: Card[] = await focusCards(screen);
        expect(cards.map((c) => c.text)).toEqual(slide.columns.flat().map((c) => c.text));
        for (const c of cards) {
          expect(c.fontPx, c.text).toBeGreaterThanOrEqual(minPx);
          if (c.detailPx !== null) expect(c.detailPx, c.text).toBeGreaterThanOrEqual(minPx - 0.01);
          expect(c.clipped, c.text).toBe(false);
          expect(c.bottom, c.text).toBeLessThanOrEqual(size.height);
          expect(c.right, c.text).toBeLessThanOrEqual(size.width);
        }
        seen.push(...cards.map((c) => c.text));
        if (slide.boneId === 'people' && slide.page === 0) {
          await screen.screenshot({ path: `${SCREENS}/projector-150-focus-${size.width}x${size.height}.png` });
        }
      }
      expect([...seen].sort()).toEqual(shown.map((n) => n.text).sort());
      // Every note the room wrote is readable: itself, or its near-identical twin.
      for (const n of board.notes)
        expect(
          seen.some((s) => similarKey(s) === similarKey(n.text)),
          n.text,
        ).toBe(true);

      // Stepping by itself: a page's time later the projector shows the next page.
      await fac.do({ type: 'screen.set', focus: { boneId: 'people', page: 0 }, auto: true });
      await expect(screen.locator('[data-testid="focus"][data-bone="people"][data-page="0"]')).toBeVisible();
      await screen.clock.setFixedTime(Date.now() + FOCUS_STEP_MS + 2000);
      await expect(screen.locator('[data-testid="focus"][data-bone="people"][data-page="1"]')).toBeVisible();
    } finally {
      [fac, ...writers].forEach((c) => c.close());
      await screen.close();
    }
  });
}
