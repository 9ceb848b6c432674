/**
 * Screenshots of the participant page at 360×640 with JavaScript off (the server's first paint)
 * and on (the live page, connected): `npx tsx bench/experiments/page-shots.ts http://127.0.0.1:PORT`
 * against a running build; writes /tmp/shot-nojs.png and /tmp/shot-js.png.
 */
import { chromium } from '@playwright/test';
import { brainstormWorkshop } from '../page-load.ts';
const base = process.argv[2];
const code = await brainstormWorkshop(base);
const html = await (await fetch(`${base}/w/${code}`)).text();
console.log(html.length, html.slice(0, 3000));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const js of [false, true]) {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, javaScriptEnabled: js, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  page.on('console', (m) => console.log('console', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  await page.goto(`${base}/w/${code}`);
  if (js) await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 15000 });
  await page.screenshot({ path: `/tmp/shot-${js ? 'js' : 'nojs'}.png` });
  await ctx.close();
}
await browser.close();
