import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { CommandInput } from '../../shared/commands.ts';
import { facilitator as ft } from '../../shared/messages/facilitator.ts';
import { PHASE_NAMES } from '../../shared/messages/core.ts';
import type { Phase } from '../../shared/phases.ts';
import { DEFAULT_PROMPTS } from '../../shared/prompts.ts';
import type { ServerProcess } from '../support/process.ts';
import { createWorkshopApi, expect, facilitatorSocket, pageWidth, phones, TestClient, test, type CreatedWorkshop } from './fixtures.ts';
import { seriousViolations } from '../support/axe.ts';

/**
 * axe-core on every page in every phase: no serious or critical violation of WCAG 2.2 A/AA.
 * A scripted workshop runs through its phases (facilitator and participants as sockets) while
 * the page under test is looked at in each one.
 */

const SCREENS = 'test-results/screens';

/** Soft, so one run reports every phase that fails, not just the first. */
async function expectAccessible(page: Page, where: string) {
  await page.waitForTimeout(300); // let transitions finish before colours are measured
  expect.soft(await seriousViolations(page), where).toEqual([]);
}

type Step = 'lobby' | 'brainstorm (silent)' | 'brainstorm (revealed)' | 'review' | 'vote' | 'reveal' | 'act' | 'closed';
const phaseOf = (step: Step): Phase => step.split(' ')[0] as Phase;

/** A whole workshop, stopping at each step for `at` to look at the page under test. */
async function runWorkshop(server: ServerProcess, w: CreatedWorkshop, at: (step: Step) => Promise<void>) {
  const fac = await facilitatorSocket(server.url, w);
  const people = await Promise.all([1, 2, 3].map(() => TestClient.participant(server.url, w.code)));
  const [a, b, c] = people;
  const go = (phase: Phase) => fac.do({ type: 'phase.set', phase });
  const noteId = async (p: TestClient, cmd: CommandInput) => (await p.do(cmd)).noteId!;
  try {
    await fac.do({ type: 'settings.set', groups: ['NHS', 'Council', 'Housing'] });
    await at('lobby');
    await go('brainstorm');
    const n1 = await noteId(a, { type: 'note.add', boneId: 'processes', text: 'Lack of a common goal' });
    const n2 = await noteId(b, { type: 'note.add', boneId: 'people', subBoneId: 'roles', pick: 'roles-1' });
    await noteId(c, { type: 'note.add', boneId: 'structures', text: 'Different boundaries between services' });
    await at('brainstorm (silent)');
    await fac.do({ type: 'notes.reveal' });
    await at('brainstorm (revealed)');
    await go('review');
    await at('review');
    await go('vote');
    for (const p of people) await p.do({ type: 'vote.change', noteId: n1, delta: 2 });
    await b.do({ type: 'vote.change', noteId: n2, delta: 1 });
    await at('vote');
    await fac.do({ type: 'settings.set', showRanking: true });
    await go('reveal');
    await at('reveal');
    await go('act');
    await fac.do({ type: 'act.tag', noteId: n1, tag: 'control' });
    await fac.do({ type: 'action.add', noteId: n1, what: 'Agree one shared outcome', who: 'Partnership board', when: 'March' });
    await at('act');
    await go('closed');
    await at('closed');
  } finally {
    fac.close();
    for (const p of people) p.close();
  }
}

test('landing page', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Remembered workshop' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  await context.addInitScript(
    (list) => localStorage.setItem('fishbone:facilitating', JSON.stringify(list)),
    [{ code: w.code, key: w.facilitatorKey, title: 'Remembered workshop', createdAt: Date.now() }],
  );
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByText('Now: Lobby')).toBeVisible();
  await expectAccessible(page, 'landing with history');
  await page.getByLabel('Join code').fill('ZZZ');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Blank fishbone (you name the bones)').check();
  await page.getByRole('button', { name: /^Delete 'Remembered workshop'/ }).click();
  await expectAccessible(page, 'landing with errors, blank template, delete confirm');
  await context.close();
});

