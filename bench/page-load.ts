import { chromium, type Browser, type BrowserContext, type CDPSession } from '@playwright/test';
import { get as httpGet } from 'node:http';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { io } from 'socket.io-client';
import { killChildren, startOurs } from './servers.ts';

/**
 * The participant page's weight and load time (issue 17, "The phone's first load"): the
 * JavaScript it loads, gzipped, and the time until a phone on slow 4G with a 4× slower CPU shows
 * the board, can take a note, and is connected; then the same phone's repeat visit. Chrome
 * DevTools Protocol throttling, Debian's Chromium.
 *
 * Run alone: `npx tsx bench/page-load.ts [--server dist/server/main.js] [--old OLD/dist/server/main.js] [--loads 5]`
 * (after `npm run build`); `--old` measures another build in the same run, loads interleaved.
 */
export interface PageLoad {
  /** Which server entry was measured. */
  server: string;
  loads: number;
  js_files: number;
  js_bytes: number;
  js_gzip_bytes: number;
  /** The scripts as the server sends them to a browser that takes brotli (as Chromium does). */
  js_sent_bytes: number;
  /** The page's HTML, gzipped as sent (the board is in it). */
  html_gzip_bytes: number;
  /** Navigation start → the workshop's title and the bones are on screen (server-rendered or
   *  drawn by the script), slow 4G + 4× CPU. Median. */
  readable_ms_slow4g: number;
  /** Navigation start → a note can be typed and is queued in the outbox until the socket is up
   *  (a dot likewise while voting): the first paint armed, or the live page drawn. Median. */
  usable_ms_slow4g: number;
  /** Navigation start → the page's script has drawn the live page. Median. */
  live_ms_slow4g: number;
  /** Navigation start → connected to the server ("Connected" in the header). Median. */
  connected_ms_slow4g: number;
  /** A second visit in the same browser (its HTTP cache warm): usable. Median. */
  repeat_usable_ms_slow4g: number;
  usable_ms_fast: number;
  /** The browser's own first contentful paint (from navigation start), less disturbed by a
   *  busy machine than the polling above: for a server-drawn page, when the board showed. Median. */
  fcp_ms_slow4g: number;
  /** Every load's figures, in order, for the record. */
  samples: Sample[];
}

/** Chrome DevTools' "Slow 4G" preset: 150 ms round trips (×3.75 for the page), 1.6 Mbit/s down. */
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9,
  uploadThroughput: ((750 * 1024) / 8) * 0.9,
};

/**
 * The moments are taken inside the page, from navigation start, by a MutationObserver installed
 * before the page's own code: the same test for any build, and not delayed by a busy machine's
 * slow DevTools round trips (polling from outside added a second or more under load).
 * - readable: the title (h1) and the bones ("People") are in the page, whoever drew them;
 * - usable: a note can be typed and is queued in the outbox (a dot likewise): the server-drawn
 *   board (`data-ssr`) has been armed by its inline script (`data-armed`), or the page's script
 *   has drawn the live page (a build without a first paint has its title only then);
 * - live: the page's script has drawn the live page (the first paint, if any, is gone);
 * - connected: the header says "Connected".
 */
const WATCH = `(() => {
  const marks = (window.__pageLoad = {});
  const check = () => {
    const app = document.getElementById('app');
    if (!app) return;
    const t = Math.round(performance.now());
    const text = app.textContent || '';
    if (!marks.readable && app.querySelector('h1') && text.includes('People')) marks.readable = t;
    const ssr = app.querySelector('[data-ssr]');
    if (!marks.usable && app.querySelector('h1') && (!ssr || ssr.hasAttribute('data-armed'))) marks.usable = t;
    if (!marks.live && !ssr && app.querySelector('h1')) marks.live = t;
    if (!marks.connected && /\\bConnected\\b/.test(text)) marks.connected = t;
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-armed'] });
})();`;

