import { FIRST_PAINT_SCRIPT_HASH } from '../../server/http/first-paint-script.ts';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Response } from '@playwright/test';
import { createWorkshopApi, expect, facilitatorSocket, phone as pixel7, phoneContext, test } from './fixtures.ts';

/**
 * Whole workshops with a real browser for every role: the facilitator's laptop, the projector
 * and three phones. Nothing is scripted over a socket; every step is a click or a key press.
 */

const SCREENS = 'test-results/screens';
const DESKTOP = { width: 1440, height: 900 };
const PROJECTOR = { width: 1920, height: 1080 };
const SMALL_PROJECTOR = { width: 1280, height: 720 };
const BONES = [/^People/, /^Structures/, /^Processes/, /^Resources/, /^Environment and culture/];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const startsWith = (s: string) => new RegExp(`^${escape(s)}`);

/* ---- the facilitator's laptop ---- */

const step = (page: Page, name: string) => page.getByRole('listitem').filter({ hasText: name }).and(page.locator('[aria-current="step"]'));
/** The SVG fishbone on the facilitator page: each note is a button named by its text. */
const fishbone = (page: Page) => page.getByRole('group', { name: /^Fishbone diagram/ });
const onFishbone = (page: Page, text: string) => fishbone(page).getByRole('button', { name: startsWith(`${text}.`) });
const notesList = (page: Page) => page.getByRole('region', { name: 'Notes by bone' });
const listNote = (page: Page, text: string) => notesList(page).getByRole('button', { name: text });
const nextPhase = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^Next: ${name}`) }).click();

/* ---- the phone ---- */

const article = (page: Page, text: string) => page.getByRole('article').filter({ hasText: text });

async function openBone(page: Page, bone: RegExp): Promise<void> {
  const toggle = page.getByRole('button', { name: bone });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}

async function openAllBones(page: Page): Promise<void> {
  for (const bone of BONES) await openBone(page, bone);
}

/** Free text, sent with the phone keyboard's Enter key; done once the note shows as theirs. */
async function writeNote(page: Page, bone: RegExp, place: string, text: string): Promise<void> {
  await openBone(page, bone);
  const field = page.getByLabel(`Add a note to ${place}`);
  await field.fill(text);
  await field.press('Enter');
  await expect(article(page, text).getByText('Your note')).toBeVisible();
  await expect(field).toHaveValue('');
}

/** One tap on + or −, and wait for the server's answer in the header ("N of 5 dots left"). */
async function dot(page: Page, text: string, delta: 1 | -1): Promise<void> {
  const left = page.getByText(/^\d+ of 5 dots left$/);
  const before = Number((await left.textContent())!.split(' ')[0]);
  await page.getByRole('button', { name: delta > 0 ? `Add a dot to '${text}'` : `Take a dot from '${text}'` }).click();
  await expect(left).toHaveText(`${before - delta} of 5 dots left`);
}

/** The connection line (the page may have other live regions). */
const connection = (page: Page) => page.getByRole('status').filter({ hasText: /^\s*(Connecting|Connected|Reconnecting)/ });

/* ---- the projector ---- */

async function noScroll(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth - innerWidth,
    y: document.documentElement.scrollHeight - innerHeight,
  }));
  expect.soft(overflow, `${where}: the projector page must not scroll`).toEqual({ x: 0, y: 0 });
}

/** Both projector sizes, each checked for scrolling and photographed. */
async function shootProjector(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // fonts and the SVG's measured text settle
  await noScroll(page, `${name} 1920×1080`);
  await page.screenshot({ path: `${SCREENS}/projector-${name}-1920x1080.png` });
  await page.setViewportSize(SMALL_PROJECTOR);
  await page.waitForTimeout(300);
  await noScroll(page, `${name} 1280×720`);
  await page.screenshot({ path: `${SCREENS}/projector-${name}-1280x720.png` });
  await page.setViewportSize(PROJECTOR);
}

/* ---- the workshop, by hand ---- */

// Phone 1
const MEETINGS = 'Meetings end without owners'; // Processes
const BOARDS = 'Too many boards, no decisions'; // Structures; edited to BOARDS_EDITED
const BOARDS_EDITED = 'Too many boards and no decisions';
const TYPO = 'Refferal forms diffrent everywhere'; // Structures; deleted by its author
// Phones 2 and 3 both tap this quick-pick (People — Roles): one note, raised by 2 people.
const POWER = 'Power and hierarchy';
// Phone 2
const FUNDING = 'Funding cycles never line up'; // Resources — Money
// Phone 3
const BUDGETS = 'Budgets are set a year apart'; // Resources — Money; merged into FUNDING
const TARGETS = 'Targets pull the agencies apart'; // Environment; moved to Processes

test('a workshop end to end', async ({ browser, server }) => {
  test.setTimeout(120_000);
  mkdirSync(SCREENS, { recursive: true });
  const contexts: BrowserContext[] = [];
  const context = async (opts: Parameters<Browser['newContext']>[0]) => {
    const c = await browser.newContext({ ...opts, baseURL: server.url });
    contexts.push(c);
    return c.newPage();
  };
  // What the steps below share: the facilitator's laptop, the projector, three phones.
  let fac!: Page, screen!: Page, p1!: Page, p2!: Page, p3!: Page, code!: string;
  const phones: Page[] = [];
  try {
    await test.step('Create: the facilitator on the landing page', async () => {
      fac = await context({ viewport: DESKTOP });
      await fac.goto('/');
      await fac.getByLabel('Workshop title').fill('Partnership away-day');
      await expect(fac.getByRole('radio', { name: 'Barriers to partnership working' })).toBeChecked();
      await fac.getByRole('checkbox', { name: 'Silent brainstorm' }).check();
      await fac.getByRole('button', { name: 'Create workshop' }).click();
      await fac.waitForURL(/\/w\/[A-Z0-9]{6}\/facilitate/);
      code = new URL(fac.url()).pathname.split('/')[2];
      await expect(fac.getByRole('heading', { level: 1, name: 'Partnership away-day' })).toBeVisible();
      await expect(step(fac, 'Lobby')).toBeVisible();
    });

    await test.step('The projector', async () => {
      screen = await context({ viewport: PROJECTOR });
      await screen.goto(`/w/${code}/screen`);
      await expect(screen.getByTestId('join-code')).toHaveText(code);
    });

    await test.step('Three phones: by the link, by typing the code on the start page, by the link', async () => {
      for (let i = 0; i < 3; i++) {
        const c = await phoneContext(browser, server.url);
        contexts.push(c);
        phones.push(await c.newPage());
      }
      [p1, p2, p3] = phones;
      await p1.goto(`/w/${code}`);
      await p2.goto('/');
      await p2.getByLabel('Join code').fill(code.toLowerCase());
      await p2.getByRole('button', { name: 'Join', exact: true }).click();
      await p2.waitForURL(`**/w/${code}`);
      await p3.goto(`/w/${code}`);
      for (const p of phones) {
        await expect(p.getByRole('heading', { level: 1, name: 'Partnership away-day' })).toBeVisible();
        await expect(p.getByRole('heading', { name: 'Waiting for the facilitator to start' })).toBeVisible();
      }
      await expect(screen.getByTestId('head-count')).toContainText('3 participants connected');
      await expect(fac.getByRole('banner').getByText('3 participants', { exact: true })).toBeVisible();
    });

    await test.step('Brainstorm, silent', async () => {
      await nextPhase(fac, 'Brainstorm');
      await expect(step(fac, 'Brainstorm')).toBeVisible();
      await expect(p1.getByText('Only you see your notes for now.')).toBeVisible();
      await writeNote(p1, /^Processes/, 'Processes', MEETINGS);
      await writeNote(p1, /^Structures/, 'Structures', BOARDS);
      await writeNote(p1, /^Structures/, 'Structures', TYPO);
      for (const p of [p2, p3]) {
        await openBone(p, /^People/);
        await p.getByRole('button', { name: `Add '${POWER}'` }).click();
        await expect(article(p, POWER).getByText('Your note')).toBeVisible();
        await expect(article(p, POWER).getByText('Only you see it for now')).toBeVisible();
      }
      await writeNote(p2, /^Resources/, 'Resources — Money', FUNDING);
      await writeNote(p3, /^Resources/, 'Resources — Money', BUDGETS);
      await writeNote(p3, /^Environment/, 'Environment and culture', TARGETS);

      // Others see counts, never the words: not the other phones, not the facilitator, not the projector.
      await expect(p2.getByRole('button', { name: /^Processes/ })).toContainText('1 note so far');
      await expect(p2.getByRole('button', { name: /^People/ })).toContainText('2 notes so far');
      await expect(p3.getByRole('button', { name: /^Structures/ })).toContainText('2 notes so far');
      await expect(fac.getByRole('button', { name: 'Reveal notes (8 hidden)' })).toBeVisible();
      await expect(notesList(fac).getByText('2 of them hidden until you reveal the notes')).toHaveCount(3); // People, Structures, Resources
      await expect(screen.getByText('8 notes so far', { exact: true })).toBeVisible();
      await expect(screen.locator('svg text', { hasText: '2 notes so far' })).toHaveCount(3);
      const written = { p1: [MEETINGS, BOARDS, TYPO], p2: [FUNDING], p3: [BUDGETS, TARGETS] };
      const notMine = (mine: string[]) =>
        Object.values(written)
          .flat()
          .filter((t) => !mine.includes(t));
      const leaks = async (page: Page, hidden: string[]) => {
        const html = await page.content();
        return hidden.filter((t) => html.includes(t));
      };
      expect(await leaks(p1, notMine(written.p1)), 'phone 1 sees others’ notes').toEqual([]);
      expect(await leaks(p2, notMine(written.p2)), 'phone 2 sees others’ notes').toEqual([]);
      expect(await leaks(p3, notMine(written.p3)), 'phone 3 sees others’ notes').toEqual([]);
      expect(await leaks(fac, notMine([])), 'the facilitator sees hidden notes').toEqual([]);
      expect(await leaks(screen, notMine([])), 'the projector sees hidden notes').toEqual([]);
      await shootProjector(screen, 'brainstorm');
    });

    await test.step('Reveal the notes: one batch, the shared quick-pick joined into one note', async () => {
      await fac.getByRole('button', { name: 'Reveal notes (8 hidden)' }).click();
      // Publishing cannot be undone, so it asks first.
      await fac.getByRole('button', { name: 'Reveal them' }).click();
      await expect(fac.getByText('All notes are revealed.')).toBeVisible();
      const revealed = [MEETINGS, BOARDS, TYPO, POWER, FUNDING, BUDGETS, TARGETS];
      for (const text of revealed) await expect(onFishbone(fac, text)).toHaveCount(1);
      await expect(onFishbone(fac, POWER)).toHaveAccessibleName(/Raised by 2 people/);
      const drawing = screen.getByRole('img', { name: /^Fishbone diagram/ });
      await expect(drawing).toHaveAccessibleName(/ 7 notes on the board\.$/);
      // Each note drawn on the projector carries its full wording as its tooltip.
      expect((await drawing.locator('g.note > title').allTextContents()).sort()).toEqual([...revealed].sort());
      for (const p of phones) {
        await openAllBones(p);
        for (const text of revealed) await expect(article(p, text)).toHaveCount(1);
        await expect(article(p, POWER)).toContainText('raised by 2 people');
      }
      await expect(article(p2, POWER).getByText('Your note')).toBeVisible();
      await expect(article(p3, POWER).getByText('Your note')).toBeVisible();
      await expect(article(p1, POWER).getByText('Your note')).toHaveCount(0);
      await expect(article(p2, MEETINGS).getByRole('button')).toHaveCount(0); // nothing to change on others' notes

      // A phone edits one of its notes and deletes another: live on the fishbone and the other phones.
      await p1.getByRole('button', { name: `Edit your note '${BOARDS}'` }).click();
      const edit = p1.getByRole('textbox', { name: 'Your note' });
      await edit.fill(BOARDS_EDITED);
      await edit.press('Enter');
      await p1.getByRole('button', { name: `Delete your note '${TYPO}'` }).click();
      await p1.getByRole('button', { name: 'Yes, delete' }).click();
      await expect(onFishbone(fac, BOARDS_EDITED)).toHaveCount(1);
      await expect(onFishbone(fac, BOARDS)).toHaveCount(0);
      await expect(onFishbone(fac, TYPO)).toHaveCount(0);
      for (const p of [p2, p3]) {
        await expect(article(p, BOARDS_EDITED)).toHaveCount(1);
        await expect(article(p, BOARDS)).toHaveCount(0);
        await expect(article(p, TYPO)).toHaveCount(0);
      }
      await expect(article(p1, BOARDS_EDITED).getByText('Your note')).toBeVisible();
      await expect(screen.getByRole('img', { name: / 6 notes on the board\.$/ })).toBeVisible();
    });

    await test.step('Review: merge the two funding notes, move the misplaced one', async () => {
      await nextPhase(fac, 'Review');
      await expect(step(fac, 'Review')).toBeVisible();
      const tools = fac.getByRole('region', { name: 'Selected note' });
      await listNote(fac, FUNDING).click();
      await tools.getByRole('checkbox', { name: new RegExp(BUDGETS) }).check();
      await tools.getByRole('radio', { name: FUNDING }).check();
      await tools.getByRole('button', { name: 'Merge 1 note into this one' }).click();
      await expect(listNote(fac, BUDGETS)).toHaveCount(0);
      await expect(listNote(fac, FUNDING)).toContainText('raised by 2 people');
      await listNote(fac, TARGETS).click();
      await tools.getByLabel('Move to').selectOption({ label: 'Processes' });
      await tools.getByRole('button', { name: 'Move', exact: true }).click();
      await expect(
        notesList(fac)
          .getByRole('region', { name: /^Processes/ })
          .getByRole('button', { name: TARGETS }),
      ).toBeVisible();
      // Both authors of the merged note still see it as theirs; the moved note moved on the phones.
      await expect(article(p2, FUNDING)).toContainText('raised by 2 people');
      await expect(article(p2, FUNDING).getByText('Your note')).toBeVisible();
      await expect(article(p3, FUNDING).getByText('Your note')).toBeVisible();
      await expect(article(p3, BUDGETS)).toHaveCount(0);
      await expect(
        p3
          .getByRole('region', { name: /^Processes/ })
          .getByRole('article')
          .filter({ hasText: TARGETS }),
      ).toHaveCount(1);
    });

    await test.step('Vote: 5 dots each, at most 3 on one note', async () => {
      const budget = fac.getByRole('spinbutton', { name: 'Dots per person' });
      const cap = fac.getByRole('spinbutton', { name: 'Most dots on one note' });
      await budget.fill('5');
      await budget.press('Tab');
      await cap.fill('3');
      await cap.press('Tab');
      await expect(budget).toHaveValue('5');
      await expect(cap).toHaveValue('3');
      await nextPhase(fac, 'Vote');
      await expect(step(fac, 'Vote')).toBeVisible();
      for (const p of phones) await expect(p.getByText('5 of 5 dots left')).toBeVisible();

      // The ballots, chosen so the ranking is known by hand (see `ranking` below).
      const ballots: Array<[Page, Array<[string, 1 | -1]>]> = [
        [
          p1,
          [
            [POWER, 1],
            [POWER, 1],
            [POWER, 1],
            [FUNDING, 1],
            [TARGETS, 1],
          ],
        ],
        [
          p2,
          [
            [POWER, 1],
            [POWER, 1],
            [MEETINGS, 1],
            [MEETINGS, 1],
            [MEETINGS, 1],
          ],
        ],
        // A change of mind: a dot on MEETINGS taken back with −.
        [
          p3,
          [
            [FUNDING, 1],
            [MEETINGS, 1],
            [FUNDING, 1],
            [MEETINGS, -1],
            [BOARDS_EDITED, 1],
          ],
        ],
      ];
      for (const [p, taps] of ballots) for (const [text, delta] of taps) await dot(p, text, delta);
      await expect(p1.getByText('0 of 5 dots left')).toBeVisible();
      await expect(p1.getByRole('button', { name: `Add a dot to '${MEETINGS}'` })).toBeDisabled();
      await expect(article(p1, POWER)).toContainText('Your dots: 3 of at most 3');
      await expect(p1.getByRole('button', { name: `Add a dot to '${POWER}'` })).toBeDisabled();
      await expect(p3.getByText('2 of 5 dots left')).toBeVisible();
      await p3.screenshot({ path: `${SCREENS}/phone-vote.png`, fullPage: true });

      // Blind while voting: turnout only, on the facilitator's laptop and the projector.
      const turnout = '3 of 3 participants have voted';
      await expect(fac.getByText(turnout)).toBeVisible();
      await expect(screen.getByTestId('turnout')).toHaveText(turnout);
      for (const page of [fac, screen]) {
        await expect(page.getByRole('table')).toHaveCount(0);
        await expect(page.getByText(/% of dots/)).toHaveCount(0);
        await expect(page.locator('svg text', { hasText: '●' })).toHaveCount(0);
      }
      await shootProjector(screen, 'vote');
    });

    await test.step('The reveal: the ranking and bone weights worked out by hand', async () => {
      //   Power and hierarchy: 3 + 2 = 5 dots from 2 people            → 1
      //   Funding cycles (merged): 1 + 2 = 3 dots from 2 people          → 2 (3 dots, more supporters)
      //   Meetings end without owners: 3 dots from 1 person             → 3
      //   Targets… and Too many boards…: 1 dot from 1 person each       → =4, tied (by text within the tie)
      // 13 dots from 3 voters. Bones: People 5 (38%), Processes 3 + 1 = 4 (31%), Resources 3 (23%),
      // Structures 1 (8%), Environment 0 (0%).
      const ranking = [
        { rank: '1', tied: false, text: POWER, raised: true, bone: 'People — Roles', dots: '5', backers: '2 (67%)' },
        { rank: '2', tied: false, text: FUNDING, raised: true, bone: 'Resources — Money', dots: '3', backers: '2 (67%)' },
        { rank: '3', tied: false, text: MEETINGS, raised: false, bone: 'Processes', dots: '3', backers: '1 (33%)' },
        { rank: '4', tied: true, text: TARGETS, raised: false, bone: 'Processes', dots: '1', backers: '1 (33%)' },
        { rank: '4', tied: true, text: BOARDS_EDITED, raised: false, bone: 'Structures', dots: '1', backers: '1 (33%)' },
      ];
      const weights = [
        { bone: 'People', row: '38% · 5 dots' },
        { bone: 'Processes', row: '31% · 4 dots' },
        { bone: 'Resources', row: '23% · 3 dots' },
        { bone: 'Structures', row: '8% · 1 dot' },
        { bone: 'Environment and culture', row: '0% · 0 dots' },
      ];
      await fac.getByRole('button', { name: 'Close voting' }).click();
      await fac.getByRole('button', { name: 'Reveal the results…' }).click();
      await fac.getByRole('button', { name: 'Reveal the results', exact: true }).click();
      await expect(step(fac, 'Reveal')).toBeVisible();
      const table = fac.getByRole('table', { name: /^Consensus ranking/ });
      await expect(table).toContainText('3 people voted, 13 dots in all.');
      const rows = table.locator('tbody tr');
      await expect(rows).toHaveCount(ranking.length);
      for (const [i, want] of ranking.entries()) {
        const cells = rows.nth(i).getByRole('cell');
        if (want.tied) {
          await expect(cells.nth(0)).toContainText(`=${want.rank}`);
          await expect(cells.nth(0).getByText('tied', { exact: true })).toBeVisible();
        } else {
          await expect(cells.nth(0)).toHaveText(want.rank);
        }
        await expect(cells.nth(1)).toHaveText(want.raised ? `${want.text} raised by 2 people` : want.text);
        await expect(cells.nth(2)).toHaveText(want.bone);
        await expect(cells.nth(3)).toHaveText(want.dots);
        await expect(cells.nth(4)).toHaveText(want.backers);
      }
      const weightList = fac.getByRole('region', { name: 'Where do most problems lie?' });
      await expect(weightList.getByText('Most of the weight: People')).toBeVisible();
      const weightRows = weightList.getByRole('listitem');
      await expect(weightRows).toHaveCount(weights.length);
      for (const [i, want] of weights.entries()) {
        await expect(weightRows.nth(i)).toContainText(want.bone);
        await expect(weightRows.nth(i)).toContainText(want.row);
      }
      // The same weights drawn on the fishbone, with the heaviest bone named.
      await expect(fishbone(fac)).toHaveAccessibleName(/Most of the weight: People \(38% of dots\)\.$/);
      for (const share of ['38%', '31%', '23%', '8%', '0%']) {
        await expect(fishbone(fac).locator('text', { hasText: new RegExp(`^${share} of dots$`) })).toHaveCount(1);
      }
      await fac.getByRole('switch', { name: 'Show the ranking on phones after the reveal' }).check();
      await fac.waitForTimeout(300);
      await fac.screenshot({ path: `${SCREENS}/facilitator-reveal.png` });

      // The projector and the phones agree on the top note.
      const screenRows = screen.getByRole('table').locator('tbody tr');
      await expect(screenRows.first()).toContainText(POWER);
      await expect(screenRows.first()).toContainText('2 (67%)');
      await expect(screen.getByText('Most of the weight: People')).toBeVisible();
      const phoneRanking = p1.getByRole('region', { name: 'The ranking' }).getByRole('listitem');
      await expect(phoneRanking.first()).toContainText(POWER);
      await expect(phoneRanking.filter({ hasText: 'tied' })).toHaveCount(2);
      await shootProjector(screen, 'reveal');
    });

    await test.step('Act: mark the top barrier and record an action', async () => {
      await nextPhase(fac, 'Act');
      await expect(step(fac, 'Act')).toBeVisible();
      await fac
        .getByRole('group', { name: startsWith(`#1 ${POWER}`) })
        .getByRole('radio', { name: 'Within our control' })
        .check();
      await fac.getByLabel('What will be done').fill('Rotate who chairs the partnership meeting');
      await fac.getByLabel('Who (an agency or role)').fill('Partnership board');
      await fac.getByLabel('By when').fill('End of March');
      await fac.getByLabel('For barrier (optional)').selectOption({ label: `#1 ${POWER}` });
      await fac.getByRole('button', { name: 'Add action' }).click();
      await expect(fac.getByRole('region', { name: 'Actions' }).getByRole('listitem')).toContainText(
        'Rotate who chairs the partnership meeting',
      );
      const top = screen.getByRole('region', { name: 'Top barriers' }).getByRole('listitem');
      await expect(top.first()).toContainText(POWER);
      await expect(top.first()).toContainText('Within our control');
      await expect(top.filter({ hasText: '=4' })).toHaveCount(2);
      const screenActions = screen.getByRole('region', { name: 'Actions' });
      await expect(screenActions).toContainText('Rotate who chairs the partnership meeting');
      await expect(screenActions).toContainText('Partnership board');
      await expect(screenActions).toContainText(`For: ${POWER}`);
      await expect(p2.getByRole('region', { name: 'Actions' })).toContainText('Rotate who chairs the partnership meeting');
      await shootProjector(screen, 'act');
    });

    await test.step('Close: the phones say so', async () => {
      await fac.getByRole('button', { name: 'Close the workshop…' }).click();
      await fac.getByRole('button', { name: 'Close the workshop', exact: true }).click();
      await expect(step(fac, 'Closed')).toBeVisible();
      for (const p of phones) {
        await expect(p.getByRole('heading', { name: 'Thank you' })).toBeVisible();
        await expect(p.getByText('This workshop has closed. Thank you for taking part.', { exact: true })).toBeVisible();
        await expect(p.getByRole('button', { name: /^Add a dot/ })).toHaveCount(0);
      }
      // The phone was scrolled down the board: it scrolls back to the message, and the header no
      // longer talks about a connection.
      await expect(p1.getByRole('heading', { name: 'Thank you' })).toBeInViewport();
      await expect.poll(() => p1.evaluate(() => scrollY)).toBe(0);
      await expect(p1.getByRole('banner')).toContainText('Closed');
      await expect(p1.getByRole('banner').getByText(/Connected|Disconnected|Reconnecting/)).toHaveCount(0);
      await p1.screenshot({ path: `${SCREENS}/phone-closed.png` });
    });
  } finally {
    for (const c of contexts) await c.close();
  }
});

