import { createHash } from 'node:crypto';
import { createWorkshopApi, expect, facilitatorSocket, smallPhone, TestClient, test, until } from './fixtures.ts';
import { seriousViolations } from '../support/axe.ts';

/**
 * The phone's first load (issue 17): the server draws the board into the participant page's
 * HTML, so it is readable before any script runs, and its note forms and dot buttons work
 * before the page's code has arrived (the first paint's inline script queues into the outbox);
 * the page's script draws the live page before Yjs and socket.io have loaded, and a note written
 * then waits in the outbox and is sent, once, when the socket connects.
 */

/** A workshop in a non-silent brainstorm, and its facilitator's socket. */
async function brainstorming(url: string, title: string) {
  const w = await createWorkshopApi(url, { title, silent: false });
  const fac = await facilitatorSocket(url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  return { w, fac };
}

/** Holds back the page's script files that match `pattern`, as a slow network would, until released. */
async function holdScripts(page: import('@playwright/test').Page, pattern: RegExp): Promise<() => void> {
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route(pattern, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('the board is readable with JavaScript off, and the HTML is the same for every participant', async ({ browser, server }) => {
  const { w, fac } = await brainstorming(server.url, 'No-script day');
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
  // The note forms need the first paint's script: without any script they are not offered.
  await expect(page.getByLabel('Add a note to People')).toBeHidden();
  await page.screenshot({ path: 'test-results/first-load-no-script.png' });

  // The same bytes for everyone (no one's token, group or ballot in it); the author's own
  // token is not in it either.
  const a = await (await fetch(`${server.url}/w/${w.code}`)).text();
  const b = await (await fetch(`${server.url}/w/${w.code}`, { headers: { cookie: 'x=1' } })).text();
  expect(a).toBe(b);
  expect(a).not.toContain(author.token!);
  // One inline script runs, the first paint's, and the Content Security Policy names it by its
  // hash: no other inline script could run.
  const inline = [...a.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  expect(inline).toHaveLength(1);
  const csp = (await fetch(`${server.url}/w/${w.code}`)).headers.get('content-security-policy')!;
  const hash = `'sha256-${createHash('sha256').update(inline[0]).digest('base64')}'`;
  expect(csp).toMatch(new RegExp(`script-src 'self' ${hash.replace(/[+/]/g, '\\$&')};`));

  fac.close();
  author.close();
  await context.close();
});

test('before the socket connects the page takes a note; it is sent once when it connects', async ({ browser, server }) => {
  const { w, fac } = await brainstorming(server.url, 'Slow venue Wi-Fi');

  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const page = await context.newPage();
  // Hold back the chunk with Yjs and socket.io, as a slow network would.
  const release = await holdScripts(page, /\/assets\/sync-[^/]+\.js$/);
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

test('before the page’s code arrives, the first paint takes a note and a dot into the outbox', async ({ browser, server }) => {
  const { w, fac } = await brainstorming(server.url, 'Slow 4G day');

  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const page = await context.newPage();
  const release = await holdScripts(page, /\/assets\/[^/]+\.js$/);
  const frames: string[] = [];
  const sockets: string[] = [];
  page.on('websocket', (ws) => {
    sockets.push(ws.url());
    ws.on('framesent', (f) => frames.push(String(f.payload)));
  });
  await page.goto(`/w/${w.code}`, { waitUntil: 'commit' });

  // None of the page's code has run: the server's first paint, armed by its own script.
  await expect(page.locator('[data-ssr][data-armed]')).toHaveCount(1);
  await page.locator('summary', { hasText: 'Add a note to Processes' }).click();
  const first = page.getByLabel('Add a note to Processes');
  await first.fill('Referrals vanish between teams');
  await first.press('Enter');
  await expect(page.getByText('Referrals vanish between teams (Waiting to be sent)')).toBeVisible();
  await expect(first).toHaveValue('');
  await page.screenshot({ path: 'test-results/first-load-first-paint-note.png' });
  // A second note, still being typed when the page's code arrives: the live page waits for it
  // rather than taking the field (and the phone's keyboard) away mid-word.
  await page.locator('summary', { hasText: 'Add a note to People' }).click();
  const second = page.getByLabel('Add a note to People');
  await second.fill('Nobody asks the night staff');
  release();
  await expect(page.locator('[data-ssr][data-handover="waiting"]')).toHaveCount(1);
  await expect(second).toHaveValue('Nobody asks the night staff');
  await second.press('Enter');
  await expect(page.locator('[data-ssr]')).toHaveCount(0);
  await expect(page.getByRole('banner')).toContainText('Connected');

  const texts = ['Referrals vanish between teams', 'Nobody asks the night staff'];
  await until(() => texts.every((x) => fac.board().notes.some((n) => n.text === x)), 'both notes on the board', 10_000);
  await fac.sync();
  for (const x of texts) {
    expect(fac.board().notes.filter((n) => n.text === x)).toHaveLength(1);
    expect(frames.filter((f) => f.includes('"note.add"') && f.includes(x))).toHaveLength(1);
  }
  // One connection: the one the first paint opened, which socket.io's client took over.
  expect(sockets).toEqual([expect.stringContaining(`/socket.io/?w=${w.code}&EIO=4&transport=websocket`)]);
  expect(fac.board().notes.find((n) => n.text === texts[0])!.boneId).toBe('processes');
  expect(fac.board().notes.find((n) => n.text === texts[1])!.boneId).toBe('people');
  for (const bone of ['Processes', 'People']) await page.getByRole('button', { name: new RegExp(`^${bone}`) }).click();
  for (const x of texts) await expect(page.locator('article', { hasText: x }).getByText('Your note')).toBeVisible();

  // Voting: a dot placed on the first paint is in the participant's ballot once connected.
  await fac.do({ type: 'phase.set', phase: 'vote' });
  const target = fac.board().notes.find((n) => n.text === texts[0])!;
  // A phone of its own (a new browser, nothing cached).
  const voterContext = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const voter = await voterContext.newPage();
  const releaseVote = await holdScripts(voter, /\/assets\/[^/]+\.js$/);
  await voter.goto(`/w/${w.code}`, { waitUntil: 'commit' });
  await voter.getByRole('button', { name: `Add a dot to '${target.text}'` }).click();
  await expect(voter.getByText('(1 waiting)')).toBeVisible();
  await voter.screenshot({ path: 'test-results/first-load-first-paint-dot.png' });
  releaseVote();
  await expect(voter.getByRole('banner')).toContainText('Connected');
  await expect(voter.getByRole('banner')).toContainText(`${fac.board().meta.budget - 1} of ${fac.board().meta.budget} dots left`);
  const dotted = voter.locator('article', { hasText: target.text });
  if (!(await dotted.isVisible())) await voter.getByRole('button', { name: /^Processes/ }).click();
  await expect(dotted.getByText(/Your dots: 1 of at most/)).toBeVisible();

  fac.close();
  await voterContext.close();
  await context.close();
});

test('the phone joins while its page is still drawing, and keeps what the room sent meanwhile', async ({ browser, server }) => {
  const { w, fac } = await brainstorming(server.url, 'Early join');

  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const page = await context.newPage();
  // Yjs and socket.io arrive; the page's own parts are held back.
  const release = await holdScripts(page, /\/assets\/(Participant|phone)-[^/]+\.js$/);
  const sent: string[] = [];
  const received: string[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => sent.push(String(f.payload)));
    ws.on('framereceived', (f) => received.push(String(f.payload)));
  });
  await page.goto(`/w/${w.code}`, { waitUntil: 'commit' });
  await until(() => sent.some((f) => f.includes('"join"')), 'the early join', 10_000);
  await until(() => fac.stats?.connected.participants === 1, 'the phone counted as joined', 10_000);

  // The room changes before the page's client listens.
  const other = await TestClient.participant(server.url, w.code);
  const before = received.length;
  await other.do({ type: 'note.add', boneId: 'people', subBoneId: null, text: 'Said while the phone was drawing' });
  await until(() => received.slice(before).some((f) => f.startsWith('42["doc"')), 'the update reached the phone', 10_000);
  await expect(page.locator('[data-ssr]')).toHaveCount(1);

  release();
  await expect(page.getByRole('banner')).toContainText('Connected');
  await page.getByRole('button', { name: /^People/ }).click();
  await expect(page.getByText('Said while the phone was drawing')).toBeVisible();
  // One join: the early one, taken over by the page's client.
  expect(sent.filter((f) => f.includes('"join"'))).toHaveLength(1);

  other.close();
  fac.close();
  await context.close();
});

test('the first paint, with its forms and dot buttons, passes axe (WCAG 2.2 AA) before any of the page’s code runs', async ({
  browser,
  server,
}) => {
  const { w, fac } = await brainstorming(server.url, 'Accessible first paint');
  const author = await TestClient.participant(server.url, w.code);
  await author.do({ type: 'note.add', boneId: 'people', subBoneId: null, text: 'Handover notes go missing' });
  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });

  for (const phase of ['brainstorm', 'vote'] as const) {
    if (phase === 'vote') await fac.do({ type: 'phase.set', phase });
    const page = await context.newPage();
    await holdScripts(page, /\/assets\/[^/]+\.js$/);
    await page.goto(`/w/${w.code}`, { waitUntil: 'commit' });
    await expect(page.locator('[data-ssr][data-armed]')).toHaveCount(1);
    if (phase === 'brainstorm') await page.locator('summary', { hasText: 'Add a note to People' }).click();
    else await expect(page.getByRole('button', { name: "Add a dot to 'Handover notes go missing'" })).toBeVisible();
    expect(await seriousViolations(page), phase).toEqual([]);
    await page.close();
  }
  author.close();
  fac.close();
  await context.close();
});
