import type { BrowserContext, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createWorkshopApi, expect, facilitatorSocket, phones, TestClient, test, until, waitForOfflineShell } from './fixtures.ts';

/**
 * Bad venue Wi-Fi: what a phone does while offline waits in its outbox, shows as pending,
 * survives a reload with no network (the page comes from the service worker's cache, the board
 * and outbox from localStorage) and reaches the server exactly once when the network is back.
 */

const connected = (page: Page) => page.getByRole('status').filter({ hasText: /^\s*Connected/ });

async function openOnPhone(context: BrowserContext, code: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/w/${code}`);
  await expect(connected(page)).toBeVisible();
  await waitForOfflineShell(page);
  return page;
}

async function goOffline(context: BrowserContext, page: Page) {
  await context.setOffline(true);
  await expect(page.getByText(/^Offline: your changes will be sent/)).toBeVisible();
}

async function reloadOffline(page: Page, title: string) {
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(/^Offline: your changes will be sent/)).toBeVisible();
}

for (const { name, device } of phones) {
  test.describe(name, () => {
    test('two notes written offline survive a reload and arrive once', async ({ browser, server }) => {
      const w = await createWorkshopApi(server.url, { title: 'Offline away-day', silent: false });
      const fac = await facilitatorSocket(server.url, w);
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      const context = await browser.newContext({ ...device, baseURL: server.url });
      const page = await openOnPhone(context, w.code);

      await goOffline(context, page);
      await page.getByRole('button', { name: /^Processes/ }).click();
      const field = page.getByLabel('Add a note to Processes');
      for (const text of ['No shared referral form', 'Meetings clash with clinics']) {
        await field.fill(text);
        await field.press('Enter');
        await expect(page.locator('article', { hasText: text }).getByText('Waiting to be sent')).toBeVisible();
      }
      await expect(page.getByText('2 waiting to be sent')).toBeVisible();

      await reloadOffline(page, 'Offline away-day');
      const waiting = page.getByRole('region', { name: 'Waiting to be sent' });
      await expect(waiting.getByRole('listitem')).toHaveText([
        "New note 'No shared referral form'",
        "New note 'Meetings clash with clinics'",
      ]);

      await context.setOffline(false);
      await expect(connected(page)).toBeVisible();
      await expect(waiting).toHaveCount(0);
      await until(() => fac.board().notes.length >= 2, 'the notes on the facilitator replica');
      // The phone's outbox is empty, so the server has answered every send it made; after a round
      // trip, all that the server sent the facilitator before it has arrived: a doubled note would be here.
      await fac.sync();
      expect(
        fac
          .board()
          .notes.map((n) => n.text)
          .sort(),
      ).toEqual(['Meetings clash with clinics', 'No shared referral form']);
      await page.getByRole('button', { name: /^Processes/ }).click();
      for (const text of ['No shared referral form', 'Meetings clash with clinics']) {
        await expect(page.locator('article', { hasText: text })).toHaveCount(1);
        await expect(page.locator('article', { hasText: text }).getByText('Your note')).toBeVisible();
      }
      fac.close();
      await context.close();
    });

    test('a dot placed offline survives a reload and counts once', async ({ browser, server }) => {
      const w = await createWorkshopApi(server.url, { title: 'Offline vote', silent: false });
      const fac = await facilitatorSocket(server.url, w);
      const writer = await TestClient.participant(server.url, w.code);
      await fac.do({ type: 'phase.set', phase: 'brainstorm' });
      await writer.do({ type: 'note.add', boneId: 'processes', text: 'Lack of a common goal' });
      await fac.do({ type: 'phase.set', phase: 'vote' });
      const context = await browser.newContext({ ...device, baseURL: server.url });
      const page = await openOnPhone(context, w.code);

      await goOffline(context, page);
      await page.getByRole('button', { name: "Add a dot to 'Lack of a common goal'" }).click();
      await expect(page.getByText('4 of 5 dots left')).toBeVisible();
      await expect(page.getByText('(1 waiting)')).toBeVisible();

      await reloadOffline(page, 'Offline vote');
      await expect(page.getByText('4 of 5 dots left')).toBeVisible();
      await expect(page.getByRole('region', { name: 'Waiting to be sent' })).toContainText("A dot for 'Lack of a common goal'");

      await context.setOffline(false);
      await expect(connected(page)).toBeVisible();
      // Turnout counts 3 people or none (server/workshop/disclosure.ts): two more vote.
      const third = await TestClient.participant(server.url, w.code);
      const noteId = fac.board().notes[0].id;
      for (const p of [writer, third]) await p.do({ type: 'vote.change', noteId, delta: 1 });
      await until(() => fac.stats?.turnout.voters === 3, 'the voter in the turnout', 10_000);
      await expect(page.getByText('4 of 5 dots left')).toBeVisible();
      await expect(page.getByText('Your dots: 1 of at most 3')).toBeVisible();
      // Three voters would also be three with the phone's dot doubled: the revealed count tells
      // one dot each (3) from a doubled one (4).
      await fac.do({ type: 'phase.set', phase: 'reveal' });
      await until(() => fac.board().tally !== null, 'the tally');
      expect(fac.board().tally!.notes[noteId]).toEqual({ dots: 3, supporters: 3 });
      writer.close();
      third.close();
      fac.close();
      await context.close();
    });
  });
}

test('a dot queued offline after voting closed is refused, with the reason', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Late dot', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  const writer = await TestClient.participant(server.url, w.code);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  await writer.do({ type: 'note.add', boneId: 'processes', text: 'Poor communication' });
  await fac.do({ type: 'phase.set', phase: 'vote' });
  const context = await browser.newContext({ ...phones[1].device, baseURL: server.url });
  const page = await openOnPhone(context, w.code);

  await goOffline(context, page);
  await page.getByRole('button', { name: "Add a dot to 'Poor communication'" }).click();
  await expect(page.getByText('(1 waiting)')).toBeVisible();
  await fac.do({ type: 'phase.set', phase: 'reveal' }); // voting closes while the phone is away

  await context.setOffline(false);
  const refused = page.getByRole('region', { name: 'Not accepted' });
  await expect(refused).toContainText("A dot for 'Poor communication'");
  await expect(refused).toContainText('Not accepted: Not possible in the Reveal phase: dots are placed while voting is open.');
  // Not counted: no ballot of it in the store (the room's turnout would say 0 either way, as it
  // waits for 3 voters, and the tally was made at the reveal, before the phone came back).
  const db = new Database(join(server.dataDir, 'fishbone.sqlite'), { readonly: true });
  const ballots = db.prepare('SELECT COUNT(*) FROM ballots b JOIN workshops w ON w.id = b.workshop_id WHERE w.code = ?');
  expect(ballots.pluck().get(w.code)).toBe(0);
  db.close();
  await refused.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(refused).toHaveCount(0);
  writer.close();
  fac.close();
  await context.close();
});
