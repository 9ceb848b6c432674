import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, phone, test } from './fixtures.ts';

/**
 * The timer ends with its phase ("Time's up" does not follow the room into the next one; a closed
 * workshop shows no timer), the review's lock panel tells the truth, and a new action does not
 * inherit the last one's barrier.
 */

test('"Time\'s up" clears on the projector, the phone and the facilitator page when the phase changes', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Timer', silent: false });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const facPage = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const screen = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const phoneContext = await browser.newContext({ ...phone });
  const phonePage = await phoneContext.newPage();
  try {
    await facPage.goto(`${server.url}/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await screen.goto(`${server.url}/w/${ws.code}/screen`);
    await phonePage.goto(`${server.url}/w/${ws.code}`);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const timer = facPage.getByRole('region', { name: 'Timer' });
    await timer.getByLabel('Minutes').fill('1');
    await timer.getByRole('button', { name: 'Start' }).click();
    const pages = [facPage, screen, phonePage];
    for (const p of pages) await expect(p.getByRole('timer')).toBeVisible();
    // Run the minute out on each page's own clock (the server's clock and the offset stay as they are).
    const later = Date.now() + 65_000;
    for (const p of pages) await p.clock.setFixedTime(later);
    for (const p of pages) await expect(p.getByRole('timer')).toHaveText("Time's up");

    await fac.do({ type: 'phase.set', phase: 'review' });
    for (const p of pages) await expect(p.getByRole('timer')).toHaveCount(0);
    await expect(facPage.getByText("Time's up")).toHaveCount(0);

    // A timer running at the close ends with it, and a closed workshop has no timer card.
    await fac.do({ type: 'timer.start', minutes: 5 });
    for (const p of [facPage, screen]) await expect(p.getByRole('timer')).toBeVisible();
    for (const phase of ['vote', 'reveal', 'act', 'closed'] as const) await fac.do({ type: 'phase.set', phase });
    await expect(facPage.getByRole('listitem').filter({ hasText: 'Closed' }).and(facPage.locator('[aria-current="step"]'))).toBeVisible();
    for (const p of [facPage, screen]) await expect(p.getByRole('timer')).toHaveCount(0);
    await expect(facPage.getByRole('region', { name: 'Timer' })).toHaveCount(0);
    await expect(facPage.getByText('Running.')).toHaveCount(0);
  } finally {
    fac.close();
    await facPage.close();
    await screen.close();
    await phoneContext.close();
  }
});

test('in review the lock panel says participants cannot add notes; a new action starts with no barrier chosen', async ({
  browser,
  server,
}) => {
  const ws = await createWorkshopApi(server.url, { title: 'Fixes', silent: false });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const p = await TestClient.participant(server.url, ws.code);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(`${server.url}/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await expect(page.getByText('Open: participants can add and change their notes.')).toBeVisible();
    const { noteId } = await p.do({ type: 'note.add', boneId: 'people', text: 'Consultants overrule the care workers' });
    await p.do({ type: 'note.add', boneId: 'resources', text: 'No time for joint work' });
    await fac.do({ type: 'phase.set', phase: 'review' });
    await expect(
      page.getByText('Participants cannot add or change notes in review: only facilitators change the board now.'),
    ).toBeVisible();
    await expect(page.getByText('participants can add and change their notes')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Lock the board' })).toHaveCount(0);
    // ...which is what the server does.
    expect(await p.send({ type: 'note.add', boneId: 'people', text: 'Too late' })).toMatchObject({ ok: false, code: 'wrong_phase' });

    await fac.do({ type: 'phase.set', phase: 'vote' });
    await p.do({ type: 'vote.change', noteId: noteId!, delta: 2 });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await fac.do({ type: 'phase.set', phase: 'act' });
    const barrier = page.getByLabel('For barrier (optional)');
    await page.getByLabel('What will be done').fill('Rotate who chairs the case meeting');
    await barrier.selectOption({ label: '#1 Consultants overrule the care workers' });
    await page.getByRole('button', { name: 'Add action' }).click();
    await until(() => fac.board().actions.length === 1, 'the first action');
    expect(fac.board().actions[0].noteId).toBe(noteId);
    await expect(barrier).toHaveValue('');
    await page.getByLabel('What will be done').fill('Protected time for partnership work');
    await page.getByRole('button', { name: 'Add action' }).click();
    await until(() => fac.board().actions.length === 2, 'the second action');
    expect(fac.board().actions[1].noteId).toBeNull();
  } finally {
    fac.close();
    p.close();
    await page.close();
  }
});
