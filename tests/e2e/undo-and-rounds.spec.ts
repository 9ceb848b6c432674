import type { Page } from '@playwright/test';
import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, test } from './fixtures.ts';

const SCREENS = 'test-results/screens';

const notesList = (page: Page) => page.getByRole('region', { name: 'Notes by bone' });
const noteButton = (page: Page, text: string) => notesList(page).getByRole('button', { name: text });
const tools = (page: Page) => page.getByRole('region', { name: 'Selected note' });
/** Select a note in the list (a second click would unselect it). */
async function select(page: Page, text: string) {
  if ((await noteButton(page, text).getAttribute('aria-pressed')) !== 'true') await noteButton(page, text).click();
  await expect(tools(page)).toContainText(text);
}
const undoCard = (page: Page) => page.getByRole('region', { name: 'Undo' });
/** Press Undo on the newest step, which must be of this kind. */
async function undoNewest(page: Page, label: RegExp) {
  const first = undoCard(page).getByRole('listitem').first();
  await expect(first.getByRole('button')).toHaveAccessibleName(label);
  await first.getByRole('button', { name: /^Undo/ }).click();
}

test('each moderation step is undone from the facilitator page', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Undo', silent: false });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const [a, b] = await Promise.all([0, 1].map(() => TestClient.participant(server.url, ws.code)));
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  await a.do({ type: 'note.add', boneId: 'people', text: 'Doctors dominate meetings' });
  await b.do({ type: 'note.add', boneId: 'people', text: 'Consultants dominate the meetings' });
  await b.do({ type: 'note.add', boneId: 'environment', text: 'No shared goal' });
  await fac.do({ type: 'phase.set', phase: 'review' });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const texts = () =>
    a
      .board()
      .notes.map((n) => n.text)
      .sort();
  try {
    await page.goto(`${server.url}/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await expect(undoCard(page)).toContainText('Nothing to undo yet');

    // Hide, then undo: back on every phone.
    await select(page, 'No shared goal');
    await tools(page).getByRole('button', { name: 'Hide note' }).click();
    await until(() => a.board().notes.length === 2, 'hidden');
    await undoNewest(page, /^Undo: Hid ‘No shared goal’/);
    await until(() => a.board().notes.length === 3, 'the hide undone');

    // Remove (no question asked: it can be undone), then undo.
    await select(page, 'No shared goal');
    await expect(tools(page).getByText('You can undo it.')).toBeVisible();
    await tools(page).getByRole('button', { name: 'Remove note' }).click();
    await until(() => a.board().notes.length === 2, 'removed');
    await undoNewest(page, /^Undo: Removed ‘No shared goal’/);
    await until(() => a.board().notes.length === 3, 'the removal undone');

    // Move, then undo with Ctrl+Z.
    await select(page, 'No shared goal');
    await tools(page).getByLabel('Move to').selectOption({ label: 'Processes' });
    await tools(page).getByRole('button', { name: 'Move', exact: true }).click();
    await until(() => a.board().notes.find((n) => n.text === 'No shared goal')?.boneId === 'processes', 'moved');
    await expect(undoCard(page).getByRole('listitem').first()).toContainText('Moved');
    await page.locator('body').press('Control+z');
    await until(() => a.board().notes.find((n) => n.text === 'No shared goal')?.boneId === 'environment', 'the move undone');

    // Reword, then undo.
    await select(page, 'No shared goal');
    await tools(page).getByLabel('Wording').fill('No common goal');
    await tools(page).getByRole('button', { name: 'Save wording' }).click();
    await until(() => texts().includes('No common goal'), 'reworded');
    await undoNewest(page, /^Undo: Reworded as ‘No common goal’/);
    await until(() => texts().includes('No shared goal'), 'the rewording undone');

    // Merge, then undo: both sources back, each its own author's.
    await select(page, 'Doctors dominate meetings');
    await tools(page)
      .getByRole('checkbox', { name: /Consultants dominate the meetings/ })
      .check();
    await tools(page).getByRole('button', { name: 'Merge 1 note into this one' }).click();
    await until(() => a.board().notes.length === 2, 'merged');
    await page.screenshot({ path: `${SCREENS}/facilitator-undo.png` });
    await undoNewest(page, /^Undo: Merged into ‘Doctors dominate meetings’/);
    await until(() => a.board().notes.length === 3, 'the merge undone');
    expect(texts()).toEqual(['Consultants dominate the meetings', 'Doctors dominate meetings', 'No shared goal']);
    await until(() => b.self!.notes.length === 2 && a.self!.notes.length === 1, 'each author has their own again');
    await expect(undoCard(page)).toContainText('Nothing to undo yet');
  } finally {
    [fac, a, b].forEach((c) => c.close());
    await page.close();
  }
});

test('steps that cannot be undone ask first and say what will happen; a vote closed by mistake reopens', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Confirmations', silent: true });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const p = await TestClient.participant(server.url, ws.code);
  const others = await Promise.all([0, 1].map(() => TestClient.participant(server.url, ws.code)));
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(`${server.url}/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await page.getByRole('button', { name: /^Next: Brainstorm/ }).click();
    await until(() => p.board().meta.phase === 'brainstorm', 'brainstorm');
    const { noteId } = await p.do({ type: 'note.add', boneId: 'people', text: 'A barrier' });
    for (const other of others) await other.do({ type: 'note.add', boneId: 'processes', text: 'Another barrier' });
    // The page knows of the held notes once they are counted: a few seconds after the last of
    // them, once 3 people have written (server/workshop/disclosure.ts).
    await expect(page.getByRole('button', { name: 'Reveal notes (3 hidden)' })).toBeVisible();
    // Moving on publishes the held notes: it asks, and Cancel changes nothing.
    await page.getByRole('button', { name: /^Next: Review/ }).click();
    await expect(
      page.getByText(/^Moving on to Review puts every note still held on every screen and phone at once \(3 so far/),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await p.sync();
    expect(p.board().meta.phase).toBe('brainstorm');
    await page.getByRole('button', { name: /^Next: Review/ }).click();
    await page.getByRole('button', { name: 'Move on to Review' }).click();
    await until(() => p.board().meta.phase === 'review' && p.board().notes.length === 3, 'review');

    await page.getByRole('button', { name: /^Next: Vote/ }).click();
    await until(() => p.board().meta.phase === 'vote', 'vote');
    await p.do({ type: 'vote.change', noteId: noteId!, delta: 2 });
    // "Close voting" does not reveal anything and can be undone.
    await page.getByRole('button', { name: 'Close voting' }).click();
    await until(() => p.board().meta.votingClosed === true, 'closed');
    await expect(page.getByText(/^Voting is closed: nobody can place or move dots/)).toBeVisible();
    expect(await p.send({ type: 'vote.change', noteId: noteId!, delta: 1 })).toMatchObject({ ok: false, code: 'wrong_phase' });
    await page.getByRole('button', { name: 'Reopen voting' }).click();
    await until(() => p.board().meta.votingClosed === false, 'reopened');
    await p.do({ type: 'vote.change', noteId: noteId!, delta: 1 });
    await page.getByRole('button', { name: 'Close voting' }).click();
    // The reveal asks, and says it is final.
    await page.getByRole('button', { name: 'Reveal the results…' }).click();
    await expect(
      page.getByText('Reveal the results of the vote on every screen and phone? The ranking is final: voting cannot reopen after this.'),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await p.sync();
    expect(p.board().tally).toBeNull();
    await page.getByRole('button', { name: 'Reveal the results…' }).click();
    await page.getByRole('button', { name: 'Reveal the results', exact: true }).click();
    await until(() => p.board().tally?.notes[noteId!]?.dots === 3, 'revealed');

    await page.getByRole('button', { name: /^Next: Act/ }).click();
    await page.getByRole('button', { name: 'Close the workshop…' }).click();
    await expect(page.getByText(/who wrote and who voted for what is deleted for good .* This cannot be undone\./)).toBeVisible();
    await page.getByRole('button', { name: 'Close the workshop', exact: true }).click();
    await until(() => fac.board().meta.phase === 'closed', 'closed');
  } finally {
    fac.close();
    for (const x of [p, ...others]) x.close();
    await page.close();
  }
});

test('a second round on the top notes has its own ranking on the facilitator page, the projector and the report', async ({
  browser,
  server,
}) => {
  const ws = await createWorkshopApi(server.url, { title: 'Second round', silent: false });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const people = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, ws.code)));
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const id: Record<string, string> = {};
  const texts = {
    A: 'Different funding cycles',
    B: 'Consultants overrule the care workers',
    C: 'No shared case records',
    D: 'Partnership fatigue',
  };
  for (const [k, text] of Object.entries(texts)) id[k] = (await fac.do({ type: 'note.add', boneId: 'resources', text })).noteId!;
  await fac.do({ type: 'phase.set', phase: 'vote' });
  const [p, q, r] = people;
  // Round 1: A 5 dots, B 4, C 3, D 2.
  for (const [who, k, d] of [
    [p, 'A', 3],
    [p, 'B', 1],
    [q, 'A', 2],
    [q, 'C', 3],
    [r, 'B', 3],
    [r, 'D', 2],
  ] as const)
    await who.do({ type: 'vote.change', noteId: id[k], delta: d });
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const screen = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  try {
    await page.goto(`${server.url}/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await screen.goto(`${server.url}/w/${ws.code}/screen`);
    const round = page.getByRole('region', { name: 'Vote again' });
    await round.getByLabel('Top barriers').fill('3');
    await round.getByLabel('Dots each').fill('4');
    await round.getByRole('button', { name: 'Vote again on the top 3…' }).click();
    await expect(
      round.getByText(/^Open round 2: everyone votes again on the top 3 barriers only, with 4 fresh dots \(at most 3 on one\)/),
    ).toBeVisible();
    await round.getByRole('button', { name: 'Open round 2' }).click();
    await until(() => p.board().meta.round === 2 && p.board().meta.phase === 'vote', 'round 2 open');
    // The projector votes on those three only.
    await expect(screen.getByTestId('round')).toHaveText('Round 2: vote again on these 3 barriers, with fresh dots');
    await expect(screen.locator('svg g.note > title')).toHaveCount(3);
    await expect(screen.locator('svg g.note > title', { hasText: texts.D })).toHaveCount(0);
    await until(() => p.self?.dotsLeft === 4, 'fresh dots');
    expect(await p.send({ type: 'vote.change', noteId: id.D, delta: 1 })).toMatchObject({ ok: false, code: 'bad_request' });
    await p.do({ type: 'vote.change', noteId: id.C, delta: 3 });
    await q.do({ type: 'vote.change', noteId: id.C, delta: 1 });
    await r.do({ type: 'vote.change', noteId: id.B, delta: 2 });
    await expect(screen.getByTestId('turnout')).toHaveText('3 of 3 participants have voted');
    // Nothing on the projector's side column is cut off at the foot of the screen.
    const blind = await screen.getByText('Votes stay hidden from everyone, facilitator included, until the reveal.').boundingBox();
    expect(blind!.y + blind!.height).toBeLessThanOrEqual(1080);
    await screen.screenshot({ path: `${SCREENS}/projector-round2-vote-1920x1080.png` });

    await page.getByRole('button', { name: 'Close voting' }).click();
    await page.getByRole('button', { name: 'Reveal the results…' }).click();
    await expect(page.getByText(/^Reveal the results of round 2 on every screen and phone\?/)).toBeVisible();
    await page.getByRole('button', { name: 'Reveal the results', exact: true }).click();

    // Both rankings, the new one first: C leads round 2; A led round 1.
    const round2 = page.getByRole('table', { name: /^Round 2: the top 3 again/ });
    const round1 = page.getByRole('table', { name: /^Round 1: consensus ranking/ });
    await expect(round2.locator('tbody tr').first()).toContainText(texts.C);
    await expect(round2.locator('tbody tr')).toHaveCount(3);
    await expect(round1.locator('tbody tr').first()).toContainText(texts.A);
    await expect(round1.locator('tbody tr')).toHaveCount(4);
    const onScreen2 = screen.getByRole('table', { name: /^Round 2: the top 3 again/ });
    await expect(onScreen2.locator('tbody tr').first()).toContainText(texts.C);
    await expect(
      screen
        .getByRole('table', { name: /^Round 1: consensus ranking/ })
        .locator('tbody tr')
        .first(),
    ).toContainText(texts.A);
    const overflow = await screen.evaluate(() => document.documentElement.scrollHeight - innerHeight);
    expect(overflow).toBeLessThanOrEqual(0);
    await screen.screenshot({ path: `${SCREENS}/projector-round2-reveal-1920x1080.png` });
    await page.screenshot({ path: `${SCREENS}/facilitator-round2-reveal.png`, fullPage: true });

    // The act phase works from round 2's ranking; the report shows both rounds.
    await page.getByRole('button', { name: /^Next: Act/ }).click();
    await expect(page.getByRole('group', { name: new RegExp(`^#1 ${texts.C}`) })).toBeVisible();
    const report = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await report.goto(`${server.url}/w/${ws.code}/report#key=${ws.facilitatorKey}`);
    const later = report.getByRole('region', { name: 'Round 2: the top 3 again' });
    await expect(later).toContainText('with 4 fresh dots each; 3 people voted.');
    await expect(later.locator('tbody tr').first()).toContainText(texts.C);
    await expect(report.getByRole('region', { name: 'Consensus ranking' }).locator('tbody tr').first()).toContainText(texts.A);
    await report.close();
  } finally {
    [fac, ...people].forEach((c) => c.close());
    await page.close();
    await screen.close();
  }
});
