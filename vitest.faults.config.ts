import { defineConfig } from 'vitest/config';

/**
 * The reliability and security suite (`npm run test:faults`): forged input, races, Redis and AWS
 * faults, crashes, fuzzing, secrets. `FAULTS_SCALE=large` runs the larger counts.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Fault tests start and kill processes and Redis servers: one file at a time keeps them honest.
    fileParallelism: false,
    // The tests' own AWS SDK clients would print the SDK's notice about Node.js 20 (vitest.config.ts says more).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