type Marks = { readable?: number; usable?: number; live?: number; connected?: number };
const marksOf = (page: import('@playwright/test').Page, until: keyof Marks): Promise<Marks> =>
  page
    .waitForFunction(
      (k) =>
        (window as unknown as { __pageLoad?: Marks }).__pageLoad?.[k] ? (window as unknown as { __pageLoad: Marks }).__pageLoad : null,
      until,
      {
        timeout: 60_000,
        polling: 100,
      },
    )
    .then((h) => h.jsonValue() as Promise<Marks>);

interface Sample {
  readable: number;
  usable: number;
  live: number;
  connected: number;
  repeat: number;
  fcp: number;
}

/** Slow 4G and a 4× slower CPU for one page; the DevTools session, for more (profiling, say). */
export async function throttle(context: BrowserContext, page: import('@playwright/test').Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  return cdp;
}

async function oneLoad(browser: Browser, url: string, slow: boolean): Promise<Sample> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    isMobile: true,
    hasTouch: true,
    serviceWorkers: 'block',
  });
  try {
    await context.addInitScript(WATCH);
    const page = await context.newPage();
    if (slow) await throttle(context, page);
    await page.goto(url, { waitUntil: 'commit' });
    const { readable = -1, usable = -1, live = -1, connected = -1 } = await marksOf(page, 'connected');
    const fcp = Math.round(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1));
    // Leave the page as a phone would (its HTTP cache stays), then come back in a new tab.
    await page.close();
    const again = await context.newPage();
    if (slow) await throttle(context, again);
    await again.goto(url, { waitUntil: 'commit' });
    const { usable: repeat = -1 } = await marksOf(again, 'usable');
    return { readable, usable, live, connected, repeat, fcp };
  } finally {
    await context.close();
  }
}

/** A workshop in the brainstorm, as a participant meets it (a few notes on the board). */
export async function brainstormWorkshop(baseUrl: string): Promise<string> {
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
  return code;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
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
}

/** What the page fetches: its scripts (raw and gzipped) and its HTML (gzipped as sent). */
async function weigh(
  browser: Browser,
  url: string,
): Promise<Pick<PageLoad, 'js_files' | 'js_bytes' | 'js_gzip_bytes' | 'js_sent_bytes' | 'html_gzip_bytes'>> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.add(r.url());
    });
    await page.goto(url);
    await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 30_000 });
    let raw = 0;
    let gz = 0;
    let sent = 0;
    for (const s of scripts) {
      const body = Buffer.from(await (await fetch(s)).arrayBuffer());
      raw += body.length;
      gz += gzipSync(body, { level: 9 }).length;
      sent += await sentBytes(s);
    }
    const html = Buffer.from(await (await fetch(url)).arrayBuffer());
    return { js_files: scripts.size, js_bytes: raw, js_gzip_bytes: gz, js_sent_bytes: sent, html_gzip_bytes: gzipSync(html).length };
  } finally {
    await context.close();
  }
}

/** The body's bytes as they come over the wire to a browser that takes brotli or gzip (not decoded). */
function sentBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Each build's server on its own fresh data folder, one brainstorm workshop each; the loads
 * alternate between the builds, so outside load falls on both alike.
 */
export async function comparePageLoads(
  entries: string[],
  opts: { loads?: number; dataRoot?: string; log?: (s: string) => void } = {},
): Promise<PageLoad[]> {
  const loads = opts.loads ?? 5;
  const servers = [];
  try {
    for (const entry of entries) servers.push(await startOurs({ entry, dataRoot: opts.dataRoot }));
    const urls: string[] = [];
    for (const s of servers) urls.push(`${s.url}/w/${await brainstormWorkshop(s.url)}`);
    const browser = await launch();
    try {
      const weights: Array<Awaited<ReturnType<typeof weigh>>> = [];
      for (const url of urls) weights.push(await weigh(browser, url));
      const slow = urls.map(() => [] as Sample[]);
      const fast = urls.map(() => [] as number[]);
      for (let i = 0; i < loads; i++) {
        for (let k = 0; k < urls.length; k++) {
          slow[k].push(await oneLoad(browser, urls[k], true));
          if (i < 3) fast[k].push((await oneLoad(browser, urls[k], false)).usable);
          opts.log?.(`  load ${i + 1}/${loads} ${entries[k]}: ${JSON.stringify(slow[k].at(-1))}`);
        }
      }
      return urls.map((_, k) => ({
        server: entries[k],
        loads,
        ...weights[k],
        readable_ms_slow4g: median(slow[k].map((x) => x.readable)),
        usable_ms_slow4g: median(slow[k].map((x) => x.usable)),
        live_ms_slow4g: median(slow[k].map((x) => x.live)),
        connected_ms_slow4g: median(slow[k].map((x) => x.connected)),
        repeat_usable_ms_slow4g: median(slow[k].map((x) => x.repeat)),
        usable_ms_fast: median(fast[k]),
        fcp_ms_slow4g: median(slow[k].map((x) => x.fcp)),
        samples: slow[k],
      }));
    } finally {
      await browser.close();
    }
  } finally {
    for (const s of servers) await s.stop();
  }
}

