import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { createWorkshopApi, expect, facilitatorSocket, phones, test, TestClient, until } from './fixtures.ts';

/**
 * The hybrid away-day (issue 13): a remote participant with a phone and nothing else follows
 * and takes part in every phase. The phone reads every note on its fishbone diagram, votes from
 * it, sees the result and its own dots, answers "within our control?" and proposes an action;
 * the facilitator's page shows the proposals and the counts and makes the proposal an action.
 */

const SCREENS = 'test-results/screens';

/** Every note text the open bone screen shows, bone after bone, stepping with "next". */
async function readEveryBone(page: Page, bones: number): Promise<string[]> {
  const dialog = page.getByRole('dialog');
  const seen: string[] = [];
  for (let i = 0; i < bones; i++) {
    await expect(dialog.getByText(`Bone ${i + 1} of ${bones}`)).toBeVisible();
    seen.push(...(await dialog.locator('.note .text').allInnerTexts()));
    await dialog.getByRole('button', { name: /^Next bone/ }).click();
  }
  await expect(dialog.getByText(`Bone 1 of ${bones}`)).toBeVisible();
  return seen;
}

for (const { name, device } of phones) {
  test(`a remote phone alone through every phase (${name})`, async ({ browser, server }) => {
    test.setTimeout(120_000);
    const small = name === '360×640';
    if (small) mkdirSync(SCREENS, { recursive: true });
    const w = await createWorkshopApi(server.url, { title: 'Hybrid away-day', silent: true });
    const fac = await facilitatorSocket(server.url, w);
    const others = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
    const context = await browser.newContext({ ...device, baseURL: server.url });
    const page = await context.newPage();
    await page.goto(`/w/${w.code}`);
    await expect(page.getByRole('heading', { name: 'Waiting for the facilitator to start' })).toBeVisible();

    // Brainstorm, silent: the phone writes on the diagram; others' notes are only counted.
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await others[0].do({ type: 'note.add', boneId: 'people', subBoneId: 'roles', text: 'Doctors dominate meetings' });
    await others[1].do({ type: 'note.add', boneId: 'resources', subBoneId: 'money', text: 'Different funding cycles' });
    await others[2].do({ type: 'note.add', boneId: 'structures', text: 'Partnership fatigue after three reorganisations' });
    await page.getByRole('button', { name: 'Diagram' }).click();
    const diagram = page.getByRole('region', { name: 'The fishbone' });
    await expect(diagram.getByText("Partnership doesn't work")).toBeVisible();
    await expect(diagram.getByRole('button', { name: /^People/ })).toContainText('1 note so far');
    await diagram.getByRole('button', { name: /^Processes/ }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('heading', { name: 'Processes' })).toBeFocused();
    const field = dialog.getByLabel('Add a note to Processes');
    await field.fill('Nobody owns the referral pathway between the hospital and the council');
    await field.press('Enter');
    await expect(dialog.locator('article', { hasText: 'Nobody owns the referral pathway' }).getByText('Your note')).toBeVisible();
    if (small) await page.screenshot({ path: `${SCREENS}/phone-diagram-brainstorm-bone-open.png` });
    await dialog.getByRole('button', { name: 'Back to the diagram' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(diagram.getByRole('button', { name: /^Processes/ })).toBeFocused();
    if (small) await page.screenshot({ path: `${SCREENS}/phone-diagram-brainstorm.png` });

    // The facilitator's laptop and the projector (here a tablet) count who has finished.
    const facContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, baseURL: server.url });
    const facPage = await facContext.newPage();
    await facPage.goto(`/w/${w.code}/facilitate#key=${w.facilitatorKey}`);
    const screenContext = await browser.newContext({ viewport: { width: 1024, height: 768 }, baseURL: server.url });
    const screen = await screenContext.newPage();
    await screen.goto(`/w/${w.code}/screen`);
    await expect(screen.getByTestId('finished-count')).toHaveText('0 of 4 finished');
    await page.getByRole('button', { name: "I've finished" }).click();
    await expect(page.getByRole('button', { name: "I've finished" })).toHaveAttribute('aria-pressed', 'true');
    // The count moves a few seconds later, once 3 people have finished (server/workshop/disclosure.ts).
    for (const o of others.slice(0, 2)) await o.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
    await until(() => fac.stats?.finished?.done === 3 && fac.stats.finished.of === 4, '3 of 4 finished', 10_000);
    await expect(page.getByText('3 of 4 finished')).toBeVisible();
    await expect(screen.getByTestId('finished-count')).toHaveText('3 of 4 finished');
    await expect(facPage.getByTestId('finished-count')).toHaveText('3 of 4 finished');
    await screenContext.close();

    // Review: the phone reads every note on the diagram, bone by bone; a live change keeps its place.
    await fac.do({ type: 'phase.set', phase: 'review' });
    await expect(diagram.getByRole('button', { name: /^People/ })).toContainText('1 note');
    await diagram.getByRole('button', { name: /^People/ }).click();
    const bones = fac.board().meta.bones.length;
    const read = await readEveryBone(page, bones);
    expect(read.sort()).toEqual(
      fac
        .board()
        .notes.map((n) => n.text)
        .sort(),
    );
    await dialog.getByRole('button', { name: /^Next bone: Structures/ }).click();
    await expect(dialog.getByRole('heading', { name: 'Structures' })).toBeVisible();
    await fac.do({ type: 'note.add', boneId: 'structures', text: 'Boundaries of the trusts and the council differ' });
    await expect(dialog.getByText('Boundaries of the trusts and the council differ')).toBeVisible();
    await expect(dialog.getByRole('heading', { name: 'Structures' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // Vote from the diagram's bone screen; "I've finished" again, counted afresh.
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await expect(page.getByText('5 of 5 dots left')).toBeVisible();
    await diagram.getByRole('button', { name: /^People/ }).click();
    const plus = dialog.getByRole('button', { name: "Add a dot to 'Doctors dominate meetings'" });
    await plus.click();
    await expect(dialog.getByText('4 of 5 dots left')).toBeVisible();
    await plus.click();
    await expect(dialog.getByText('3 of 5 dots left')).toBeVisible();
    // A swipe to the left is the next bone; then the buttons, on to Resources.
    const box = (await dialog.locator('.body').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.8, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, box.y + 50, { steps: 5 });
    await page.mouse.up();
    await expect(dialog.getByRole('heading', { name: 'Structures' })).toBeVisible();
    await dialog.getByRole('button', { name: /^Next bone: Processes/ }).click();
    await dialog.getByRole('button', { name: /^Next bone: Resources/ }).click();
    await dialog.getByRole('button', { name: "Add a dot to 'Different funding cycles'" }).click();
    await expect(dialog.getByText('2 of 5 dots left')).toBeVisible();
    await dialog.getByRole('button', { name: 'Back to the diagram' }).click();
    await expect(page.getByRole('button', { name: "I've finished" })).toHaveAttribute('aria-pressed', 'false');
    await page.getByRole('button', { name: "I've finished" }).click();
    for (const o of others.slice(0, 2)) await o.do({ type: 'finished.set', phase: 'vote', finished: true });
    await until(() => fac.stats?.finished?.done === 3, 'finished voting', 10_000);
    for (const [i, o] of others.entries()) {
      const notes = o.board().notes;
      await o.do({ type: 'vote.change', noteId: notes.find((n) => n.text === 'Doctors dominate meetings')!.id, delta: 1 + (i % 2) });
      await o.do({ type: 'vote.change', noteId: notes.find((n) => n.text.startsWith('Partnership fatigue'))!.id, delta: 1 });
    }

    // Reveal: the ranking with ranks and dots, the phone's own dots, bone weights on the diagram.
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    const ranking = page.getByRole('region', { name: 'The ranking' });
    await expect(ranking.getByRole('listitem').first()).toContainText('#1');
    await expect(ranking.getByRole('listitem').first()).toContainText('Doctors dominate meetings');
    await expect(ranking.getByRole('listitem').first()).toContainText('6 dots');
    await expect(ranking.getByRole('listitem').first()).toContainText('You: 2 dots');
    const yours = page.getByRole('region', { name: 'Your dots went to' });
    await expect(yours.getByRole('listitem')).toHaveCount(2);
    await expect(yours.getByRole('listitem').first()).toContainText('Doctors dominate meetings');
    await expect(yours.getByRole('listitem').first()).toContainText('your 2 dots');
    await expect(diagram.getByRole('button', { name: /^People/ })).toContainText('6 dots · 60%');
    await expect(diagram.getByRole('button', { name: /^People/ })).toContainText('Most of the weight');
    if (small) {
      await diagram.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENS}/phone-diagram-reveal-weights.png` });
    }

    // Act: the phone answers for each top barrier and proposes an action.
    await fac.do({ type: 'settings.set', topN: 2 });
    await fac.do({ type: 'phase.set', phase: 'act' });
    const control = page.getByRole('region', { name: 'Within our control?' });
    const first = control.getByRole('group', { name: /Doctors dominate meetings/ });
    await first.getByRole('radio', { name: 'Within our control' }).check();
    const second = control.getByRole('group', { name: /Partnership fatigue/ });
    await second.getByRole('radio', { name: 'We can influence it' }).check();
    await expect(second.getByRole('radio', { name: 'We can influence it' })).toBeChecked();
    const topIds = [
      fac.board().notes.find((n) => n.text === 'Doctors dominate meetings')!.id,
      fac.board().notes.find((n) => n.text.startsWith('Partnership fatigue'))!.id,
    ];
    await others[0].do({ type: 'control.answer', noteId: topIds[0], answer: 'control' });
    await others[1].do({ type: 'control.answer', noteId: topIds[0], answer: 'outside' });
    const propose = page.getByRole('region', { name: 'Propose an action' });
    await propose.getByLabel('An action the group could take').fill('Rotate who chairs the partnership board');
    await propose.getByRole('button', { name: 'Propose' }).click();
    await expect(propose.getByText('Waiting for the facilitator')).toBeVisible();
    await others[1].do({ type: 'proposal.add', text: 'A joint training day each quarter' });
    await others[2].do({ type: 'proposal.add', text: 'One shared referral form' });
    if (small) {
      await control.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENS}/phone-act.png` });
    }

    // The facilitator's page: proposals, then the counts; the proposal becomes an action.
    const proposals = facPage.getByRole('region', { name: 'Proposed actions from phones' });
    await expect(proposals.getByText('3 proposals waiting')).toBeVisible();
    await proposals.getByRole('button', { name: 'Show 3 proposals' }).click();
    await expect(proposals.getByText('Rotate who chairs the partnership board')).toBeVisible();
    await proposals.getByRole('button', { name: 'Make it an action: Rotate who chairs the partnership board' }).click();
    await expect(proposals.getByText('Now an action')).toBeVisible();
    const answers = facPage.getByRole('region', { name: 'Within our control? (phones)' });
    await expect(answers.getByText('3 of 4 have answered')).toBeVisible();
    await answers.getByRole('button', { name: 'Show the answers' }).click();
    await answers.getByRole('button', { name: 'Show them' }).click();
    await expect(answers.getByText('Shown: 3 people answered.')).toBeVisible();
    await expect(answers.getByRole('listitem').filter({ hasText: /^#1/ })).toContainText('Within our control 2');
    if (small) await facPage.screenshot({ path: `${SCREENS}/facilitator-act-from-phones.png`, fullPage: true });

    // Back on the phone: its proposal is an action, and the totals are in.
    await expect(propose.getByText('Now an action')).toBeVisible();
    await expect(
      page.getByRole('region', { name: 'Actions', exact: true }).getByText('Rotate who chairs the partnership board'),
    ).toBeVisible();
    await expect(first.getByText(/Within our control\s*2 people/)).toBeVisible();
    await expect(first.getByText('Your answer: Within our control')).toBeVisible();
    if (small) {
      await page.getByRole('button', { name: 'Diagram' }).scrollIntoViewIfNeeded();
      await diagram.getByRole('button', { name: /^People/ }).click();
      await expect(dialog.getByText('Doctors dominate meetings')).toBeVisible();
      await page.screenshot({ path: `${SCREENS}/phone-act-diagram-bone.png` });
      await page.keyboard.press('Escape');
      await first.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SCREENS}/phone-act-shown.png` });
    }

    await facContext.close();
    for (const o of others) o.close();
    fac.close();
    await context.close();
  });
}
