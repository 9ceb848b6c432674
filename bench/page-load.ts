import { chromium, type Browser } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { io } from 'socket.io-client';

/**
 * The participant page's weight and load time (issue "Phones first"): the JavaScript it loads,
 * gzipped, and the time until a phone on slow 4G with a 4× slower CPU shows a usable, connected
 * board. Chrome DevTools Protocol throttling, Debian's Chromium.
 */
export interface PageLoad {
  js_files: number;
  js_bytes: number;
  js_gzip_bytes: number;
  /** Navigation start → the board is on screen and notes can be written (they wait in the
   *  outbox until the socket is up), slow 4G + 4× CPU. */
  usable_ms_slow4g: number;
  /** Navigation start → connected to the server, slow 4G + 4× CPU. */
  connected_ms_slow4g: number;
  usable_ms_fast: number;
}

/** Chrome DevTools' "Slow 4G" preset: 150 ms round trips (×3.75 for the page), 1.6 Mbit/s down. */
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9,
  uploadThroughput: ((750 * 1024) / 8) * 0.9,
};

async function usableAfter(browser: Browser, url: string, throttle: boolean): Promise<{ usable: number; connected: number }> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  // Usable: the workshop's title, what to do now and the bones are on screen.
  await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 60_000 });
  await page.getByText('People', { exact: true }).first().waitFor({ timeout: 60_000 });
  const usable = Date.now() - t0;
  await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 60_000 });
  const connected = Date.now() - t0;
  await context.close();
  return { usable, connected };
}

/** A workshop in the brainstorm, as a participant meets it, then the page's figures. */
export async function measureParticipantPage(baseUrl: string): Promise<PageLoad> {
  const res = await fetch(`${baseUrl}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Page load' }),
  });
  const { code, facilitatorKey } = (await res.json()) as { code: string; facilitatorKey: string };
  const socket = io(baseUrl, { transports: ['websocket'] });
  try {
    await socket.timeout(10_000).emitWithAck('join', { as: 'facilitator', code, key: facilitatorKey });
    await socket.timeout(10_000).emitWithAck('cmd', { type: 'phase.set', phase: 'brainstorm', id: 'bench-page-brainstorm' });
  } finally {
    socket.disconnect();
  }
  return measurePageLoad(baseUrl, code);
}

export async function measurePageLoad(baseUrl: string, code: string): Promise<PageLoad> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const url = `${baseUrl}/w/${code}`;
    // Which scripts the participant page loads (its own chunk and what it imports; not the others).
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.add(r.url());
    });
    await page.goto(url);
    await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });
    await context.close();
    let raw = 0;
    let gz = 0;
    for (const s of scripts) {
      const body = Buffer.from(await (await fetch(s)).arrayBuffer());
      raw += body.length;
      gz += gzipSync(body, { level: 9 }).length;
    }
    const slow: Array<{ usable: number; connected: number }> = [];
    const fast: Array<{ usable: number; connected: number }> = [];
    for (let i = 0; i < 3; i++) {
      fast.push(await usableAfter(browser, url, false));
      slow.push(await usableAfter(browser, url, true));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      js_files: scripts.size,
      js_bytes: raw,
      js_gzip_bytes: gz,
      usable_ms_slow4g: median(slow.map((x) => x.usable)),
      connected_ms_slow4g: median(slow.map((x) => x.connected)),
      usable_ms_fast: median(fast.map((x) => x.usable)),
    };
  } finally {
    await browser.close();
  }
}
