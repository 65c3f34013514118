import { defineConfig } from 'vitest/config';

/**
 * `npm test`'s tests. Most files that start processes spend their time waiting on them (a watch interval,
 * an alarm period, a lease's TTL), not on the CPU, so several run at once even on two cores: vitest's
 * default there is one worker, which runs them one after another. Unit tests are pure and share one
 * worker thread with no isolation between files, which saves starting a process per file.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 4,
    // The tests' own AWS SDK clients would print the SDK's notice about Node.js 20 in every worker. What the tests
    // start (the bot, the CLI, the sandbox) is not given this: they must turn the notice off themselves.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'threads',
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: ['test/**/*.test.ts'],
          exclude: ['test/unit/**', 'test/faults/**', 'node_modules/**', 'dist/**'],
          pool: 'forks',
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
