import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { act, brainstorm, GROUPS, openAwayDay, vote } from './away-day.ts';
import { createWorkshopApi, expect, test, TestClient, until } from './fixtures.ts';

/**
 * The facilitator's laptop at full size (issue 24): a 1366×768 screen, seven groups, a room's
 * worth of notes. Every setting saves itself and says so, and nothing typed is lost when the
 * facilitator moves on; the lobby's setup is in view; the moderation view says what was done
 * and offers nearby notes first; "Dots by group" fits the page; proposals' fields are whole;
 * Police is among the suggestions.
 */

const SCREENS = 'test-results/screens/away-day';
const LAPTOP = { width: 1366, height: 768 };

/** The element lies inside the window (nothing to scroll to find it). */
async function expectInView(page: Page, target: Locator) {
  const box = (await target.boundingBox())!;
  expect(box.y + box.height, (await target.textContent()) ?? '').toBeLessThanOrEqual(LAPTOP.height);
  expect(box.x + box.width).toBeLessThanOrEqual(LAPTOP.width);
}

test('every setting saves itself and says so; a groups edit is never lost by moving on; the lobby shows the setup', async ({
  browser,
  server,
}) => {
  mkdirSync(SCREENS, { recursive: true });
  const ws = await createWorkshopApi(server.url, { title: TITLE_LONG });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const context = await browser.newContext({ viewport: LAPTOP, baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    // At 1366×768 the lobby's settings, groups and timer start in view, not below the fold.
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await expectInView(page, page.getByRole('heading', { name: 'Settings' }));
    await expectInView(page, page.getByRole('heading', { name: 'Timer' }));
    await expectInView(page, page.getByRole('heading', { name: 'Groups (optional)' }));
    await page.screenshot({ path: `${SCREENS}/laptop-lobby-1366x768.png` });

    // A number saves when the field is left, and says so.
    const budget = page.getByRole('spinbutton', { name: 'Dots per person' });
    await budget.fill('6');
    await budget.press('Tab');
    await expect(page.getByText('Saved: Dots per person')).toBeVisible();
    await until(() => fac.board().meta.budget === 6, 'the budget on the board');

    // The suggested groups include Police, and save at once.
    await page.getByRole('button', { name: 'Use the suggested groups' }).click();
    await expect(page.getByText('Saved: Groups (optional)')).toBeVisible();
    expect(fac.board().meta.groups).toContain('Police');

    // Typed, then straight to the next phase with no button pressed: saved, not lost.
    const field = page.getByLabel('Groups, one per line');
    await field.fill(GROUPS.join('\n'));
    await expect(page.getByText('Not saved yet: it saves when you leave the box.')).toBeVisible();
    await page.getByRole('button', { name: /^Next: Brainstorm/ }).click();
    await until(() => fac.board().meta.phase === 'brainstorm', 'the brainstorm');
    expect(fac.board().meta.groups).toEqual(GROUPS);

    // A list that cannot be saved says so and holds the run of show until it is fixed.
    await field.fill(`Housing\n${'x'.repeat(41)}`);
    await page.getByRole('button', { name: /^Next: Review/ }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'longer than 40 characters' })).toBeVisible();
    await expect(page.getByText('Not saved: Groups (optional). Fix it or put it back before moving on.')).toBeVisible();
    await fac.sync();
    expect(fac.board().meta.phase).toBe('brainstorm');
    expect(fac.board().meta.groups).toEqual(GROUPS);
    await field.fill(GROUPS.join('\n'));
    await field.press('Tab');
    await expect(page.getByText('Not saved: Groups')).toHaveCount(0);
    await page.getByRole('button', { name: /^Next: Review/ }).click();
    await until(() => fac.board().meta.phase === 'review', 'the review');
  } finally {
    fac.close();
    await context.close();
  }
});

const TITLE_LONG = 'Barriers to partnership working: the Northshire away-day for health, social care, housing and police';