test('notes survive a server killed with SIGKILL', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Restart day', silent: false });
  const contexts: BrowserContext[] = [];
  try {
    const facContext = await browser.newContext({ viewport: DESKTOP, baseURL: server.url });
    contexts.push(facContext);
    const fac = await facContext.newPage();
    await fac.goto(`/w/${w.code}/facilitate#key=${w.facilitatorKey}`);
    await nextPhase(fac, 'Brainstorm');
    await expect(step(fac, 'Brainstorm')).toBeVisible();

    const [a, b] = await Promise.all(
      [0, 1].map(async () => {
        const c = await phoneContext(browser, server.url);
        contexts.push(c);
        const p = await c.newPage();
        await p.goto(`/w/${w.code}`);
        await expect(connection(p)).toHaveText('Connected');
        return p;
      }),
    );

    await writeNote(a, /^Processes/, 'Processes', 'Nobody owns the referral pathway');
    await writeNote(a, /^Structures/, 'Structures', 'Boards meet too often');
    await writeNote(a, /^Structures/, 'Structures', 'A note to take back');
    await writeNote(b, /^Resources/, 'Resources — Money', 'Budgets are set a year apart');
    await writeNote(b, /^Processes/, 'Processes', 'Minutes come out weeks late');
    await openBone(b, /^People/);
    await b.getByRole('button', { name: "Add 'Power and hierarchy'" }).click();
    await expect(article(b, 'Power and hierarchy').getByText('Your note')).toBeVisible();

    await a.getByRole('button', { name: "Edit your note 'Boards meet too often'" }).click();
    const edit = a.getByRole('textbox', { name: 'Your note' });
    await edit.fill('Boards meet weekly but decide nothing');
    await edit.press('Enter');
    await a.getByRole('button', { name: "Delete your note 'A note to take back'" }).click();
    await a.getByRole('button', { name: 'Yes, delete' }).click();
    await b.getByRole('button', { name: "Delete your note 'Minutes come out weeks late'" }).click();
    await b.getByRole('button', { name: 'Yes, delete' }).click();

    const kept = {
      a: ['Nobody owns the referral pathway', 'Boards meet weekly but decide nothing'],
      b: ['Budgets are set a year apart', 'Power and hierarchy'],
    };
    const gone = ['Boards meet too often', 'A note to take back', 'Minutes come out weeks late'];
    const allKept = [...kept.a, ...kept.b];
    /** Every acknowledged change, on the fishbone and on both phones, each note its author's own. */
    const checkBoard = async () => {
      for (const text of allKept) await expect(onFishbone(fac, text)).toHaveCount(1);
      for (const text of gone) await expect(onFishbone(fac, text)).toHaveCount(0);
      for (const p of [a, b]) {
        await openAllBones(p);
        for (const text of allKept) await expect(article(p, text)).toHaveCount(1);
        for (const text of gone) await expect(article(p, text)).toHaveCount(0);
      }
      for (const text of kept.a) {
        await expect(article(a, text).getByText('Your note')).toBeVisible();
        await expect(article(b, text).getByText('Your note')).toHaveCount(0);
      }
      for (const text of kept.b) {
        await expect(article(b, text).getByText('Your note')).toBeVisible();
        await expect(article(a, text).getByText('Your note')).toHaveCount(0);
      }
      await expect(a.getByRole('button', { name: `Edit your note '${kept.a[1]}'` })).toBeVisible();
    };
    await checkBoard();
    // "Connected" with nothing waiting: every command above has its acknowledgement.
    for (const p of [fac, a, b]) await expect(connection(p)).toHaveText('Connected');

    const restarting = server.restart('SIGKILL');
    for (const p of [fac, a, b]) await expect(connection(p)).toHaveText('Reconnecting…');
    await restarting;
    for (const p of [fac, a, b]) await expect(connection(p)).toHaveText('Connected', { timeout: 15_000 });
    await checkBoard();

    // A note written after the restart arrives once everywhere.
    const after = 'Written after the restart';
    await writeNote(b, /^Processes/, 'Processes', after);
    await expect(onFishbone(fac, after)).toHaveCount(1);
    await expect(article(a, after)).toHaveCount(1);
    // "Connected" on the writer's phone: its outbox is empty, every send answered. A socket that
    // joins now gets the server's board as it is, with whatever a doubled send would have added.
    await expect(connection(b)).toHaveText('Connected');
    const look = await facilitatorSocket(server.url, w);
    expect(look.board().notes.filter((n) => n.text === after)).toHaveLength(1);
    look.close();
    await expect(onFishbone(fac, after)).toHaveCount(1);
    await expect(article(a, after)).toHaveCount(1);
    await expect(article(b, after)).toHaveCount(1);
    const summary = (await (await fetch(`${server.url}/api/workshops/${w.code}`)).json()) as { noteCount: number };
    expect(summary.noteCount).toBe(allKept.length + 1);
  } finally {
    for (const c of contexts) await c.close();
  }
});

const PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1">',
  '"><svg onload=window.__xss=1>',
  'javascript:window.__xss=1',
  "{{constructor.constructor('window.__xss=1')()}}",
  '</title><script>window.__xss=1</script>',
];
/** As many payloads as a title holds (120 characters). */
const XSS_TITLE = `${PAYLOADS[5]} ${PAYLOADS[1]} ${PAYLOADS[2]}`;

/** Watches a page for anything a payload could set off. */
function guard(page: Page) {
  const seen = { dialogs: [] as string[], injected: [] as string[], documents: [] as Response[] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  // A payload that became markup would load "x" (the img) or be blocked by the CSP: both are bugs.
  page.on('request', (r) => {
    if (/\/x$/.test(new URL(r.url()).pathname)) seen.injected.push(r.url());
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.injected.push(m.text());
  });
  page.on('response', (r) => {
    if (r.request().resourceType() === 'document') seen.documents.push(r);
  });
  return {
    async check(where: string) {
      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss), `${where}: window.__xss`).toBeUndefined();
      expect(seen.dialogs, `${where}: dialogs`).toEqual([]);
      expect(seen.injected, `${where}: injected markup`).toEqual([]);
      expect(
        await page.locator('img[src="x"], svg[onload], [onerror], a[href^="javascript:"]').count(),
        `${where}: elements made from a payload`,
      ).toBe(0);
      expect(seen.documents.length, `${where}: page responses`).toBeGreaterThan(0);
      for (const r of seen.documents) {
        const csp = (await r.allHeaders())['content-security-policy'] ?? '';
        const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1].trim();
        // The app's own files, and the one inline script the policy names by its hash (the participant page's first paint).
        expect(scripts, `${where}: script-src of the CSP on ${r.url()}`).toBe(`'self' ${FIRST_PAINT_SCRIPT_HASH}`);
      }
    },
  };
}