test('participant page in every phase', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Accessible away-day' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await runWorkshop(server, w, async (step) => {
    await expect(page.getByRole('banner').getByText(PHASE_NAMES[phaseOf(step)], { exact: true })).toBeVisible();
    if (step === 'lobby') await expect(page.getByRole('group', { name: 'Your group (optional)' })).toBeVisible();
    if (step === 'brainstorm (silent)') {
      await page.getByRole('button', { name: /^People/ }).click();
      const field = page.getByLabel('Add a note to People — Skills');
      await field.fill('No joint training');
      await field.press('Enter');
      await expect(page.getByText('Only you see it for now')).toBeVisible();
      await page.getByRole('button', { name: /^About you/ }).click();
    }
    if (step === 'vote') await page.getByRole('button', { name: "Add a dot to 'Lack of a common goal'" }).click();
    await expectAccessible(page, `participant: ${step}`);
  });
  await context.close();
});

test('participant page: unknown workshop', async ({ browser, server }) => {
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto('/w/ZZZZZZ');
  await expect(page.getByRole('heading', { name: 'Workshop not found' })).toBeVisible();
  await expectAccessible(page, 'participant: unknown workshop');
  await context.close();
});

test('projector page in every phase', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Accessible away-day' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}/screen`);
  await runWorkshop(server, w, async (step) => {
    const phase = phaseOf(step);
    if (phase === 'closed') await expect(page.getByText(DEFAULT_PROMPTS.closed)).toBeVisible();
    else await expect(page.locator('[aria-current="step"]')).toHaveText(PHASE_NAMES[phase]);
    await expectAccessible(page, `projector: ${step}`);
  });
  await context.close();
});

test('facilitator page in every phase', async ({ browser, server }) => {
  // axe on the facilitator's page in eight steps took 35 s alone and over 60 s beside other tests
  // on a two-core machine: twice the default.
  test.setTimeout(120_000);
  const w = await createWorkshopApi(server.url, { title: 'Accessible away-day' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}/facilitate#key=${w.facilitatorKey}`);
  await runWorkshop(server, w, async (step) => {
    await expect(page.getByText(ft.phases.whatNow[phaseOf(step)])).toBeVisible();
    await expectAccessible(page, `facilitator: ${step}`);
  });
  await context.close();
});

test('text at 200% on a 360 px phone: no sideways scroll, and a note can still be added', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Partnership away-day with a longer title', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
  await page.getByRole('button', { name: /^Processes/ }).click();
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);

  // The field and its button can be reached and are not hidden under the header.
  const field = page.getByLabel('Add a note to Processes');
  const add = page.getByRole('button', { name: 'Add', exact: true }).first();
  for (const control of [field, add]) {
    await control.scrollIntoViewIfNeeded();
    await control.focus();
    const box = (await control.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    const onTop = await control.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
    });
    expect(onTop).toBe(true);
  }
  // A header grown by large text scrolls away rather than covering most of the screen.
  const headerBottom = await page.getByRole('banner').evaluate((el) => el.getBoundingClientRect().bottom);
  expect(headerBottom).toBeLessThanOrEqual(320);
  await field.fill('Too many forms');
  await field.press('Enter');
  await expect(page.locator('article', { hasText: 'Too many forms' }).getByText('Your note')).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  fac.close();
  await context.close();
});

test('reduced motion switches off animations and transitions', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Still away-day', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const moving = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((el) =>
        [null, '::before', '::after'].flatMap((pseudo) => {
          const s = getComputedStyle(el, pseudo);
          const animated = s.animationName !== 'none' && s.animationName !== '';
          const transitions = s.transitionDuration.split(',').some((d) => parseFloat(d) > 0);
          return animated || transitions ? [`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${pseudo ?? ''}`] : [];
        }),
      ),
    );
  await page.emulateMedia({ reducedMotion: 'reduce' });
  for (const path of ['/', `/w/${w.code}`, `/w/${w.code}/screen`, `/w/${w.code}/facilitate#key=${w.facilitatorKey}`]) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    expect.soft(await moving(), path).toEqual([]);
  }
  // The rule that does it holds for any motion added later, too.
  const probe = await page.evaluate(() => {
    const el = document.body.appendChild(document.createElement('div'));
    el.style.cssText = 'transition: opacity 2s; animation: spin 2s infinite';
    const s = getComputedStyle(el);
    return { animation: s.animationName, transition: s.transitionDuration };
  });
  expect(probe).toEqual({ animation: 'none', transition: '0s' });
  fac.close();
  await context.close();
});

