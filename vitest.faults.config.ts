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
    globalSetup: ['test/support/global-setup.ts'],
    reporters: ['default'],
  },
});
