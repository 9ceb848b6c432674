import { defineConfig } from 'vitest/config';

/**
 * The abuse suite (tests/abuse): floods and attacks against a real server. One file at a time,
 * after the other tests, so each flood's ratio is measured on a machine doing nothing else.
 */
export default defineConfig({
  test: {
    include: ['tests/abuse/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    fileParallelism: false,
    maxWorkers: 1,
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  },
});
