import type { Page } from '@playwright/test';
import { createWorkshopApi, expect, facilitatorSocket, pageWidth, phoneContext, smallPhone, TestClient, test } from './fixtures.ts';

test('a participant on a 360×640 phone adds a note with the Enter key; another phone sees it', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Partnership away-day', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });

  const small = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const first = await small.newPage();
  await first.goto(`/w/${w.code}`);
  await expect(first.getByRole('heading', { level: 1, name: 'Partnership away-day' })).toBeVisible();
  await expect(first.getByText('Brainstorm', { exact: true })).toBeVisible();

  // Pick a bone, then write: the phone keyboard's submit key (Enter) adds the note.
  await first.getByRole('button', { name: /^Processes/ }).click();
  const field = first.getByLabel('Add a note to Processes');
  await field.fill('Nobody owns the referral pathway');
  await field.press('Enter');

  const mine = first.locator('article', { hasText: 'Nobody owns the referral pathway' });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByText('Your note')).toBeVisible();
  await expect(field).toHaveValue('');
  expect(await pageWidth(first)).toBeLessThanOrEqual(360);

  // A second phone: the note is on the board, and it is not theirs.
  const other = await phoneContext(browser, server.url);
  const second = await other.newPage();
  await second.goto(`/w/${w.code}`);
  await expect(second.getByRole('button', { name: /^Processes/ })).toContainText('1 note');
  await second.getByRole('button', { name: /^Processes/ }).click();
  const seen = second.locator('article', { hasText: 'Nobody owns the referral pathway' });
  await expect(seen).toHaveCount(1);
  await expect(seen.getByText('Your note')).toHaveCount(0);
  await expect(seen.getByRole('button')).toHaveCount(0); // no edit or delete on someone else's note

  fac.close();
  await small.close();
  await other.close();
});

test('group and nickname: the group goes to the server, the nickname stays on the phone', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Groups day' });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'settings.set', groups: ['NHS', 'Council', 'Housing'] });
  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const page = await context.newPage();
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await page.goto(`/w/${w.code}`);

  const groups = page.getByRole('group', { name: 'Your group (optional)' });
  await expect(groups).toContainText('only for groups of 3 or more people');
  await groups.getByLabel('Council').check();
  await expect(groups.getByText('Saved: Council')).toBeVisible();

  await page.getByLabel('Nickname (optional)').fill('Sam the OT');
  await expect(page.getByRole('banner')).toContainText('You: Sam the OT');
  await page.reload();
  await expect(page.getByRole('banner')).toContainText('You: Sam the OT');
  await expect(page.getByRole('group', { name: 'Your group (optional)' }).getByLabel('Council')).toBeChecked();
  await expect(page.getByRole('group', { name: 'Your group (optional)' })).toContainText('Saved: Council'); // as the server has it
  expect(sent.some((f) => f.includes('profile.set') && f.includes('Council'))).toBe(true);
  expect(sent.some((f) => f.includes('Sam the OT'))).toBe(false);

  // Not asked at all when the facilitator set no groups; the nickname stays offered.
  await fac.do({ type: 'settings.set', groups: [] });
  await expect(page.getByRole('group', { name: 'Your group (optional)' })).toHaveCount(0);
  await expect(page.getByLabel('Nickname (optional)')).toBeVisible();
  fac.close();
  await context.close();
});

/** Every control a finger can hit, measured (a radio or checkbox by its label). */
const smallTargets = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [role="button"]')].flatMap((el) => {
      const choice = el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox');
      const target = (choice && el.closest('label')) || el;
      const r = target.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') return [];
      if (r.width >= 44 - 0.5 && r.height >= 44 - 0.5) return [];
      return [
        `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim()}" ${Math.round(r.width)}×${Math.round(r.height)}`,
      ];
    }),
  );

test('touch targets are at least 44×44 px, and landscape does not scroll sideways', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Big fingers', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'settings.set', groups: ['NHS', 'Council'] });
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const other = await TestClient.participant(server.url, w.code);
  await other.do({ type: 'note.add', boneId: 'processes', text: 'Flawed decision-making' });

  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await page.getByRole('button', { name: /^Processes/ }).click();
  await page.getByRole('button', { name: /^People/ }).click();
  await page.getByRole('button', { name: "Add 'Power and hierarchy'" }).click();
  const field = page.getByLabel('Add a note to Processes');
  await field.fill('No shared calendar');
  await field.press('Enter');
  await expect(page.getByRole('button', { name: "Edit your note 'No shared calendar'" })).toBeVisible();
  await page.getByRole('button', { name: /^About you/ }).click();
  expect(await smallTargets(page), 'brainstorm').toEqual([]);
  await page.setViewportSize({ width: 640, height: 360 });
  expect(await pageWidth(page), 'brainstorm, landscape').toBeLessThanOrEqual(640);

  await fac.do({ type: 'phase.set', phase: 'vote' });
  await page.setViewportSize({ width: 360, height: 640 });
  await page.getByRole('button', { name: "Add a dot to 'Flawed decision-making'" }).click();
  await expect(page.getByText('4 of 5 dots left')).toBeVisible();
  expect(await smallTargets(page), 'vote').toEqual([]);
  expect(await pageWidth(page), 'vote').toBeLessThanOrEqual(360);
  await page.setViewportSize({ width: 640, height: 360 });
  expect(await pageWidth(page), 'vote, landscape').toBeLessThanOrEqual(640);
  await expect(page.getByText('4 of 5 dots left')).toBeInViewport();

  other.close();
  fac.close();
  await context.close();
});
