import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, test } from './fixtures.ts';

const SCREENS = 'test-results/screens';

test('the facilitator blanks and freezes the projector from a button or a key, and brings it back', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Blank and freeze', silent: false });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const p = await TestClient.participant(server.url, ws.code);
  const facPage = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const screen = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await p.do({ type: 'note.add', boneId: 'people', text: 'Consultants overrule the care workers' });
    await facPage.goto(`${server.url}/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await screen.goto(`${server.url}/w/${ws.code}/screen`);
    const onScreen = (text: string) => screen.locator('svg g.note > title', { hasText: text });
    await expect(onScreen('Consultants overrule')).toHaveCount(1);
    const projector = facPage.getByRole('region', { name: 'Projector' });

    // Blank with the button: the join code and the name, nothing of the board.
    await projector.getByRole('button', { name: /^Blank/ }).click();
    const blank = screen.getByTestId('blank-screen');
    await expect(blank).toBeVisible();
    await expect(blank.getByTestId('join-code')).toHaveText(ws.code);
    await expect(blank).toContainText('Fishbone Live');
    await expect(screen.locator('svg')).toHaveCount(0);
    await expect(screen.getByText('Consultants overrule')).toHaveCount(0);
    await expect(projector.getByRole('status')).toHaveText('Blanked: the projector shows how to join, nothing else.');
    await screen.screenshot({ path: `${SCREENS}/projector-blank-1280x720.png` });
    // ... and back with the key.
    await facPage.locator('body').press('b');
    await expect(blank).toHaveCount(0);
    await expect(onScreen('Consultants overrule')).toHaveCount(1);

    // Freeze with the key: the board moves on, the projector keeps its picture.
    await facPage.locator('body').press('f');
    await expect(projector.getByRole('status')).toHaveText('Frozen: the projector keeps its last picture while the board moves on.');
    await until(() => p.board().meta.screen?.mode === 'frozen', 'frozen');
    await p.do({ type: 'note.add', boneId: 'processes', text: 'Meetings end without owners' });
    await fac.do({ type: 'phase.set', phase: 'review' });
    await until(() => p.board().meta.phase === 'review', 'review');
    // A screen that starts while frozen never saw the picture: it shows the blank one.
    const late = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await late.goto(`${server.url}/w/${ws.code}/screen`);
    await expect(late.getByTestId('blank-screen')).toBeVisible();
    await expect(screen.getByRole('listitem').filter({ hasText: 'Brainstorm' })).toHaveAttribute('aria-current', 'step');
    await expect(onScreen('Meetings end without owners')).toHaveCount(0);
    await expect(onScreen('Consultants overrule')).toHaveCount(1);
    // Typing in a field is typing, not a shortcut.
    await facPage.getByRole('region', { name: 'Timer' }).getByLabel('Minutes').press('f');
    await expect(projector.getByRole('status')).toContainText('Frozen');
    await projector.getByRole('button', { name: /^Unfreeze/ }).click();
    for (const page of [screen, late]) {
      await expect(page.locator('svg g.note > title', { hasText: 'Meetings end without owners' })).toHaveCount(1);
      await expect(page.getByRole('listitem').filter({ hasText: 'Review' })).toHaveAttribute('aria-current', 'step');
    }
    await late.close();
  } finally {
    fac.close();
    p.close();
    await facPage.close();
    await screen.close();
  }
});
