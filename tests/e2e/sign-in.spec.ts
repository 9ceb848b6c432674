import { mkdirSync } from 'node:fs';
import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { ADA, EVE, signInSettings, TestProvider, type TestAccount } from '../support/oidc-provider.ts';
import { freePort, ServerProcess } from '../support/process.ts';
import { smallPhone } from './fixtures.ts';
import { WireCapture } from './wire.ts';
import { seriousViolations } from '../support/axe.ts';

/**
 * An organisation runs the server: its facilitators sign in with their work account at its
 * OpenID provider (here a real one, `oidc-provider`, on a local port), only they create
 * workshops, and a workshop follows its facilitator to any computer. Participants never sign in.
 */

const SHOTS = 'test-results/sign-in';
const laptop = { viewport: { width: 1366, height: 768 } };

interface Organisation {
  provider: TestProvider;
  /** Sign-in required to create; sessions of the default length. */
  server: ServerProcess;
  /** The same organisation's server with sessions of ten seconds, to see one run out. */
  brief: ServerProcess;
}

const test = base.extend<object, { org: Organisation }>({
  org: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function names
    async ({}, use) => {
      const [appPort, briefPort, providerPort] = [await freePort(), await freePort(), await freePort()];
      const issuer = `http://127.0.0.1:${providerPort}`;
      const rules = { OIDC_ALLOWED_DOMAINS: 'health.example', SIGN_IN_TO_CREATE: 'true' };
      const server = new ServerProcess(appPort, signInSettings(issuer, rules));
      const brief = new ServerProcess(briefPort, signInSettings(issuer, { ...rules, AUTH_SESSION_HOURS: String(10 / 3600) }));
      const provider = await TestProvider.start([`${server.url}/auth/callback`, `${brief.url}/auth/callback`], { port: providerPort });
      await server.start();
      await brief.start();
      await use({ provider, server, brief });
      for (const s of [server, brief]) {
        await s.stop();
        s.cleanup();
      }
      await provider.close();
    },
    { scope: 'worker' },
  ],
});

test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

/** Through the start page's button to the provider's own login page, and back. */
async function signInThroughProvider(page: Page, who: TestAccount, shot?: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in with your work account' }).click();
  const login = page.locator('input[name="login"]');
  await expect(login).toBeVisible();
  expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
  if (shot) await page.screenshot({ path: `${SHOTS}/${shot}` });
  await login.fill(who.login);
  await page.locator('input[name="password"]').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.waitForURL((u) => u.pathname === '/' && !u.pathname.startsWith('/interaction'));
}

async function newComputer(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ ...laptop, baseURL });
  return context.newPage();
}

test('a facilitator signs in at the provider, creates a workshop, and opens it on a second computer without its link', async ({
  browser,
  org,
}) => {
  const office = await newComputer(browser, org.server.url);
  await office.goto('/');
  // Not signed in: creating is offered only through signing in, and the server refuses it too.
  await expect(office.getByRole('button', { name: 'Sign in to create a workshop' })).toBeVisible();
  await expect(office.getByLabel('Workshop title')).toHaveCount(0);
  const refused = await office.request.post('/api/workshops', { data: { title: 'Sneaky' } });
  expect(refused.status()).toBe(401);

  await signInThroughProvider(office, ADA, 'provider-login.png');
  await expect(office.getByText(`Signed in as ${ADA.name} (${ADA.email})`)).toBeVisible();
  await expect(office.getByText('None yet: a workshop you create while signed in appears here.')).toBeVisible();
  await office.getByLabel('Workshop title').fill('Integrated discharge away-day');
  await office.getByRole('button', { name: 'Create workshop' }).click();
  await expect(office.getByRole('heading', { level: 1, name: 'Integrated discharge away-day' })).toBeVisible();
  const code = /\/w\/([A-Z0-9]+)\/facilitate/.exec(office.url())![1];

  // The venue laptop: nothing in its browser, one sign-in, and the workshop is there.
  const venue = await newComputer(browser, org.server.url);
  await venue.goto('/');
  await signInThroughProvider(venue, ADA);
  const mine = venue.getByRole('region', { name: 'My workshops' });
  await expect(mine.getByRole('heading', { name: 'Integrated discharge away-day' })).toBeVisible();
  await expect(mine).toContainText(`Code ${code}`);
  await venue.screenshot({ path: `${SHOTS}/my-workshops-second-computer.png`, fullPage: true });
  // As every page: no serious or critical violation of WCAG 2.2 A/AA (tests/e2e/accessibility.spec.ts).
  expect(await seriousViolations(venue)).toEqual([]);
  await mine.getByRole('button', { name: "Open 'Integrated discharge away-day' as facilitator" }).click();
  await venue.waitForURL(`**/w/${code}/facilitate`);
  expect(new URL(venue.url()).hash).toBe('');
  await expect(venue.getByRole('heading', { level: 1, name: 'Integrated discharge away-day' })).toBeVisible();
  // The owner's controls, as from the link: hand a co-facilitator a link of their own.
  await venue.getByRole('button', { name: 'Make a co-facilitator link' }).click();
  await expect(venue.getByLabel('New co-facilitator link')).toHaveValue(new RegExp(`/w/${code}/facilitate#key=`));
  await venue.screenshot({ path: `${SHOTS}/facilitator-view-second-computer.png` });

  // A participant (no account, no sign-in) and the projector: nothing of the account reaches them.
  const phoneContext = await browser.newContext({ ...smallPhone, baseURL: org.server.url });
  const phone = await phoneContext.newPage();
  const phoneWire = new WireCapture(phone);
  await phone.goto(`/w/${code}`);
  await expect(phone.getByRole('heading', { name: 'What is kept about you' })).toBeVisible();
  const projector = await (await browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: org.server.url })).newPage();
  const screenWire = new WireCapture(projector);
  await projector.goto(`/w/${code}/screen`);
  await expect(projector.getByText(code).first()).toBeVisible();
  await expect(venue.getByText('1 participant')).toBeVisible();
  const session = (await venue.context().cookies()).find((c) => c.name === 'fishbone_session')!.value;
  const seen = [phoneWire.text(), screenWire.text(), await phone.content(), await projector.content()].join('\n');
  expect(seen).toContain('Integrated discharge away-day');
  for (const secret of [ADA.email, ADA.name, ADA.login, 'health.example', session]) expect(seen).not.toContain(secret);
  expect(await phoneContext.cookies()).toEqual([]);
});

