import type { Page } from '@playwright/test';
import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, test } from './fixtures.ts';

/** The page fits its window: a projector cannot scroll. */
async function expectNoScroll(page: Page) {
  const overflow = await page.evaluate(() => ({
    y: document.documentElement.scrollHeight - innerHeight,
    x: document.documentElement.scrollWidth - innerWidth,
  }));
  expect(overflow.y).toBeLessThanOrEqual(0);
  expect(overflow.x).toBeLessThanOrEqual(0);
}

test('the projector shows how to join, the head count, turnout and, after the reveal, the top barrier', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Projector test day' });
  const fac = await TestClient.facilitator(server.url, w.code, w.facilitatorKey);
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${server.url}/w/${w.code}/screen`);

  // How to join: the code, the link and a QR code made by our own server.
  await expect(page.getByTestId('join-code')).toHaveText(w.code);
  await expect(page.getByText(`${server.url}/w/${w.code}`)).toBeVisible();
  const qr = page.locator(`img[src="/api/workshops/${w.code}/qr.svg"]`);
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true); // visible before loaded
  await expect(page.getByTestId('head-count')).toContainText('0 participants connected');

  const people = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
  await expect(page.getByTestId('head-count')).toContainText('3 participants connected');
  await expectNoScroll(page);

  // Silent brainstorm: the projector shows counts per bone, never the hidden text.
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const written: Array<[number, string, string | null, string]> = [
    [0, 'people', 'roles', 'Consultants overrule the care workers'],
    [1, 'resources', 'money', 'Funding cycles never line up'],
    [2, 'resources', 'money', 'Budgets are cut without warning'],
    [0, 'processes', null, 'Meetings end without owners'],
  ];
  for (const [p, boneId, subBoneId, text] of written) await people[p].do({ type: 'note.add', boneId, subBoneId, text });
  await expect(page.getByText('4 notes so far').first()).toBeVisible();
  await expect(page.locator('svg text', { hasText: '2 notes so far' })).toBeVisible();
  await expect(page.getByText('Funding cycles never line up')).toHaveCount(0);

  // The reveal of notes puts them on the fishbone.
  await fac.do({ type: 'phase.set', phase: 'review' });
  await expect(page.locator('svg text', { hasText: 'Funding cycles' }).first()).toBeVisible();

  // Voting: turnout only.
  await fac.do({ type: 'phase.set', phase: 'vote' });
  await until(() => fac.board().notes.length === 4, 'revealed notes');
  const id = (prefix: string) => fac.board().notes.find((n) => n.text.startsWith(prefix))!.id;
  await people[0].do({ type: 'vote.change', noteId: id('Funding'), delta: 2 });
  await people[1].do({ type: 'vote.change', noteId: id('Funding'), delta: 1 });
  await people[1].do({ type: 'vote.change', noteId: id('Consultants'), delta: 3 });
  // Turnout moves a few seconds later, once 3 people have voted (server/workshop/disclosure.ts).
  await people[2].do({ type: 'vote.change', noteId: id('Funding'), delta: 1 });
  await expect(page.getByTestId('turnout')).toContainText('3 of 3 participants have voted');
  // Blind while voting: no ranking, no dots on the board.
  await expect(page.getByRole('table')).toHaveCount(0);

  // The reveal: Funding (4 dots from 3 people) outranks Consultants (3 dots from 1).
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  const firstRow = page.getByRole('table').locator('tbody tr').first();
  await expect(firstRow).toContainText('Funding cycles never line up');
  await expect(firstRow).toContainText('4');
  await expect(firstRow).toContainText('3 (100%)');
  await expect(page.getByRole('table').locator('tbody tr').nth(1)).toContainText('Consultants overrule the care workers');
  await expect(page.getByText('Most of the weight: Resources')).toBeVisible();
  await expect(page.getByRole('img', { name: /Most of the weight: Resources \(57% of dots\)/ })).toBeVisible();
  await expectNoScroll(page);

  // The same view fits a 1080p projector too.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(firstRow).toContainText('Funding cycles never line up');
  await expectNoScroll(page);

  // Act: the group's control tags and actions.
  await fac.do({ type: 'phase.set', phase: 'act' });
  await fac.do({ type: 'act.tag', noteId: id('Funding'), tag: 'outside' });
  await fac.do({
    type: 'action.add',
    noteId: id('Consultants'),
    what: 'Rotate who chairs the case meeting',
    who: 'Team leads',
    when: 'March',
  });
  await expect(page.getByText('Outside our control')).toBeVisible();
  await expect(page.getByText('Rotate who chairs the case meeting')).toBeVisible();
  await expectNoScroll(page);

  for (const c of [fac, ...people]) c.close();
  await page.close();
});

test('an unknown code says so clearly', async ({ browser, server }) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${server.url}/w/ZZZZZZ/screen`);
  await expect(page.getByRole('heading', { name: 'This screen cannot show the workshop' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('No workshop has that code');
  await page.close();
});
