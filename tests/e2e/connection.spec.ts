import type { Page } from '@playwright/test';
import { createWorkshopApi, expect, facilitatorSocket, phones, test, until } from './fixtures.ts';

/**
 * The connection state tells the truth: "Offline" while the network is gone, and back to
 * "Connected" within 3 s of it returning, whatever socket.io's reconnection backoff was doing
 * (it waits up to 5 s between attempts) and whether or not the socket survived the blip.
 * Blips are Chromium's offline emulation. (engine.io-client closes its transport on the
 * browser's 'offline' event, so the socket never outlives a blip: what used to be slow is the
 * way back, where socket.io waits for its next backoff attempt.)
 */

const connected = (page: Page) => page.getByRole('status').filter({ hasText: /^\s*Connected/ });
const offline = (page: Page) => page.getByRole('status').filter({ hasText: /^\s*Offline/ });

for (const [i, seconds] of [1, 10, 60].entries()) {
  const { name, device } = phones[i % phones.length];
  test(`after a ${seconds} s blip the phone says Connected within 3 s, and what it wrote arrives (${name})`, async ({
    browser,
    server,
  }) => {
    test.setTimeout(60_000 + seconds * 1000);
    const w = await createWorkshopApi(server.url, { title: `Blip ${seconds}`, silent: false });
    const fac = await facilitatorSocket(server.url, w);
    await fac.do({ type: 'phase.set', phase: 'brainstorm' });
    const context = await browser.newContext({ ...device, baseURL: server.url });
    const page = await context.newPage();
    const opened = Date.now();
    await page.goto(`/w/${w.code}`);
    await expect(connected(page)).toBeVisible();
    // This machine's pace now: the way back makes the connection and the join the first load
    // made, so a busy two-core CI machine's slowness is allowed for on top of the 3 s (about
    // 0.3 s idle); a wait for socket.io's backoff (up to 5 s) still fails most blips.
    const firstConnect = Date.now() - opened;

    await context.setOffline(true);
    const wentAt = Date.now();
    await expect(offline(page)).toBeVisible();
    await page.getByRole('button', { name: /^Processes/ }).click();
    const field = page.getByLabel('Add a note to Processes');
    await field.fill(`Written in a ${seconds} s blip`);
    await field.press('Enter');
    await expect(page.getByText('1 waiting to be sent')).toBeVisible();
    // Still offline all through the blip (socket.io keeps trying and failing meanwhile).
    await page.waitForTimeout(Math.max(0, seconds * 1000 - (Date.now() - wentAt)));
    await expect(offline(page)).toBeVisible();

    await context.setOffline(false);
    const backAt = Date.now();
    await expect(connected(page)).toBeVisible({ timeout: 3000 + firstConnect });
    expect(Date.now() - backAt).toBeLessThanOrEqual(3000 + firstConnect);
    await until(() => fac.board().notes.some((n) => n.text === `Written in a ${seconds} s blip`), 'the note on the facilitator replica');
    await expect(page.getByText('1 waiting to be sent')).toHaveCount(0);
    await expect(offline(page)).toHaveCount(0);
    fac.close();
    await context.close();
  });
}