// The hybrid day (issue 13): every new view, on a phone, a tablet and the facilitator's laptop.

// One test a screen size: each runs its own workshop, in parallel with the others.
for (const { width, height } of [
  { width: 412, height: 915 },
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
]) {
  test(`projector page at ${width}×${height} (a phone or a tablet): no sideways scroll, readable type, in every phase`, async ({
    browser,
    server,
  }) => {
    test.setTimeout(120_000);
    const w = await createWorkshopApi(server.url, { title: 'Accessible away-day for the North and West localities' });
    const context = await browser.newContext({ viewport: { width, height }, baseURL: server.url });
    const page = await context.newPage();
    await page.goto(`/w/${w.code}/screen`);
    mkdirSync(SCREENS, { recursive: true });
    await runWorkshop(server, w, async (step) => {
      const phase = phaseOf(step);
      if (phase === 'closed') await expect(page.getByText(DEFAULT_PROMPTS.closed)).toBeVisible();
      else await expect(page.locator('[aria-current="step"]')).toHaveText(PHASE_NAMES[phase]);
      if (width < 700 && phase !== 'act' && phase !== 'closed')
        await expect(page.getByRole('region', { name: 'The fishbone' }).getByText("Partnership doesn't work")).toBeVisible();
      expect(await pageWidth(page), `${step} at ${width}×${height}`).toBeLessThanOrEqual(width);
      // Type stays readable at arm's length.
      const promptPx = await page.locator('.prompt').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(promptPx).toBeGreaterThanOrEqual(16);
      await expectAccessible(page, `projector at ${width}×${height}: ${step}`);
      if (width !== 768) await page.screenshot({ path: `${SCREENS}/projector-${step.replace(/\W+/g, '-')}-${width}x${height}.png` });
    });
    await context.close();
  });
}

