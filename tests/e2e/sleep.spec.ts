import { TestClient, until } from '../support/client.ts';
import { createWorkshopApi, expect, facilitatorSocket, phones, testWithServer } from './fixtures.ts';
import { sleep } from '../support/wait.ts';

/**
 * A phone put to sleep mid-workshop: its page stops (no JavaScript runs, no network), the
 * server gives up on it, the room moves on; when it wakes it catches up on its own, without a
 * reload. A real phone sleeps for minutes and the server waits 45 s; this server's heartbeat is
 * short (PING_INTERVAL_MS) so the same thing happens in seconds.
 */
const test = testWithServer({ PING_INTERVAL_MS: '1000', PING_TIMEOUT_MS: '1500' });

test('a phone that sleeps through a change of phase wakes up caught up, without a reload', async ({ browser, server }) => {
  const w = await createWorkshopApi(server.url, { title: 'Sleepy away-day', silent: false });
  const fac = await facilitatorSocket(server.url, w);
  const writer = await TestClient.participant(server.url, w.code);
  await fac.do({ type: 'phase.set', phase: 'brainstorm' });
  await writer.do({ type: 'note.add', boneId: 'processes', text: 'Referral forms differ' });

  const context = await browser.newContext({ ...phones[0].device, baseURL: server.url });
  const page = await context.newPage();
  await page.goto(`/w/${w.code}`);
  const connected = page.getByRole('status').filter({ hasText: /^\s*Connected/ });
  await expect(connected).toBeVisible();
  await until(() => fac.stats?.connected.participants === 2, 'the phone counted as connected', 10_000);
  // A marker that a reload would lose, and a ticking timer to prove the page really sleeps.
  type Probe = { beforeSleep?: boolean; ticks: number };
  await page.evaluate(() => {
    const probe = window as unknown as Probe;
    probe.beforeSleep = true;
    probe.ticks = 0;
    setInterval(() => probe.ticks++, 50);
  });

  const cdp = await context.newCDPSession(page);
  await context.setOffline(true); // the radio sleeps too
  const ticksBefore = await page.evaluate(() => (window as unknown as Probe).ticks);
  // The page's JavaScript stops dead, as on a sleeping phone (Page.setWebLifecycleState 'frozen'
  // does not stop timers in this Chromium; the debugger's pause does).
  await cdp.send('Debugger.enable');
  await cdp.send('Debugger.pause');
  const asleepAt = Date.now();
  await until(() => fac.stats?.connected.participants === 1, 'the server giving up on the sleeping phone', 10_000);
  await writer.do({ type: 'note.add', boneId: 'processes', text: 'Written while the phone slept' });
  await fac.do({ type: 'phase.set', phase: 'vote' });
  await sleep(3000); // longer than the heartbeat: every timer is overdue on waking

  await context.setOffline(false);
  const sleptMs = Date.now() - asleepAt;
  await cdp.send('Debugger.resume');
  await cdp.send('Debugger.disable');
  const probe = await page.evaluate(() => ({
    beforeSleep: (window as unknown as Probe).beforeSleep,
    ticks: (window as unknown as Probe).ticks,
  }));
  expect(probe.beforeSleep).toBe(true); // the same page: no reload
  expect(probe.ticks - ticksBefore, `timer ticks in ${sleptMs} ms of sleep`).toBeLessThan(sleptMs / 50 / 2); // it really slept
  await expect(connected).toBeVisible();
  await expect(page.getByText('5 of 5 dots left')).toBeVisible();
  await expect(page.getByRole('button', { name: "Add a dot to 'Written while the phone slept'" })).toBeVisible();

  await page.getByRole('button', { name: "Add a dot to 'Written while the phone slept'" }).click();
  await expect(page.getByText('4 of 5 dots left')).toBeVisible();
  // Turnout counts 3 people or none (server/workshop/disclosure.ts): two more vote.
  const third = await TestClient.participant(server.url, w.code);
  const noteId = fac.board().notes[0].id;
  for (const p of [writer, third]) await p.do({ type: 'vote.change', noteId, delta: 1 });
  await until(() => fac.stats?.turnout.voters === 3, 'the voter in the turnout', 10_000);
  third.close();
  writer.close();
  fac.close();
  await context.close();
});