/** The goals of issue 17, and today's page beside the new one when an old build was measured. */
export function pageLoadTable(pages: PageLoad[]): string {
  const [now, old] = pages;
  const ok = (met: boolean) => (met ? 'met   ' : 'MISSED');
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const was = (f: (p: PageLoad) => number | string) => (old ? ` (old build: ${f(old)})` : '');
  const [l1, l5] = loadavg();
  const lines = [
    `participant page (360×640; slow 4G: 562.5 ms latency, 1.44 Mbit/s; CPU 4× slower; median of ${now.loads}; load average ${l1.toFixed(2)} / ${l5.toFixed(2)})`,
    `  server: ${now.server}${old ? `; old build: ${old.server}` : ''}`,
    `  JavaScript: ${now.js_files} files, ${kb(now.js_bytes)}, ${kb(now.js_gzip_bytes)} gzipped, ${kb(now.js_sent_bytes)} as sent${was((p) => `${p.js_files} files, ${kb(p.js_gzip_bytes)} gzipped, ${kb(p.js_sent_bytes)} as sent`)}`,
    `  HTML: ${kb(now.html_gzip_bytes)} gzipped${was((p) => kb(p.html_gzip_bytes))}`,
    `  ${ok(now.readable_ms_slow4g <= 1000)} readable ≤ 1.0 s: ${now.readable_ms_slow4g} ms${was((p) => `${p.readable_ms_slow4g} ms`)}`,
    `  ${ok(now.usable_ms_slow4g <= 1500)} usable ≤ 1.5 s: ${now.usable_ms_slow4g} ms${was((p) => `${p.usable_ms_slow4g} ms`)}`,
    `  live page drawn by its script: ${now.live_ms_slow4g} ms${was((p) => `${p.live_ms_slow4g} ms`)}`,
    `  ${ok(now.connected_ms_slow4g <= 2000)} connected ≤ 2.0 s: ${now.connected_ms_slow4g} ms${was((p) => `${p.connected_ms_slow4g} ms`)}`,
    `  ${ok(now.repeat_usable_ms_slow4g <= 800)} repeat visit usable ≤ 0.8 s: ${now.repeat_usable_ms_slow4g} ms${was((p) => `${p.repeat_usable_ms_slow4g} ms`)}`,
    `  first contentful paint (the browser's own figure): ${now.fcp_ms_slow4g} ms${was((p) => `${p.fcp_ms_slow4g} ms`)}`,
    `  unthrottled usable: ${now.usable_ms_fast} ms${was((p) => `${p.usable_ms_fast} ms`)}`,
  ];
  return lines.join('\n');
}

// Run alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values: v } = parseArgs({
    options: {
      server: { type: 'string', default: 'dist/server/main.js' },
      old: { type: 'string' },
      loads: { type: 'string', default: '5' },
      out: { type: 'string' },
      'data-root': { type: 'string' },
    },
  });
  process.on('exit', killChildren);
  try {
    const pages = await comparePageLoads([v.server!, ...(v.old ? [v.old] : [])], {
      loads: Number(v.loads),
      dataRoot: v['data-root'],
      log: (s) => console.log(s),
    });
    console.log(pageLoadTable(pages));
    if (v.out) (await import('node:fs')).writeFileSync(v.out, `${JSON.stringify(pages, null, 2)}\n`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  }
  killChildren();
  process.exit();
}