test("the phone's diagram and a bone full screen, at 360×640, 200% text and in landscape", async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Accessible away-day', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  const writer = await TestClient.participant(server.url, w.code);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  await writer.do({ type: 'note.add', boneId: 'environment', text: "'Good news' imperatives stop honest reviews of what failed" });
  await writer.do({ type: 'note.add', boneId: 'people', subBoneId: 'behaviour', text: 'Professional identity and mistrust' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await page.getByRole('button', { name: 'Diagram' }).click();
  const diagram = page.getByRole('region', { name: 'The fishbone' });
  await expect(diagram.getByRole('button', { name: /^Environment and culture/ })).toBeVisible();
  await expectAccessible(page, 'phone diagram: brainstorm');
  await diagram.getByRole('button', { name: /^Environment and culture/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Environment and culture' });
  await expect(dialog.getByText("'Good news' imperatives stop honest reviews of what failed")).toBeVisible();
  await expectAccessible(page, 'phone bone screen: brainstorm');
  await dialog.getByRole('button', { name: 'Larger text' }).click();
  await expect(dialog.getByText('Text size 125%')).toBeVisible();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('dialog', { name: 'People' })).toBeVisible();
  await page.keyboard.press('Escape');

  // 200% text: one column, nothing sideways, every bone still reachable.
  await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  const people = diagram.getByRole('button', { name: /^People/ });
  const env = diagram.getByRole('button', { name: /^Environment and culture/ });
  const [a, b] = [(await people.boundingBox())!, (await env.boundingBox())!];
  expect(Math.abs(a.x - b.x)).toBeLessThan(2); // one column
  await env.click();
  await expect(page.getByRole('dialog', { name: 'Environment and culture' })).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(360);
  await expectAccessible(page, 'phone bone screen: 200% text');
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: `${SCREENS}/phone-bone-screen-200pct.png` });
  await page.keyboard.press('Escape');
  await page.evaluate(() => (document.documentElement.style.fontSize = ''));

  // Landscape: the head on the right of the bones.
  await page.setViewportSize({ width: 640, height: 360 });
  expect(await pageWidth(page)).toBeLessThanOrEqual(640);
  const head = (await diagram.getByText("Partnership doesn't work").boundingBox())!;
  expect(head.x).toBeGreaterThan((await people.boundingBox())!.x + 100);
  await expectAccessible(page, 'phone diagram: landscape');
  await diagram.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENS}/phone-diagram-landscape.png` });
  writer.close();
  fac.close();
  await context.close();
});

test('taking part in Act on the phone, and what the facilitator sees of it', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Accessible away-day', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  const people = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  const { noteId } = await people[0].do({ type: 'note.add', boneId: 'processes', text: 'Lack of a common goal' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  await page.getByRole('button', { name: "I've finished" }).click();
  // The count moves a few seconds later, once 3 people have finished (server/workshop/disclosure.ts).
  for (const p of people.slice(0, 2)) await p.do({ type: 'finished.set', phase: 'brainstorm', finished: true });
  await expect(page.getByText('3 of 4 finished')).toBeVisible();
  await expectAccessible(page, "phone: I've finished");
  await fac.do({ type: 'phase.set', phase: 'vote' });
  for (const p of people) await p.do({ type: 'vote.change', noteId: noteId!, delta: 1 });
  await page.getByRole('button', { name: "Add a dot to 'Lack of a common goal'" }).click();
  await expect(page.getByText('4 of 5 dots left')).toBeVisible();
  await fac.do({ type: 'phase.set', phase: 'reveal' });
  await expect(page.getByRole('region', { name: 'Your dots went to' })).toBeVisible();
  await page.getByRole('button', { name: 'Diagram' }).click();
  await expect(page.getByRole('region', { name: 'The fishbone' }).getByText('Most of the weight')).toBeVisible();
  await expectAccessible(page, 'phone: reveal with your dots and the weights');
  await fac.do({ type: 'phase.set', phase: 'act' });
  const control = page.getByRole('region', { name: 'Within our control?' });
  await control.getByRole('radio', { name: 'We can influence it' }).check();
  await page.getByLabel('An action the group could take').fill('Agree one shared outcome');
  await page.getByRole('button', { name: 'Propose', exact: true }).click();
  await expect(page.getByText('Waiting for the facilitator')).toBeVisible();
  await expectAccessible(page, 'phone: act, answering and proposing');

  const facContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: server.url });
  const facPage = await facContext.newPage();
  await facPage.goto(`/w/${w.code}/facilitate#key=${w.facilitatorKey}`);
  for (const [i, p] of people.slice(0, 2).entries()) {
    await p.do({ type: 'proposal.add', text: `Proposal ${i}` });
    await p.do({ type: 'control.answer', noteId: noteId!, answer: 'control' });
  }
  const proposals = facPage.getByRole('region', { name: 'Proposed actions from phones' });
  await expect(proposals.getByText('3 proposals waiting')).toBeVisible();
  await expectAccessible(facPage, 'facilitator: proposals waiting, answers hidden');
  await proposals.getByRole('button', { name: 'Show 3 proposals' }).click();
  await expect(proposals.getByText('Agree one shared outcome')).toBeVisible();
  const answers = facPage.getByRole('region', { name: 'Within our control? (phones)' });
  await answers.getByRole('button', { name: 'Show the answers' }).click();
  await answers.getByRole('button', { name: 'Show them' }).click();
  await expect(answers.getByText('Shown: 3 people answered.')).toBeVisible();
  await expectAccessible(facPage, 'facilitator: proposals shown, answers shown');
  await expect(control.getByText('Your answer: We can influence it')).toBeVisible();
  await expectAccessible(page, 'phone: act, answers shown');
  await facContext.close();
  for (const p of people) p.close();
  fac.close();
  await context.close();
});
