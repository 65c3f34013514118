/**
 * The load generator of the ack benchmark, run as its own process so that its CPU is not the
 * server's: `node dist/bench/load.js '<LoadSpec as JSON>'`. It sends signed `/lambda` commands
 * over keep-alive connections, first a warm-up that is not counted, then the measured requests,
 * and prints one JSON line (LoadResult). Two modes:
 * - closed loop (no `rate`): `concurrency` callers, each sending its next request when the
 *   previous one is answered; latency from handing the request to the client to the whole ack.
 * - open loop (`rate`): one request every 1/rate s whatever the answers; latency from the moment
 *   the request was due, so that a server that falls behind is charged for it (no coordinated
 *   omission).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { commandBody, sign } from '../test/support/slack-requests.js';
import { percentile } from './stats.js';

export interface LoadSpec {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly signingSecret: string;
  /** The text after `/lambda`. */
  readonly text: string;
  readonly responseUrl: string;
  /** Closed loop: requests in flight. Open loop: at most this many connections. */
  readonly concurrency: number;
  /** Requests a second, open loop; absent for a closed loop. */
  readonly rate?: number;
  readonly warmup: number;
  readonly requests: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  /** Requests acknowledged per second over the measured part. */
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Count by HTTP status, measured part only; anything but 200 makes the run worthless. */
  readonly statuses: Record<string, number>;
  /** This process's CPU time (user + system) over the measured part, ms. */
  readonly cpuMs: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  // One body for every request (only the signature changes, once a second): the generator's CPU
  // should go to sending, not to building requests.
  const body = commandBody({ text: spec.text, response_url: spec.responseUrl });
  let signedAt = 0;
  let headers: Record<string, string> = {};
  const headersNow = () => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== signedAt) {
      signedAt = now;
      headers = {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(now),
        'x-slack-signature': sign(spec.signingSecret, body, now),
      };
    }
    return headers;
  };
  const pool = new Pool(spec.url, { connections: spec.concurrency, pipelining: 1 });
  const statuses: Record<string, number> = {};
  const send = async (start = performance.now()): Promise<number> => {
    const response = await pool.request({ path: '/slack/events', method: 'POST', headers: headersNow(), body });
    await response.body.dump();
    const ms = performance.now() - start;
    statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
    return ms;
  };
  const closedLoop = async (total: number, record: (ms: number) => void) => {
    let next = 0;
    const caller = async () => {
      while (next < total) {
        next++;
        record(await send());
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, caller));
  };
  const openLoop = async (total: number, rate: number, record: (ms: number) => void) => {
    const first = performance.now();
    const sent: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = first + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      sent.push(send(due).then(record));
    }
    await Promise.all(sent);
  };
  const load = (total: number, record: (ms: number) => void) =>
    spec.rate === undefined ? closedLoop(total, record) : openLoop(total, spec.rate, record);

  await load(spec.warmup, () => {});
  for (const key of Object.keys(statuses)) delete statuses[key];
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  await load(spec.requests, (ms) => latencies.push(ms));
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  await pool.close();
  const result: LoadResult = {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
    statuses,
    cpuMs: (used.user + used.system) / 1000,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
