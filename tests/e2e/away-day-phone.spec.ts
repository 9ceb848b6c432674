import { mkdirSync } from 'node:fs';
import { createWorkshopApi, expect, smallPhone, test, TestClient, until } from './fixtures.ts';

/**
 * A phone at the away-day at full size (issue 24): a remote voter keeps "dots left" in sight in
 * the full-screen bone, and an author whose note the facilitator keeps off the board is told so,
 * alone, with the note's words (which the phone kept: the server sends none).
 */

const SCREENS = 'test-results/screens/away-day';

test('a remote phone votes inside a bone with its dots left in sight, and is told alone when its note is kept off the board', async ({
  browser,
  server,
}) => {
  mkdirSync(SCREENS, { recursive: true });
  const ws = await createWorkshopApi(server.url, { title: 'Away-day from a phone', silent: false });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const others = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, ws.code)));
  const [mine, theirs] = await Promise.all([0, 1].map(() => browser.newContext({ ...smallPhone, baseURL: server.url })));
  const page = await mine.newPage();
  const other = await theirs.newPage();
  try {
    await page.goto(`/w/${ws.code}`);
    await other.goto(`/w/${ws.code}`);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await others[0].do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Consultants chair every meeting' });
    await others[1].do({ type: 'note.add', boneId: 'resources', subBoneId: 'money', text: 'Different funding cycles' });

    // The phone writes a note that names someone; the facilitator hides it.
    await page.getByRole('button', { name: 'Diagram' }).click();
    const diagram = page.getByRole('region', { name: 'The fishbone' });
    await diagram.getByRole('button', { name: /^People/ }).click();
    const dialog = page.getByRole('dialog');
    const field = dialog.getByLabel('Add a note to People — Behaviour');
    await field.fill('Dr Smith in A&E is useless');
    await field.press('Enter');
    await expect(dialog.getByText('Dr Smith in A&E is useless')).toBeVisible();
    await until(() => fac.board().notes.some((n) => n.text === 'Dr Smith in A&E is useless'), 'the note on the board');
    await page.keyboard.press('Escape');
    const id = fac.board().notes.find((n) => n.text === 'Dr Smith in A&E is useless')!.id;
    await fac.do({ type: 'note.hide', noteId: id, hidden: true });
    const told = page.getByRole('region', { name: 'The facilitator kept your note off the board' });
    await expect(told).toContainText('“Dr Smith in A&E is useless”');
    await expect(told).toContainText('Only you see this.');
    // Nobody else is told, nor sees the words.
    await expect(other.getByText('kept your note off the board')).toHaveCount(0);
    expect(await other.content()).not.toContain('Dr Smith');
    // A reload keeps it: the phone remembered its own words.
    await page.reload();
    await expect(page.getByRole('region', { name: 'The facilitator kept your note off the board' })).toContainText(
      '“Dr Smith in A&E is useless”',
    );

    await page.screenshot({ path: `${SCREENS}/phone-note-kept-off-360x640.png` });

    // Voting inside a bone: the dots left are in sight, in the full-screen bone itself.
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await page.getByRole('button', { name: 'Diagram' }).click();
    await diagram.getByRole('button', { name: /^People/ }).click();
    await expect(dialog.getByRole('status').filter({ hasText: '5 of 5 dots left' })).toBeVisible();
    await dialog.getByRole('button', { name: "Add a dot to 'Consultants chair every meeting'" }).click();
    await expect(dialog.getByText('4 of 5 dots left')).toBeVisible();
    await dialog.getByRole('button', { name: /^Next bone/ }).click();
    await dialog.getByRole('button', { name: /^Next bone/ }).click();
    await dialog.getByRole('button', { name: /^Next bone/ }).click();
    await dialog.getByRole('button', { name: "Add a dot to 'Different funding cycles'" }).click();
    await expect(dialog.getByText('3 of 5 dots left')).toBeVisible();
    await expect(dialog.getByText('3 of 5 dots left')).toBeInViewport();
    await page.screenshot({ path: `${SCREENS}/phone-voting-inside-a-bone-360x640.png` });
    await fac.do({ type: 'vote.close', closed: true });
    await expect(dialog.getByText('Voting closed')).toBeVisible();
  } finally {
    [fac, ...others].forEach((c) => c.close());
    await mine.close();
    await theirs.close();
  }
});
