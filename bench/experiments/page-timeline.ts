import { brainstormWorkshop, launch, throttle } from '../page-load.ts';

/** One slow-4G load of the participant page, with the browser's own timeline: when the HTML, each script and the first paint came. */
const base = process.argv[2];
const code = await brainstormWorkshop(base);
const browser = await launch();
const js = process.argv[3] !== 'nojs';
const ctx = await browser.newContext({
  javaScriptEnabled: js,
  viewport: { width: 360, height: 640 },
  isMobile: true,
  hasTouch: true,
  serviceWorkers: 'block',
});
const page = await ctx.newPage();
await throttle(ctx, page);
const t0 = Date.now();
await page.goto(`${base}/w/${code}`, { waitUntil: 'commit' });
if (js) await page.getByText('Connected', { exact: true }).first().waitFor({ timeout: 60_000 });
else await page.waitForTimeout(4000);
console.log('connected (outside)', Date.now() - t0);
const entries = await page.evaluate(() => {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
  const r = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => [
    e.name.split('/').pop(),
    Math.round(e.startTime),
    Math.round(e.responseStart),
    Math.round(e.responseEnd),
  ]);
  const p = performance.getEntriesByType('paint').map((e) => [e.name, Math.round(e.startTime)]);
  return {
    nav: [
      Math.round(nav.responseStart),
      Math.round(nav.responseEnd),
      Math.round(nav.domInteractive),
      Math.round(nav.domContentLoadedEventEnd),
    ],
    r,
    p,
  };
});
console.log(JSON.stringify(entries, null, 1));
await browser.close();
