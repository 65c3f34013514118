import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from './app.js';
import type { ClockMode } from './core/clock.js';
import { handleRequest } from './server.js';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  host?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  /** How long a created or updated function stays Pending / InProgress (default 0). */
  updateDelayMs?: number;
  clock?: ClockMode;
  /** Seeds traffic generation and fault draws (default 1). */
  seed?: number;
}

/** A running emulator. */
export interface RunningEmulator {
  /** e.g. `http://127.0.0.1:40123`: give it to the SDK clients as `endpoint`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How often the real clock's background work runs (updates finishing, traffic, alarm evaluation). */
const TICK_MS = 1000;

/**
 * Starts the local AWS endpoint (Lambda, CloudWatch, STS, CloudTrail, S3 and the `/_emulator/` control API) in this
 * process.
 *
 * @example
 * const emulator = await startEmulator({ clock: 'manual' });
 * const lambda = new LambdaClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
 * // …
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const app = new App({
    updateDelayMs: options.updateDelayMs ?? 0,
    clock: options.clock ?? 'real',
    seed: options.seed ?? 1,
  });
  const server = createServer((req, res) => {
    void handleRequest(app, req, res);
  });
  // An idle connection is kept for a minute, as AWS's endpoints keep them far longer than Node's 5 s: a
  // client that comes back after a pause of about 5 s (the tests' clients make one attempt) would otherwise
  // send on a connection the server is closing, and meet ECONNRESET when the machine is busy. close() ends
  // every connection, idle or not.
  server.keepAliveTimeout = 60_000;
  const timer = setInterval(() => {
    if (app.clock.mode() === 'real') app.scheduler.sync();
  }, TICK_MS);
  timer.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(timer);
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
