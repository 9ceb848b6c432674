import { defineConfig } from '@playwright/test';

/**
 * Browser tests run Debian's Chromium (never a downloaded browser). Each worker starts its own
 * server process (tests/e2e/fixtures.ts: Playwright has no per-file scope), which the files that
 * worker runs share, one after another: so tests can kill and restart it without touching the
 * other worker's, and each test makes a workshop of its own on it.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: {
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
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
