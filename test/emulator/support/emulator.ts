import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../../emulator/index.js';
import { control } from './target.js';

/** An in-process emulator with SDK clients pointed at it, for the emulator-only tests. */
export interface Harness {
  emulator: RunningEmulator;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Advances the manual clock by `ms`, running everything due on the way. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export const credentials = { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator' };

/** Starts an emulator (manual clock by default, at a round time so that periods are easy to reason about). */
export async function harness(options: EmulatorOptions & { at?: string } = {}): Promise<Harness> {
  const emulator = await startEmulator({ clock: 'manual', ...options });
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  const lambda = new LambdaClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const call = <T>(method: string, path: string, body?: unknown) =>
    control(emulator.url, method, path, body) as Promise<T>;
  if (options.clock !== 'real')
    await call('POST', '/_emulator/clock', { mode: 'manual', now: options.at ?? '2026-11-26T14:00:00Z' });
  return {
    emulator,
    lambda,
    cloudwatch,
    control: call,
    advance: async (ms) => {
      await call('POST', '/_emulator/clock/advance', { ms });
    },
    close: async () => {
      lambda.destroy();
      cloudwatch.destroy();
      await emulator.close();
    },
  };
}
