import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, phone, test } from './fixtures.ts';
import { WireCapture } from './wire.ts';

const ABUSE = 'Dave from housing is useless and rude';
const SCREENS = 'test-results/screens';

test('in a silent brainstorm, a note held back in the moderation view never reaches the projector or any phone', async ({
  browser,
  server,
}) => {
  const ws = await createWorkshopApi(server.url, { title: 'Moderation before the projector', silent: true });
  const facContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url });
  const fac = await facContext.newPage();
  const screen = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const phoneContext = await browser.newContext({ ...phone, baseURL: server.url });
  const phonePage = await phoneContext.newPage();
  const screenWire = new WireCapture(screen);
  const phoneWire = new WireCapture(phonePage);
  const people: TestClient[] = [];
  try {
    await fac.goto(`/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await screen.goto(`${server.url}/w/${ws.code}/screen`);
    await phonePage.goto(`/w/${ws.code}`);
    for (let i = 0; i < 4; i++) people.push(await TestClient.participant(server.url, ws.code));
    await fac.getByRole('button', { name: /^Next: Brainstorm/ }).click();
    await until(() => people[0].board().meta.phase === 'brainstorm', 'brainstorm');

    const [a, b, c, d] = people;
    await a.do({ type: 'note.add', boneId: 'people', subBoneId: 'behaviour', text: ABUSE });
    await b.do({ type: 'note.add', boneId: 'resources', subBoneId: 'information', text: 'Nobody shares the care records' });
    await c.do({ type: 'note.add', boneId: 'resources', subBoneId: 'information', text: 'Care records are not shared' });
    await d.do({ type: 'note.add', boneId: 'resources', subBoneId: 'time', text: 'No time for joint work' });
    await d.do({ type: 'note.add', boneId: 'structures', text: 'Different boundaries everywhere' });

    // The moderation view opens on purpose, and says why it fills a few seconds late.
    await fac.getByRole('button', { name: 'Open the moderation view' }).click();
    const view = fac.getByRole('region', { name: 'Moderation view' });
    await expect(
      view.getByText(/^Notes arrive here a few seconds after they are written, in batches from at least 3 people/),
    ).toBeVisible();
    const note = (text: string) => view.getByRole('listitem').filter({ has: fac.getByRole('group', { name: `Moderate: ${text}` }) });
    // All five come together, a few seconds after the last: four people's notes.
    await expect(note(ABUSE)).toBeVisible();
    await expect(note('Different boundaries everywhere')).toBeVisible();
    await expect(view.getByRole('status')).toHaveText('5 notes to check');

    await view
      .getByRole('group', { name: `Moderate: ${ABUSE}` })
      .getByRole('button', { name: 'Hold back' })
      .click();
    await expect(view.getByText('Held back', { exact: true })).toBeVisible();
    const records = view.getByRole('group', { name: 'Moderate: Care records are not shared' });
    await records.getByRole('combobox', { name: 'Merge into…' }).selectOption({ label: 'Nobody shares the care records' });
    await expect(view.getByText('Merged in: Care records are not shared')).toBeVisible();
    const time = view.getByRole('group', { name: 'Moderate: No time for joint work' });
    await time.getByRole('button', { name: 'Reword' }).click();
    await view.getByLabel('Wording').fill('No protected time for joint work');
    await view.getByRole('button', { name: 'Save wording' }).click();
    await expect(note('No protected time for joint work')).toBeVisible();
    await expect(view.getByRole('status')).toHaveText('4 notes to check · 1 held back');
    await fac.screenshot({ path: `${SCREENS}/moderation-view.png` });

    // Nothing of it reached the projector or a phone.
    await expect(screen.getByText('5 notes so far', { exact: true })).toBeVisible();
    for (const page of [screen, phonePage]) expect(await page.content()).not.toContain('Dave');

    // The reveal asks first and says what will happen.
    await fac.getByRole('button', { name: 'Reveal notes (5 hidden)' }).click();
    await expect(
      fac.getByText(
        /^Put the 3 notes from your moderation view on every screen and phone now, all at once\? Notes written in the last few seconds, .* unchecked\. The note you held back stays off the board\./,
      ),
    ).toBeVisible();
    await fac.getByRole('button', { name: 'Reveal them' }).click();
    await expect(screen.locator('svg g.note > title')).toHaveCount(3);
    expect((await screen.locator('svg g.note > title').allTextContents()).sort()).toEqual([
      'Different boundaries everywhere',
      'No protected time for joint work',
      'Nobody shares the care records',
    ]);
    await until(() => a.board().notes.length === 3, 'phones have the board');
    await expect.poll(() => phoneWire.text()).toContain('No protected time for joint work');
    await expect(phonePage.getByRole('button', { name: /^Resources/ })).toContainText('2 notes');
    expect(await phonePage.content()).not.toContain('Dave');
    // On the wire too: not one frame to the projector, the phone page or any participant carried it.
    for (const text of [screenWire.text(), phoneWire.text()]) {
      expect(text).toContain('No protected time for joint work'); // the capture does see the board
      expect(text).not.toContain('Dave');
    }
    for (const p of [b, c, d]) for (const r of p.received) expect(JSON.stringify(r.args)).not.toContain('Dave');
    for (const p of people)
      for (const r of p.received.filter((x) => x.event === 'doc'))
        expect(Buffer.from(r.args[0] as string, 'base64').toString('utf8')).not.toContain('Dave');
    // The facilitator still has it, among the hidden notes, to bring back if it was a mistake.
    await expect(fac.getByRole('region', { name: 'Hidden notes' })).toContainText(ABUSE);
  } finally {
    people.forEach((p) => p.close());
    await facContext.close();
    await screen.close();
    await phoneContext.close();
  }
});
