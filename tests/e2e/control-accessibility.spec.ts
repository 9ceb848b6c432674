import type { Page } from '@playwright/test';
import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, test } from './fixtures.ts';
import { seriousViolations } from '../support/axe.ts';

/** axe-core (WCAG 2.2 A/AA, serious or critical) on the facilitator's new controls and the projector's new pictures. */
async function expectAccessible(page: Page, where: string) {
  await page.waitForTimeout(300); // let transitions finish before colours are measured
  expect.soft(await seriousViolations(page), where).toEqual([]);
}

test('the moderation view, the undo list, focus mode and the blanked projector are accessible', async ({ browser, server }) => {
  const ws = await createWorkshopApi(server.url, { title: 'Accessible controls', silent: true });
  const fac = await TestClient.facilitator(server.url, ws.code, ws.facilitatorKey);
  const people = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, ws.code)));
  // AxeBuilder needs pages made from a context.
  const facContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const screenContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await facContext.newPage();
  const screen = await screenContext.newPage();
  try {
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    for (const [i, p] of people.entries())
      await p.do({ type: 'note.add', boneId: ['people', 'processes', 'resources'][i], text: `Barrier ${i}` });
    await page.goto(`${server.url}/w/${ws.code}/facilitate#key=${ws.facilitatorKey}`);
    await page.getByRole('button', { name: 'Open the moderation view' }).click();
    const view = page.getByRole('region', { name: 'Moderation view' });
    await expect(view.getByRole('group', { name: 'Moderate: Barrier 1' })).toBeVisible();
    await view.getByRole('group', { name: 'Moderate: Barrier 1' }).getByRole('button', { name: 'Hold back' }).click();
    await expect(page.getByRole('region', { name: 'Undo' }).getByRole('listitem')).toHaveCount(1);
    await expectAccessible(page, 'facilitator: moderation view and undo list');

    await screen.goto(`${server.url}/w/${ws.code}/screen`);
    await fac.do({ type: 'notes.reveal' });
    await fac.do({ type: 'screen.set', focus: { boneId: 'people', page: 0 } });
    await expect(screen.getByTestId('focus')).toBeVisible();
    await expect(page.getByTestId('on-screen')).toHaveText('On the projector: People.');
    await expectAccessible(screen, 'projector: focus mode');
    await expectAccessible(page, 'facilitator: focus controls');
    await fac.do({ type: 'screen.set', mode: 'blank' });
    await until(() => people[0].board().meta.screen?.mode === 'blank', 'blank');
    await expect(screen.getByTestId('blank-screen')).toBeVisible();
    await expectAccessible(screen, 'projector: blank');
  } finally {
    [fac, ...people].forEach((c) => c.close());
    await facContext.close();
    await screenContext.close();
  }
});
