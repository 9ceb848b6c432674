import { createWorkshopApi, expect, facilitatorSocket, phones, test, until } from './fixtures.ts';

/**
 * The server dies mid-brainstorm (SIGKILL, no goodbye) and comes back on the same port with the
 * same data: the phone says it is reconnecting, then connected; its notes are still there and
 * still its own, and a note written afterwards arrives once.
 */
test('a phone rides out a server crash and restart', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Restart day' }); // silent: notes stay the author's alone
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  fac.close();

  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  const status = page.getByRole('status').filter({ hasText: /^\s*(Connected|Reconnecting)/ });
  await expect(status).toHaveText('Connected');
  await page.getByRole('button', { name: /^Processes/ }).click();
  const field = page.getByLabel('Add a note to Processes');
  await field.fill('Nobody owns the referral pathway');
  await field.press('Enter');
  const first = page.locator('article', { hasText: 'Nobody owns the referral pathway' });
  await expect(first.getByText('Only you see it for now')).toBeVisible();

  const restarting = server.restart('SIGKILL');
  await expect(status).toHaveText('Reconnecting…');
  await restarting;
  await expect(status).toHaveText('Connected', { timeout: 15_000 });

  // Still there, still theirs (edit and delete are offered only on one's own notes).
  await expect(first).toHaveCount(1);
  await expect(first.getByText('Your note')).toBeVisible();
  await expect(first.getByRole('button', { name: "Edit your note 'Nobody owns the referral pathway'" })).toBeVisible();

  await field.fill('Budgets are set a year apart');
  await field.press('Enter');
  await expect(page.locator('article', { hasText: 'Budgets are set a year apart' }).getByText('Your note')).toBeVisible();

  // Reveal and count: each note exactly once on the server's board.
  const after = await facilitatorSocket(server.url, w);
  await after.do({ type: 'notes.reveal' });
  await until(() => after.board().notes.length >= 2, 'the revealed notes');
  // The phone says "Connected" (nothing waiting): every send it made has been answered; after a
  // round trip, all the server sent this socket before it has arrived, a doubled note included.
  await expect(status).toHaveText('Connected');
  await after.sync();
  expect(
    after
      .board()
      .notes.map((n) => n.text)
      .sort(),
  ).toEqual(['Budgets are set a year apart', 'Nobody owns the referral pathway']);
  await expect(page.locator('article', { hasText: 'Budgets are set a year apart' })).toHaveCount(1);
  await expect(page.locator('article', { hasText: 'Nobody owns the referral pathway' })).toHaveCount(1);
  after.close();
  await context.close();
});
