import type { Page } from '@playwright/test';
import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, test } from './fixtures.ts';

/**
 * The facilitator's laptop runs a whole workshop: lobby → brainstorm → review (reveal the silent
 * notes, merge two, move one) → vote (three scripted participants) → reveal (ranking) → act
 * (tag a barrier, record an action).
 */

const step = (page: Page, name: string) => page.getByRole('listitem').filter({ hasText: name }).and(page.locator('[aria-current="step"]'));
const notesList = (page: Page) => page.getByRole('region', { name: 'Notes by bone' });
const noteButton = (page: Page, text: string) => notesList(page).getByRole('button', { name: text });

test('a facilitator runs a workshop from lobby to act', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Partnership away-day' });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url });
  const page = await context.newPage();
  const people: TestClient[] = [];
  try {
    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);

    // Lobby: title, join code, head count.
    await expect(page.getByRole('heading', { level: 1, name: 'Partnership away-day' })).toBeVisible();
    await expect(page.getByText(ws.code, { exact: true })).toBeVisible();
    await expect(step(page, 'Lobby')).toBeVisible();
    // The key is remembered and taken out of the address bar (a projector may show it).
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('');
    for (let i = 0; i < 3; i++) people.push(await TestClient.participant(server.url, ws.code));
    await expect(page.getByText('3 participants')).toBeVisible();

    // Brainstorm: silent notes arrive as counts only, then the facilitator reveals them.
    await page.getByRole('button', { name: /^Next: Brainstorm/ }).click();
    await expect(step(page, 'Brainstorm')).toBeVisible();
    const [a, b, c] = people;
    await a.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Consultants dominate the meetings' });
    await b.do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Doctors dominate meetings' });
    await c.do({ type: 'note.add', boneId: 'environment', text: 'No shared goal' });
    await a.do({ type: 'note.add', boneId: 'resources', subBoneId: 'money', text: 'Different funding cycles' });
    const reveal = page.getByRole('button', { name: 'Reveal notes (4 hidden)' });
    await expect(reveal).toBeVisible();
    await expect(noteButton(page, 'Consultants dominate the meetings')).toHaveCount(0);
    await reveal.click();
    await expect(page.getByText(/^Put the 4 notes from your moderation view on every screen and phone now, all at once\?/)).toBeVisible();
    await page.getByRole('button', { name: 'Reveal them' }).click();
    await expect(noteButton(page, 'Consultants dominate the meetings')).toBeVisible();
    await expect(page.getByText('All notes are revealed.')).toBeVisible();

    // Review: merge the two duplicates, choosing the second one's wording.
    await page.getByRole('button', { name: /^Next: Review/ }).click();
    await expect(step(page, 'Review')).toBeVisible();
    await noteButton(page, 'Consultants dominate the meetings').click();
    const tools = page.getByRole('region', { name: 'Selected note' });
    await tools.getByRole('checkbox', { name: /Doctors dominate meetings/ }).check();
    await tools.getByRole('radio', { name: 'Doctors dominate meetings' }).check();
    await tools.getByRole('button', { name: 'Merge 1 note into this one' }).click();
    await expect(noteButton(page, 'Consultants dominate the meetings')).toHaveCount(0);
    await expect(noteButton(page, 'Doctors dominate meetings')).toContainText('raised by 2 people');
    await until(() => a.board().notes.length === 3, 'the merge on every replica');
    // The fishbone's equivalent for screen readers: bones as headings, notes as lists.
    const asText = page.getByRole('region', { name: 'The fishbone as text' });
    await expect(asText.getByRole('heading', { level: 3, name: 'People' })).toHaveCount(1);
    await expect(asText.getByRole('heading', { level: 4, name: 'Roles' })).toHaveCount(1);
    await expect(asText.getByRole('listitem').filter({ hasText: 'Doctors dominate meetings' })).toHaveText(
      'Doctors dominate meetings (raised by 2 people)',
    );
    await expect(asText.getByRole('listitem').filter({ hasText: 'Different funding cycles' })).toHaveCount(1);

    // ... and move a misplaced note to another bone.
    await noteButton(page, 'No shared goal').click();
    await tools.getByLabel('Move to').selectOption({ label: 'Processes' });
    await tools.getByRole('button', { name: 'Move', exact: true }).click();
    await expect(
      notesList(page)
        .getByRole('region', { name: /^Processes/ })
        .getByRole('button', { name: 'No shared goal' }),
    ).toBeVisible();
    await until(() => a.board().notes.find((n) => n.text === 'No shared goal')?.boneId === 'processes', 'the move on every replica');

    // Vote: the facilitator sees turnout only.
    await page.getByRole('button', { name: /^Next: Vote/ }).click();
    await expect(step(page, 'Vote')).toBeVisible();
    await expect(page.getByText('0 of 3 participants have voted')).toBeVisible();
    const id = (text: string) => a.board().notes.find((n) => n.text === text)!.id;
    const doctors = id('Doctors dominate meetings');
    const funding = id('Different funding cycles');
    const goal = id('No shared goal');
    for (const [p, votes] of [
      [a, [doctors, doctors, funding]],
      [b, [doctors, funding]],
      [c, [doctors, goal]],
    ] as const) {
      for (const noteId of votes) await p.do({ type: 'vote.change', noteId, delta: 1 });
    }
    await expect(page.getByText('3 of 3 participants have voted')).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'People who have voted' })).toHaveAttribute('aria-valuenow', '3');
    await expect(page.getByRole('table')).toHaveCount(0);

    // Reveal: the consensus ranking, the merged note first.
    // Closing the vote can be undone; the reveal asks first and says it is final.
    await page.getByRole('button', { name: 'Close voting' }).click();
    await page.getByRole('button', { name: 'Reveal the results…' }).click();
    await expect(page.getByText(/The ranking is final: voting cannot reopen after this\./)).toBeVisible();
    await page.getByRole('button', { name: 'Reveal the results', exact: true }).click();
    await expect(step(page, 'Reveal')).toBeVisible();
    const rows = page.getByRole('table').getByRole('row');
    await expect(rows.nth(1)).toContainText('Doctors dominate meetings');
    await expect(rows.nth(1)).toContainText('4');
    await expect(rows.nth(2)).toContainText('Different funding cycles');
    await page.getByRole('switch', { name: 'Show the ranking on phones after the reveal' }).check();
    await until(() => a.board().meta.showRanking, 'show the ranking on phones');

    // Act: mark the top barrier as within our control and record an action for it.
    await page.getByRole('button', { name: /^Next: Act/ }).click();
    await expect(step(page, 'Act')).toBeVisible();
    const top = page.getByRole('group', { name: /^#1 Doctors dominate meetings/ });
    await top.getByRole('radio', { name: 'Within our control' }).check();
    await until(() => a.board().tags[doctors] === 'control', 'the tag on every replica');
    await page.getByLabel('What will be done').fill('Rotate who chairs the partnership meeting');
    await page.getByLabel('Who (an agency or role)').fill('Partnership board');
    await page.getByLabel('By when').fill('End of March');
    await page.getByLabel('For barrier (optional)').selectOption({ label: '#1 Doctors dominate meetings' });
    await page.getByRole('button', { name: 'Add action' }).click();
    const actions = page.getByRole('region', { name: 'Actions' });
    await expect(actions.getByRole('listitem')).toContainText('Rotate who chairs the partnership meeting');
    await expect(actions.getByRole('listitem')).toContainText('Partnership board · End of March');
    await until(() => a.board().actions.length === 1, 'the action on every replica');
    expect(a.board().actions[0]).toMatchObject({
      what: 'Rotate who chairs the partnership meeting',
      who: 'Partnership board',
      when: 'End of March',
      noteId: doctors,
    });
  } finally {
    people.forEach((p) => p.close());
    await context.close();
  }
});

