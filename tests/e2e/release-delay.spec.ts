import { mkdirSync } from 'node:fs';
import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, phones, test } from './fixtures.ts';

const SCREENS = 'test-results/screens';

/**
 * Issue 22 as the facilitator meets it: the moderation view and the counts fill a few seconds
 * after people write, in steps of at least 3 people (server/workshop/disclosure.ts), and the
 * page says why, on the laptop, the projector and a phone.
 */
test('the moderation view and the counts fill a few seconds after people write, and the page says why', async ({ browser, server }) => {
  mkdirSync(SCREENS, { recursive: true });
  const ws = await createWorkshopApi(server.url, { title: 'Away-day', silent: true });
  const facContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: server.url });
  const fac = await facContext.newPage();
  const screen = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const phoneContext = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const phone = await phoneContext.newPage();
  const people: TestClient[] = [];
  try {
    await fac.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await screen.goto(`${server.url}/w/${ws.code}/screen`);
    await phone.goto(`/w/${ws.code}`);
    for (let i = 0; i < 3; i++) people.push(await TestClient.participant(server.url, ws.code));
    await fac.getByRole('button', { name: /^Next: Brainstorm/ }).click();
    await until(() => people[0].board().meta.phase === 'brainstorm', 'brainstorm');
    await fac.getByRole('button', { name: 'Open the moderation view' }).click();
    const view = fac.getByRole('region', { name: 'Moderation view' });
    await expect(
      view.getByText('No notes to check yet: they arrive a few seconds after people write, once at least 3 have.'),
    ).toBeVisible();
    await expect(fac.getByText(/^Silent brainstorm: notes stay hidden until you reveal them\. None counted so far/)).toBeVisible();

    // Two people write: their own phones show their notes; nobody else is told anything yet.
    await people[0].do({ type: 'note.add', boneId: 'people', text: 'Consultants overrule the care workers' });
    await people[1].do({ type: 'note.add', boneId: 'resources', subBoneId: 'money', text: 'Funding cycles never line up' });
    await fac.screenshot({ path: `${SCREENS}/moderation-waiting-laptop.png` });
    // A third person writes, on the phone: the batch comes a few seconds after the last note.
    const bone = phone.getByRole('button', { name: /^Processes/ });
    await bone.click();
    await expect(bone).toHaveAttribute('aria-expanded', 'true');
    const field = phone.getByLabel('Add a note to Processes');
    await field.fill('Meetings end without owners');
    await field.press('Enter');
    await expect(phone.locator('article', { hasText: 'Meetings end without owners' }).getByText('Your note')).toBeVisible();
    await expect(view.getByRole('status')).toHaveText('3 notes to check');
    await expect(fac.getByRole('button', { name: 'Reveal notes (3 hidden)' })).toBeVisible();
    await expect(fac.getByText(/They are counted a few seconds after they are written, in steps of at least 3 people/)).toBeVisible();
    await fac.screenshot({ path: `${SCREENS}/moderation-batch-laptop.png` });
    await expect(screen.getByText('3 notes so far', { exact: true })).toBeVisible();
    await screen.screenshot({ path: `${SCREENS}/projector-counts-released.png` });
    await expect(phone.getByRole('button', { name: /^People/ })).toContainText('1 note so far');
    await phone.screenshot({ path: `${SCREENS}/phone-counts-released.png` });
    // Nothing of the words reached the projector.
    expect(await screen.content()).not.toContain('Funding cycles');
  } finally {
    for (const p of people) p.close();
    await facContext.close();
    await phoneContext.close();
    await screen.close();
  }
});