test('the moderation view says what each step did, offers nearby notes first, and the reveal says what happens next', async ({
  browser,
  server,
}) => {
  const ws = await createWorkshopApi(server.url, { title: 'Moderation at full size', silent: true });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const people = await Promise.all(Array.from({ length: 4 }, () => TestClient.participant(server.url, ws.code)));
  const context = await browser.newContext({ viewport: LAPTOP, baseURL: server.url });
  const page = await context.newPage();
  try {
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const notes: Array<[number, string, string | null, string]> = [
      [0, 'people', 'behaviour', 'Dr Smith in A&E is useless'],
      [1, 'people', 'behaviour', 'Senior managers never back us up'],
      [2, 'people', 'roles', 'Consultants chair every meeting'],
      [3, 'resources', 'money', 'Different funding cycles'],
      [3, 'people', 'behaviour', 'No back-up from managers'],
    ];
    for (const [p, boneId, subBoneId, text] of notes) await people[p].do({ type: 'note.add', boneId, subBoneId, text });
    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await page.getByRole('button', { name: 'Lock the board' }).click();
    await page.getByRole('button', { name: 'Open the moderation view' }).click();
    const view = page.getByRole('region', { name: 'Moderation view' });
    const group = (text: string) => view.getByRole('group', { name: `Moderate: ${text}` });
    await expect(group('Dr Smith in A&E is useless')).toBeVisible();

    // "Merge into…": the notes on the same sub-bone first, then the rest of the bone, then the others.
    const merge = group('No back-up from managers').getByRole('combobox', { name: 'Merge into…' });
    const optgroups = await merge
      .locator('optgroup')
      .evaluateAll((gs) =>
        gs.map((g) => ({ label: g.getAttribute('label'), notes: [...g.querySelectorAll('option')].map((o) => o.textContent) })),
      );
    expect(optgroups).toEqual([
      { label: 'Nearby: Behaviour', notes: ['Dr Smith in A&E is useless', 'Senior managers never back us up'] },
      { label: 'Nearby: People', notes: ['Consultants chair every meeting'] },
      { label: 'Resources', notes: ['Different funding cycles'] },
    ]);

    // Each step says what it did in the undo list.
    await group('Dr Smith in A&E is useless').getByRole('button', { name: 'Hold back' }).click();
    await merge.selectOption({ label: 'Senior managers never back us up' });
    await group('Consultants chair every meeting').getByRole('button', { name: 'Reword' }).click();
    await view.getByLabel('Wording').fill('Consultants chair every partnership meeting');
    await view.getByRole('button', { name: 'Save wording' }).click();
    const undo = page.getByRole('region', { name: 'Undo' });
    await expect(undo.getByRole('listitem').nth(0)).toContainText('Reworded as ‘Consultants chair every partnership meeting’');
    await expect(undo.getByRole('listitem').nth(1)).toContainText('Merged into ‘Senior managers never back us up’');
    await expect(undo.getByRole('listitem').nth(2)).toContainText('Held back ‘Dr Smith in A&E is useless’');
    await expect(undo.getByText('Moderated')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENS}/laptop-moderation-1366x768.png`, fullPage: true });

    // The reveal says what happens to the held-back note and to notes written after it.
    await page.getByRole('button', { name: 'Reveal notes (5 hidden)' }).click();
    await expect(page.getByText(/The note you held back stays off the board\./)).toBeVisible();
    await expect(
      page.getByText(
        /Notes written after this still wait for your review \(switch off “Hold new notes for review” to let them straight up\)\./,
      ),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Reveal them' }).click();
    await until(() => fac.board().notes.length === 3, 'the reveal');
    await expect(page.getByRole('switch', { name: 'Hold new notes for review' })).toBeChecked();
    await expect(page.getByText(/On from the start because the brainstorm began silent/)).toBeVisible();
  } finally {
    [fac, ...people].forEach((c) => c.close());
    await context.close();
  }
});

test('in Act at 1366×768: dots by seven groups fit the page, proposals keep "By when" whole, Police is a "Who"', async ({
  browser,
  server,
}) => {
  test.setTimeout(180_000);
  const day = await openAwayDay(server.url);
  const context = await browser.newContext({ viewport: LAPTOP, baseURL: server.url });
  const page = await context.newPage();
  try {
    await brainstorm(day);
    await day.fac.do({ type: 'phase.set', phase: 'review' });
    await day.fac.do({ type: 'phase.set', phase: 'vote' });
    await vote(day);
    await day.fac.do({ type: 'phase.set', phase: 'reveal' });
    await act(day);
    for (const [i, text] of ['A joint discharge protocol', 'One shared referral form', 'Rotate the chair of the board'].entries())
      await day.room[i].do({ type: 'proposal.add', text });
    await page.goto(`/w/${day.w.code}/facilitate#key=${day.w.facilitatorKey}`);

    // Dots by group: a row per group, no sideways scrolling.
    const breakdown = page.locator('section.breakdown');
    await expect(breakdown.getByRole('heading', { name: 'Dots by group' })).toBeVisible();
    await expect(breakdown.getByRole('rowheader')).toHaveText([...GROUPS].sort());
    expect(await breakdown.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    await breakdown.scrollIntoViewIfNeeded();
    await breakdown.screenshot({ path: `${SCREENS}/laptop-dots-by-group-1366x768.png` });

    // Proposals: every field inside its card.
    const proposals = page.getByRole('region', { name: 'Proposed actions from phones' });
    await proposals.getByRole('button', { name: 'Show 3 proposals' }).click();
    const card = proposals.getByRole('listitem').first();
    await expect(card.getByLabel('By when')).toBeVisible();
    // On this laptop and on a 1280-wide one (two narrower cards side by side).
    for (const size of [LAPTOP, { width: 1280, height: 720 }]) {
      await page.setViewportSize(size);
      for (const field of ['Who', 'By when', 'For barrier']) {
        const [cardBox, box] = [(await card.boundingBox())!, (await card.getByLabel(field).boundingBox())!];
        expect(box.x + box.width, `${field} at ${size.width}`).toBeLessThanOrEqual(cardBox.x + cardBox.width);
      }
    }
    await page.setViewportSize(LAPTOP);
    await proposals.scrollIntoViewIfNeeded();
    await proposals.screenshot({ path: `${SCREENS}/laptop-proposals-1366x768.png` });

    // "Who" suggestions include Police.
    const who = await page.locator('#who-suggestions option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(who).toContain('Police');

    // The printed report: "Dots by group" within the page's width, its heading on the page of its table.
    await page.goto(`/w/${day.w.code}/report#key=${day.w.facilitatorKey}`);
    const groups = page.getByRole('region', { name: 'Dots by group', exact: true });
    await expect(groups.getByRole('rowheader')).toHaveText([...GROUPS].sort());
    expect(await groups.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const pdf = join(SCREENS, 'printed-report.pdf');
    await page.pdf({ path: pdf, format: 'A4' });
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())![1]);
    const texts = Array.from({ length: pages }, (_, p) =>
      execFileSync('pdftotext', ['-layout', '-f', String(p + 1), '-l', String(p + 1), pdf, '-']).toString(),
    );
    const at = texts.findIndex((t) => /^\s*Dots by group\s*$/m.test(t));
    expect(at).toBeGreaterThanOrEqual(0);
    for (const g of GROUPS) expect(texts[at], g).toContain(g.split(' ')[0]);
    expect(texts[at]).toMatch(/Group\s+#1\s+#2\s+#3\s+#4\s+#5\s+All their dots/);
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      String(at + 1),
      '-l',
      String(at + 1),
      '-singlefile',
      pdf,
      join(SCREENS, 'printed-dots-by-group'),
    ]);
  } finally {
    day.close();
    await context.close();
  }
});
