import { S3Client } from '@aws-sdk/client-s3';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.js';
import { control } from './target.js';

/** An in-process emulator for the S3 suites, with S3 clients for any account and region. */
export interface S3Harness {
  emulator: RunningEmulator;
  /** A path-style client signed as the root of `account` (12 digits) in `region`. */
  client(account?: string, region?: string, extra?: Partial<ConstructorParameters<typeof S3Client>[0]>): S3Client;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const REGION = 'eu-west-1';

/** Starts the emulator on a free port with a manual clock at 2026-11-26T14:00:00Z. */
export async function s3Harness(): Promise<S3Harness> {
  const emulator = await startEmulator({ clock: 'manual' });
  const made: S3Client[] = [];
  const call = <T>(method: string, path: string, body?: unknown) =>
    control(emulator.url, method, path, body) as Promise<T>;
  await call('POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' });
  return {
    emulator,
    client(account = ACCOUNT, region = REGION, extra = {}) {
      const client = new S3Client({
        endpoint: emulator.url,
        region,
        forcePathStyle: true,
        credentials: { accessKeyId: account, secretAccessKey: 'emulator' },
        maxAttempts: 1,
        ...extra,
      });
      made.push(client);
      return client;
    },
    control: call,
    advance: async (ms) => {
      await call('POST', '/_emulator/clock/advance', { ms });
    },
    async close() {
      for (const client of made) client.destroy();
      await emulator.close();
    },
  };
}
