import { test as base, devices, type Browser, type BrowserContext } from '@playwright/test';
import { freePort, ServerProcess } from '../support/process.ts';

export { freePort, ServerProcess };

export const phone = devices['Pixel 7'];
export const smallPhone = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

export async function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ ...phone, baseURL });
}

export interface CreatedWorkshop {
  code: string;
  facilitatorKey: string;
  participantUrl: string;
  facilitatorUrl: string;
}

export async function createWorkshopApi(url: string, body: object = { title: 'Partnership away-day' }): Promise<CreatedWorkshop> {
  const res = await fetch(`${url}/api/workshops`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`create failed ${res.status}`);
  return (await res.json()) as CreatedWorkshop;
}

/** One server per test file (worker-scoped), started before its tests. */
export const test = base.extend<object, { server: ServerProcess }>({
  server: [
    async ({}, use) => {
      const server = new ServerProcess(await freePort());
      await server.start();
      await use(server);
      await server.stop();
      server.cleanup();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