test('participants are told on their phone what is kept about them, from the join screen', async ({ browser, org }) => {
  const office = await newComputer(browser, org.server.url);
  await office.goto('/');
  await signInThroughProvider(office, ADA);
  await office.getByLabel('Workshop title').fill('Housing and health review');
  await office.getByRole('button', { name: 'Create workshop' }).click();
  await expect(office.getByRole('heading', { level: 1, name: 'Housing and health review' })).toBeVisible();
  const code = /\/w\/([A-Z0-9]+)\/facilitate/.exec(office.url())![1];

  const phone = await (await browser.newContext({ ...smallPhone, baseURL: org.server.url })).newPage();
  await phone.goto(`/w/${code}`);
  const kept = phone.getByRole('region', { name: 'What is kept about you' });
  await expect(kept).toContainText('Nobody, not even the facilitator, can see who wrote or voted for what.');
  await expect(kept).toContainText('Everything personal is deleted when the workshop closes');
  await phone.screenshot({ path: `${SHOTS}/participant-lobby-360x640.png` });
  // Scrolled as a person would, to its heading (the page keeps it clear of the pinned header).
  await kept.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await phone.screenshot({ path: `${SHOTS}/participant-privacy-360x640.png` });
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // Typing the code on the start page: the same words, one tap away, no account needed.
  await phone.goto('/');
  await phone.getByText('No account needed. What is kept about you?').click();
  await expect(phone.getByText('Nobody, not even the facilitator, can see who wrote or voted for what.')).toBeVisible();
  await phone.screenshot({ path: `${SHOTS}/start-page-privacy-360x640.png` });
});

test('an account outside the allowed domains is refused, and stays unable to create', async ({ browser, org }) => {
  const page = await newComputer(browser, org.server.url);
  await page.goto('/');
  await signInThroughProvider(page, EVE);
  await expect(page.getByRole('alert')).toHaveText(
    'That account cannot sign in here. Use your work account, or ask whoever runs this server to let your account in.',
  );
  await expect(page.getByRole('button', { name: 'Sign in with your work account' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in to create a workshop' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/refused-account.png` });
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('fishbone_session');
  expect((await page.request.post('/api/workshops', { data: { title: 'From outside' } })).status()).toBe(401);
});

test("the facilitator page's address on a new computer offers sign-in, and comes back to the workshop", async ({ browser, org }) => {
  const office = await newComputer(browser, org.server.url);
  await office.goto('/');
  await signInThroughProvider(office, ADA);
  await office.getByLabel('Workshop title').fill('Carers’ voices follow-up');
  await office.getByRole('button', { name: 'Create workshop' }).click();
  await expect(office.getByRole('heading', { level: 1, name: 'Carers’ voices follow-up' })).toBeVisible();
  const path = new URL(office.url()).pathname;

  // Typed or bookmarked without its key: the page says so, and offers the work account.
  const venue = await newComputer(browser, org.server.url);
  await venue.goto(path);
  await expect(venue.getByRole('heading', { name: 'This page needs your private facilitator link' })).toBeVisible();
  await venue.getByRole('button', { name: 'Sign in with your work account' }).click();
  await venue.locator('input[name="login"]').fill(ADA.login);
  await venue.locator('input[name="password"]').fill('correct horse battery staple');
  await venue.getByRole('button', { name: 'Sign-in' }).click();
  await expect(venue.getByRole('heading', { level: 1, name: 'Carers’ voices follow-up' })).toBeVisible();
  expect(new URL(venue.url()).pathname).toBe(path);
  expect(new URL(venue.url()).hash).toBe('');
});

test('a session ends when it runs out, and when its facilitator signs out', async ({ browser, org }) => {
  const page = await newComputer(browser, org.brief.url);
  await page.goto('/');
  await signInThroughProvider(page, ADA);
  await expect(page.getByText(`Signed in as ${ADA.name}`)).toBeVisible();
  // Ten seconds on: the server no longer knows the session, and the page offers sign-in again.
  await expect
    .poll(async () => ((await (await page.request.get('/api/me')).json()) as { signedIn?: object }).signedIn, { timeout: 30_000 })
    .toBeUndefined();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in to create a workshop' })).toBeVisible();
  expect((await page.request.post('/api/workshops', { data: { title: 'Too late' } })).status()).toBe(401);

  const other = await newComputer(browser, org.server.url);
  await other.goto('/');
  await signInThroughProvider(other, ADA);
  await other.getByRole('button', { name: 'Sign out' }).click();
  await expect(other.getByRole('button', { name: 'Sign in with your work account' })).toBeVisible();
  expect((await other.request.post('/api/workshops', { data: { title: 'Signed out' } })).status()).toBe(401);
});
