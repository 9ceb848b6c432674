import { createWorkshopApi, expect, facilitatorSocket, smallPhone, TestClient, test, until } from './fixtures.ts';

/**
 * The phone's first load (issue 17): the server draws the board into the participant page's
 * HTML, so it is readable before any script runs; the page's script draws the live page before
 * Yjs and socket.io have loaded, and a note written then waits in the outbox and is sent, once,
 * when the socket connects.
 */

test('the board is readable with JavaScript off, and the HTML is the same for every participant', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'No-script day', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const author = await TestClient.participant(server.url, w.code);
  await author.do({ type: 'note.add', boneId: fac.board().meta.bones[0].id, subBoneId: null, text: 'Consultants <b>talk</b> over us' });
  await fac.sync();

  const context = await browser.newContext({ ...smallPhone, baseURL: server.url, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await expect(page.getByRole('heading', { level: 1, name: 'No-script day' })).toBeVisible();
  await expect(page.getByText('Brainstorm', { exact: true })).toBeVisible();
  for (const bone of fac.board().meta.bones) await expect(page.getByText(bone.label, { exact: true })).toBeVisible();
  // The note's text, as text: escaped, never markup.
  await expect(page.getByText('Consultants <b>talk</b> over us')).toBeVisible();
  await expect(page.getByText('1 note', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'test-results/first-load-no-script.png' });

  // The same bytes for everyone (no one's token, group or ballot in it); the author's own
  // token is not in it either.
  const a = await (await fetch(`${server.url}/w/${w.code}`)).text();
  const b = await (await fetch(`${server.url}/w/${w.code}`, { headers: { cookie: 'x=1' } })).text();
  expect(a).toBe(b);
  expect(a).not.toContain(author.token!);
  // No inline script runs: the only inline script element is the JSON state.
  expect(a.match(/<script(?![^>]*type="application\/json")(?![^>]*src=)[^>]*>/g) ?? []).toEqual([]);

  fac.close();
  author.close();
  await context.close();
});

test('before the socket connects the page takes a note; it is sent once when it connects', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Slow venue Wi-Fi', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });

  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const page = await context.newPage();
  // Hold back the chunk with Yjs and socket.io, as a slow network would.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/assets\/sync-[^/]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => frames.push(String(f.payload))));

  await page.goto(`/w/${w.code}`);
  // The live page is drawn (the server's first paint is gone) while it is still connecting.
  await expect(page.locator('[data-ssr]')).toHaveCount(0);
  await expect(page.getByRole('banner')).toContainText('Connecting');
  await page.screenshot({ path: 'test-results/first-load-before-connect.png' });
  await page.getByRole('button', { name: /^Processes/ }).click();
  const field = page.getByLabel('Add a note to Processes');
  await field.fill('Nobody owns the referral pathway');
  await field.press('Enter');
  await expect(page.getByText('Waiting to be sent').first()).toBeVisible();

  release();
  await expect(page.getByRole('banner')).toContainText('Connected');
  await until(() => fac.board().notes.some((n) => n.text === 'Nobody owns the referral pathway'), 'the note on the board', 10_000);
  await fac.sync();
  expect(fac.board().notes.filter((n) => n.text === 'Nobody owns the referral pathway')).toHaveLength(1);
  const mine = page.locator('article', { hasText: 'Nobody owns the referral pathway' });
  await expect(mine.getByText('Your note')).toBeVisible();
  expect(frames.filter((f) => f.includes('"note.add"'))).toHaveLength(1);
  await page.screenshot({ path: 'test-results/first-load-connected.png' });

  fac.close();
  await context.close();
});
