import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { createWorkshopApi, expect, facilitatorSocket, smallPhone, test, TestClient, until } from './fixtures.ts';
import { seriousViolations } from '../support/axe.ts';

/**
 * A phone alone (360×640) through what the facilitator gained in issue 14: "hold new notes for
 * review" (its own held note says it waits for review; hidden, it leaves; let through, it is on
 * the board), a vote closed by mistake and reopened (the controls are disabled with a message,
 * then live again), and a second round on the top 3 (said clearly, only those notes take dots,
 * a fresh budget; after its reveal both rounds' rankings, "your dots" with the round they were in).
 */

const SCREENS = 'test-results/screens';

/** The pinned header takes at most a fifth of a 360×640 screen. */
async function headerFits(page: Page, what: string) {
  const height = await page.getByRole('banner').evaluate((el) => el.getBoundingClientRect().height);
  expect(height, `header height, ${what}`).toBeLessThanOrEqual(640 / 5);
}

/** Nothing wider than the screen. */
async function noSideScroll(page: Page, what: string) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `page width, ${what}`).toBeLessThanOrEqual(360);
}

/** A screenshot of the top of the page, and axe on the whole of it (no serious or critical violation). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENS}/phone-${name}.png` });
  await page.waitForTimeout(300); // let transitions finish before colours are measured
  expect.soft(await seriousViolations(page), name).toEqual([]);
}

test('a 360×640 phone: held notes, a vote closed and reopened, a second round on the top 3', async ({ browser, server }) => {
  test.setTimeout(120_000);
  mkdirSync(SCREENS, { recursive: true });
  const w = await createWorkshopApi(server.url, { title: 'Partnership away-day for the North and West localities', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  const others = await Promise.all([0, 1, 2].map(() => TestClient.participant(server.url, w.code)));
  const context = await browser.newContext({ ...smallPhone, baseURL: server.url });
  const page = await context.newPage();
  try {
    await page.goto(`/w/${w.code}`);
    await expect(page.getByRole('heading', { name: 'Waiting for the facilitator to start' })).toBeVisible();

    // Brainstorm with "hold new notes for review": the phone's own note waits, and says so.
    await fac.do({ type: 'settings.set', hold: true });
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    await expect(page.getByText('The facilitator reviews new notes before everyone sees them.')).toBeVisible();
    await page.getByRole('button', { name: /^Processes/ }).click();
    const field = page.getByLabel('Add a note to Processes');
    await field.fill('Referrals get lost between teams');
    await field.press('Enter');
    const kept = page.locator('article', { hasText: 'Referrals get lost between teams' });
    await expect(kept.getByText('Waiting for the facilitator’s review')).toBeVisible();
    await field.fill('Dave from housing is useless and rude');
    await field.press('Enter');
    const held = page.locator('article', { hasText: 'Dave from housing' });
    await expect(held.getByText('Waiting for the facilitator’s review')).toBeVisible();
    // Notes of three people make a batch the facilitators can review.
    await others[0].do({ type: 'note.add', boneId: 'processes', text: 'Flawed decision-making' });
    await others[1].do({ type: 'note.add', boneId: 'structures', text: 'Partnership fatigue' });
    await others[2].do({ type: 'note.add', boneId: 'processes', text: 'No common goal' });
    // The batch comes a few seconds after the last of them (server/workshop/disclosure.ts).
    await until(() => fac.self?.review?.length === 5, 'the batch in the moderation view', 10_000);
    await headerFits(page, 'brainstorm');
    await shot(page, 'held-for-review');

    // The facilitator hides one and lets the rest through: the phone's list follows.
    const abusive = fac.self!.review!.find((n) => n.text.startsWith('Dave'))!;
    await fac.do({ type: 'note.hide', noteId: abusive.id, hidden: true });
    await fac.do({ type: 'notes.reveal' });
    await expect(held).toHaveCount(0);
    await expect(kept.getByText('Your note')).toBeVisible();
    await expect(kept.getByText('Waiting for the facilitator’s review')).toHaveCount(0);
    await expect(page.getByText('Flawed decision-making', { exact: true })).toBeVisible();
    await shot(page, 'held-let-through');

    // Vote, round 1.
    await fac.do({ type: 'phase.set', phase: 'review' });
    await fac.do({ type: 'phase.set', phase: 'vote' });
    await expect(page.getByText('5 of 5 dots left')).toBeVisible();
    const plus = (text: string) => page.getByRole('button', { name: `Add a dot to '${text}'` });
    await plus('Referrals get lost between teams').click();
    await expect(page.getByText('4 of 5 dots left')).toBeVisible();
    await plus('Flawed decision-making').click();
    await expect(page.getByText('3 of 5 dots left')).toBeVisible();
    const ids = Object.fromEntries(fac.board().notes.map((n) => [n.text, n.id]));
    await others[0].do({ type: 'vote.change', noteId: ids['Flawed decision-making'], delta: 3 });
    await others[1].do({ type: 'vote.change', noteId: ids['Partnership fatigue'], delta: 2 });
    await others[2].do({ type: 'vote.change', noteId: ids['No common goal'], delta: 1 });

    // Closed by mistake: the controls are disabled, with a message; nothing is refused on tap.
    await fac.do({ type: 'vote.close', closed: true });
    const closedMessage = page.getByRole('status').filter({ hasText: 'Voting is closed — waiting for the facilitator.' });
    await expect(closedMessage).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('Voting closed');
    await expect(plus('Partnership fatigue')).toBeDisabled();
    await expect(page.getByRole('button', { name: "Take a dot from 'Referrals get lost between teams'" })).toBeDisabled();
    await headerFits(page, 'voting closed');
    await noSideScroll(page, 'voting closed');
    await shot(page, 'vote-closed');
    // Reopened: live again, on the same phone, without a reload.
    await fac.do({ type: 'vote.close', closed: false });
    await expect(closedMessage).toHaveCount(0);
    await expect(page.getByText('3 of 5 dots left')).toBeVisible();
    await plus('Referrals get lost between teams').click();
    await expect(page.getByText('2 of 5 dots left')).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);

    // Reveal round 1: ranking and the phone's own dots.
    await fac.do({ type: 'vote.close', closed: true });
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    await expect(page.getByRole('heading', { name: 'Your dots went to' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'The ranking' })).toContainText('Flawed decision-making');
    await shot(page, 'round1-reveal');

    // Round 2 on the top 3, with a fresh budget of 4 dots, at most 2 on one.
    await fac.do({ type: 'round.start', top: 3, budget: 4, cap: 2 });
    const round = page.getByRole('region', { name: 'Round 2: vote again on the top 3' });
    await expect(round).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('Vote · round 2');
    await expect(page.getByRole('banner')).toContainText('4 of 4 dots left');
    await expect(page.getByText(/^This is round 2: only the top 3 barriers take dots/)).toBeVisible();
    const top3 = ['Flawed decision-making', 'Partnership fatigue', 'Referrals get lost between teams'];
    for (const text of top3) await expect(round.getByText(text, { exact: true })).toBeVisible();
    // Only this round's notes take dots: their + buttons are in the round's card, none elsewhere.
    await expect(page.getByRole('button', { name: /^Add a dot to/ })).toHaveCount(3);
    await expect(round.getByRole('button', { name: /^Add a dot to/ })).toHaveCount(3);
    await expect(round.getByText('No common goal')).toHaveCount(0);
    await headerFits(page, 'round 2');
    await noSideScroll(page, 'round 2');
    await shot(page, 'round2-vote');
    // With text at 200% the round's card still fits the width, and its + can be reached.
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    await noSideScroll(page, 'round 2 at 200% text');
    await round.getByRole('button', { name: "Add a dot to 'Referrals get lost between teams'" }).scrollIntoViewIfNeeded();
    await expect(round.getByRole('button', { name: "Add a dot to 'Referrals get lost between teams'" })).toBeInViewport();
    await page.screenshot({ path: `${SCREENS}/phone-round2-vote-200.png` });
    await page.evaluate(() => document.documentElement.style.removeProperty('font-size'));

    await round.getByRole('button', { name: "Add a dot to 'Partnership fatigue'" }).click();
    await expect(page.getByText('3 of 4 dots left')).toBeVisible();
    await round.getByRole('button', { name: "Add a dot to 'Partnership fatigue'" }).click();
    await expect(page.getByText('2 of 4 dots left')).toBeVisible();
    // At the cap of 2.
    await expect(round.getByRole('button', { name: "Add a dot to 'Partnership fatigue'" })).toBeDisabled();
    await others[0].do({ type: 'vote.change', noteId: ids['Referrals get lost between teams'], delta: 1 });

    // Closed between the round's votes and reopened.
    await fac.do({ type: 'vote.close', closed: true });
    await expect(closedMessage).toBeVisible();
    for (const text of top3) await expect(round.getByRole('button', { name: `Add a dot to '${text}'` })).toBeDisabled();
    await headerFits(page, 'round 2, closed');
    await shot(page, 'round2-closed');
    await fac.do({ type: 'vote.close', closed: false });
    await expect(closedMessage).toHaveCount(0);
    await round.getByRole('button', { name: "Add a dot to 'Referrals get lost between teams'" }).click();
    await expect(page.getByText('1 of 4 dots left')).toBeVisible();
    await fac.do({ type: 'vote.close', closed: true });

    // Round 2's reveal: both rankings, the latest first; "your dots" is round 2's, on round 2 only.
    await fac.do({ type: 'phase.set', phase: 'reveal' });
    const second = page.getByRole('region', { name: 'Round 2: the top 3 again' });
    const first = page.getByRole('region', { name: 'Round 1: consensus ranking' });
    await expect(second).toBeVisible();
    await expect(first).toBeVisible();
    const yours = page.getByRole('region', { name: 'Your dots in round 2 went to' });
    await expect(yours).toContainText('Partnership fatigue');
    await expect(yours).toContainText('your 2 dots');
    await expect(yours).toContainText('Referrals get lost between teams');
    await expect(second.getByText('You: 2 dots')).toBeVisible();
    // Round 1's ballot is not kept by the server: no "You:" on round 1's ranking.
    await expect(first.getByText(/^You:/)).toHaveCount(0);
    await expect(first).toContainText('No common goal');
    await expect(second).not.toContainText('No common goal');
    await expect(page.getByRole('region', { name: 'Where the weight lies (round 1, every note)' })).toBeVisible();
    // Latest round first.
    const order = await page.locator('section[data-round]').evaluateAll((els) => els.map((e) => e.getAttribute('data-round')));
    expect(order).toEqual(['2', '1']);
    expect(await page.getByRole('alert').count()).toBe(0);
    await headerFits(page, 'round 2 reveal');
    await noSideScroll(page, 'round 2 reveal');
    await shot(page, 'round2-reveal');
    await page.screenshot({ path: `${SCREENS}/phone-round2-reveal-full.png`, fullPage: true });
  } finally {
    others.forEach((c) => c.close());
    fac.close();
    await context.close();
  }
});