test('script injection is shown as text, never run', async ({ browser, server }) => {
  const contexts: BrowserContext[] = [];
  const open = async (opts: Parameters<Browser['newContext']>[0]) => {
    const c = await browser.newContext({ ...opts, baseURL: server.url });
    contexts.push(c);
    const page = await c.newPage();
    return { page, guard: guard(page) };
  };
  try {
    // The title, typed on the start page.
    const { page: fac, guard: facGuard } = await open({ viewport: DESKTOP });
    await fac.goto('/');
    await fac.getByLabel('Workshop title').fill(XSS_TITLE);
    await fac.getByRole('checkbox', { name: 'Silent brainstorm' }).uncheck();
    await fac.getByRole('button', { name: 'Create workshop' }).click();
    await fac.waitForURL(/\/w\/[A-Z0-9]{6}\/facilitate/);
    const code = new URL(fac.url()).pathname.split('/')[2];
    await expect(fac.getByRole('heading', { level: 1 })).toHaveText(XSS_TITLE);
    await expect.poll(() => fac.title()).toContain(XSS_TITLE);
    await nextPhase(fac, 'Brainstorm');

    const { page: phone, guard: phoneGuard } = await open(pixel7);
    await phone.goto(`/w/${code}`);
    await expect(phone.getByRole('heading', { level: 1 })).toHaveText(XSS_TITLE);
    // The payloads as notes, two to a bone so none is folded away.
    const places: Array<[RegExp, string]> = [
      [/^Processes/, 'Processes'],
      [/^Structures/, 'Structures'],
      [/^Environment/, 'Environment and culture'],
    ];
    for (const [i, payload] of PAYLOADS.entries()) {
      const [bone, place] = places[i % places.length];
      await writeNote(phone, bone, place, payload);
    }

    const { page: screen, guard: screenGuard } = await open({ viewport: PROJECTOR });
    await screen.goto(`/w/${code}/screen`);
    await expect(screen.getByRole('heading', { level: 1 })).toHaveText(XSS_TITLE);

    for (const payload of PAYLOADS) {
      await expect(article(phone, payload).getByText(payload, { exact: true })).toBeVisible();
      await expect(listNote(fac, payload).getByText(payload, { exact: true })).toBeVisible();
      await expect(onFishbone(fac, payload)).toHaveCount(1);
    }
    // The projector draws each note as SVG text; its full wording is the note's tooltip.
    const drawn = screen.getByRole('img', { name: /^Fishbone diagram/ });
    await expect(drawn).toHaveAccessibleName(/6 notes on the board/);
    const tooltips = await drawn.locator('g.note > title').allTextContents();
    expect(tooltips.sort()).toEqual([...PAYLOADS].sort());
    await expect(drawn.locator('text', { hasText: 'window.__xss' }).first()).toBeVisible();

    await facGuard.check('facilitator');
    await phoneGuard.check('phone');
    await screenGuard.check('projector');

    // The start page lists the workshop under its title, as text.
    await fac.goto('/');
    await expect(fac.getByText(XSS_TITLE, { exact: true })).toBeVisible();
    await facGuard.check('start page');
  } finally {
    for (const c of contexts) await c.close();
  }
});
