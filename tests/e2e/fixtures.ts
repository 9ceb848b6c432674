import { test as base, devices, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { TestClient, until } from '../support/client.ts';
import { freePort, ServerProcess } from '../support/process.ts';
import { createWorkshop, type Created } from '../support/server.ts';

export { freePort, ServerProcess, TestClient, until };

export const phone = devices['Pixel 7'];
export const smallPhone = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The two phones every phone test runs on. */
export const phones = [
  { name: 'Pixel 7', device: phone },
  { name: '360×640', device: smallPhone },
] as const;

export async function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ ...phone, baseURL });
}

export type CreatedWorkshop = Created;

export const createWorkshopApi = (url: string, body: object = { title: 'Partnership away-day' }): Promise<CreatedWorkshop> =>
  createWorkshop(url, body);

/** A facilitator without a UI: a socket.io client with a Yjs replica (tests/support/client.ts). */
export const facilitatorSocket = (url: string, w: CreatedWorkshop) => TestClient.facilitator(url, w.code, w.facilitatorKey);

/** The service worker (client/public/sw.js) controls the page and holds its shell, so an offline reload works. */
export async function waitForOfflineShell(page: Page): Promise<void> {
  // Polled from here: waitForFunction takes a sync predicate (an async one passes at once).
  await expect
    .poll(() =>
      page.evaluate(async () => {
        if (!navigator.serviceWorker?.controller) return false;
        const keys = (await (await caches.open('fishbone-shell-v1')).keys()).map((r) => new URL(r.url).pathname);
        return keys.includes('/index.html') && keys.some((k) => /^\/assets\/Participant-.*\.js$/.test(k));
      }),
    )
    .toBe(true);
}

/** Wider than the viewport means the page scrolls sideways. */
export const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/**
 * One server per worker (Playwright has no per-file scope; the files a worker runs share it, one
 * after another), started before its first test, with `env` added to its environment. A file
 * that calls testWithServer with other `env` runs in workers of its own (Playwright groups tests
 * by their fixtures), so with a server of its own.
 */
export function testWithServer(env: Record<string, string> = {}) {
  return base.extend<object, { server: ServerProcess }>({
    server: [
      // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function names
      async ({}, use) => {
        const server = new ServerProcess(await freePort(), env);
        await server.start();
        await use(server);
        await server.stop();
        server.cleanup();
      },
      { scope: 'worker' },
    ],
  });
}

export const test = testWithServer();

export { expect } from '@playwright/test';
