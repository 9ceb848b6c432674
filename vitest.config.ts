import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Integration tests start real servers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // Servers started by the tests log only what went wrong (the log's own test sets its level).
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  },
});