test('a refused command shows the server message beside the control', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Refusals' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await page.getByRole('button', { name: /^Next: Brainstorm/ }).click();
    await expect(step(page, 'Brainstorm')).toBeVisible();
    // The timer is 1 to 60 minutes: the server says so next to the timer.
    const timer = page.getByRole('region', { name: 'Timer' });
    const minutes = timer.getByLabel('Minutes');
    await minutes.evaluate((el) => el.removeAttribute('max')); // past the browser's own check
    await minutes.fill('90');
    await timer.getByRole('button', { name: 'Start' }).click();
    await expect(timer.getByRole('alert')).toContainText('a timer runs 1 to 60 minutes');
  } finally {
    await context.close();
  }
});

test('a wrong key and a missing key are explained', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Keys' });
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${ws.code}/facilitate#key=${'x'.repeat(43)}`);
    await expect(page.getByRole('heading', { name: 'Cannot open this workshop as facilitator' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('not valid');
    await page.goto(`/w/${ws.code}/facilitate`);
    await expect(page.getByRole('heading', { name: 'This page needs your private facilitator link' })).toBeVisible();
  } finally {
    await context.close();
  }
});

/** Press Tab until `target` has focus, as a keyboard user would. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${target} with Tab`);
}

test('the facilitator page works by keyboard alone', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Keyboard' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
  const page = await context.newPage();
  const person = await TestClient.participant(server.url, ws.code);
  const others = await Promise.all([0, 1].map(() => TestClient.participant(server.url, ws.code)));
  try {
    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await expect(step(page, 'Lobby')).toBeVisible();

    // The first Tab offers a way straight to the controls.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to the controls' })).toBeFocused();
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('button', { name: /^Next: Brainstorm/ }));
    await page.keyboard.press('Enter');
    await expect(step(page, 'Brainstorm')).toBeVisible();

    await person.do({ type: 'note.add', boneId: 'processes', text: 'Poor communication between teams' });
    // Counted a few seconds later, once 3 people have written (server/workshop/disclosure.ts).
    for (const other of others) await other.do({ type: 'note.add', boneId: 'structures', text: 'Partnership fatigue' });
    await tabTo(page, page.getByRole('button', { name: 'Reveal notes (3 hidden)' }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Reveal them' })).toBeFocused();
    await page.keyboard.press('Enter');
    const note = noteButton(page, 'Poor communication between teams');
    await expect(note).toBeVisible();

    // Pick the note from the text list and reword it.
    await tabTo(page, note, 200);
    await page.keyboard.press('Enter');
    await expect(note).toHaveAttribute('aria-pressed', 'true');
    const wording = page.getByRole('region', { name: 'Selected note' }).getByLabel('Wording');
    await tabTo(page, wording, 200);
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('Poor communication between agencies');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Save wording' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(noteButton(page, 'Poor communication between agencies')).toBeVisible();
    await until(() => person.board().notes.some((n) => n.text === 'Poor communication between agencies'), 'the edit on the replica');
  } finally {
    for (const p of [person, ...others]) p.close();
    await context.close();
  }
});

test('the facilitator hides an abusive note and brings it back', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Moderation', silent: false });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const p = await TestClient.participant(server.url, ws.code);
  await p.do({ type: 'note.add', boneId: 'people', text: 'Dr X is a bully' });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await page
      .getByRole('button', { name: /Dr X is a bully/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Hide note' }).click();
    await until(() => p.board().notes.length === 0, 'off the phone');
    const hidden = page.getByRole('region', { name: 'Hidden notes' });
    await expect(hidden).toContainText('Dr X is a bully');
    await page.screenshot({ path: 'test-results/screens/facilitator-hidden-note.png' });
    await hidden.getByRole('button', { name: 'Show again: Dr X is a bully' }).click();
    await until(() => p.board().notes.length === 1, 'back on the phone');
    await expect(hidden).toHaveCount(0);
  } finally {
    await context.close();
    fac.close();
    p.close();
  }
});
