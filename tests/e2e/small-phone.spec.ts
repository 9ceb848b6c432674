import { createWorkshopApi, expect, facilitatorSocket, phones, test, TestClient } from './fixtures.ts';

/**
 * A 360×640 phone: while voting the pinned header takes at most a fifth of the screen, the
 * facilitator's prompt can be read in full however long it is, and notes are typed in a box
 * that shows several lines.
 */

const LONG_PROMPT =
  'Spend your dots on the barriers that hurt the partnership most, not the ones that are easiest to fix: think about the service users and carers who wait while we argue about whose budget pays, and about the colleagues who left. Up to three dots on one barrier.';

test('360×640 while voting: header at most a fifth of the screen, the prompt in full', async ({ browser, server }) => {
  expect(LONG_PROMPT.length).toBeLessThanOrEqual(300);
  const w = await createWorkshopApi(server.url, { title: 'Partnership away-day for the North and West localities', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  const writer = await TestClient.participant(server.url, w.code);
  await fac.do({ type: 'settings.set', prompts: { vote: LONG_PROMPT } });
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  await writer.do({ type: 'note.add', boneId: 'processes', text: 'Referral forms differ' });
  await fac.do({ type: 'phase.set', phase: 'vote' });

  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await expect(page.getByText('5 of 5 dots left')).toBeVisible();
  const header = page.getByRole('banner');
  const height = await header.evaluate((el) => el.getBoundingClientRect().height);
  expect(height).toBeLessThanOrEqual(640 / 5);
  // Pinned: still there after scrolling down to a note.
  await page.getByRole('button', { name: "Add a dot to 'Referral forms differ'" }).click();
  await expect(page.getByText('4 of 5 dots left')).toBeVisible();
  await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
  expect(await header.evaluate((el) => el.getBoundingClientRect().top)).toBe(0);

  // The whole prompt is on the page, not clipped.
  const prompt = page.getByText(LONG_PROMPT, { exact: true });
  await prompt.scrollIntoViewIfNeeded();
  await expect(prompt).toBeVisible();
  const clipped = await prompt.evaluate((el) => el.scrollHeight > el.clientHeight + 1 || getComputedStyle(el).overflow === 'hidden');
  expect(clipped).toBe(false);
  writer.close();
  fac.close();
  await context.close();
});

test('360×640: notes are typed in a box of several lines; Enter adds the note', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Many lines', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await page.getByRole('button', { name: /^Processes/ }).click();
  const field = page.getByLabel('Add a note to Processes');
  const lines = await field.evaluate((el) => el.clientHeight / parseFloat(getComputedStyle(el).lineHeight));
  expect(lines).toBeGreaterThanOrEqual(3);
  const text = 'Each agency asks families for the same history again, and nobody shares what they were told';
  await field.fill(text);
  await field.press('Enter');
  await expect(page.locator('article', { hasText: text }).getByText('Your note')).toBeVisible();
  await expect(field).toHaveValue('');
  fac.close();
  await context.close();
});
