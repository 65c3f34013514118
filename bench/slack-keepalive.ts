/**
 * Does a keep-alive agent of our own make Slack calls cheaper (issue 18, item 4)? The bot calls the
 * Web API with @slack/web-api 8, which sends through `fetch` (globalThis.fetch unless given one), and
 * Bolt's respond() posts to response_url with the same fetch: both already go through Node's global
 * undici dispatcher, which keeps connections alive (4 s idle). Compared here in the same run, against
 * the fake Slack on this machine, chat.postMessage through a WebClient at 10 concurrent:
 * - `global fetch` (what the bot does: Node 20's bundled undici),
 * - `undici 7's fetch, default Agent` (the devDependency's newer undici, same keep-alive as global),
 * - `undici Agent keep-alive 60 s` (undici's fetch with a dispatcher of our own),
 * - `no keep-alive` (a new connection a call: what an agent would save us from).
 * Plus calls spaced 5 s apart, past the global dispatcher's idle timeout, where a longer keep-alive
 * could only help on a quiet bot. Local HTTP has no TLS handshake: against slack.com a new
 * connection costs more, which widens the gap to `no keep-alive` but not the one between the first two.
 */
import { WebClient } from '@slack/web-api';
import { Agent, fetch as undiciFetch } from 'undici';
import { FakeSlack } from '../test/support/fake-slack.js';
import { median, percentile, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const CALLS = 2_000;
const CONCURRENCY = 10;
const RUNS = 5;
const SPACED = 4;
const SPACED_MS = 5_000;

type Transport = 'global' | 'undici' | 'agent' | 'fresh';

interface Run {
  readonly rps: number;
  readonly p99Ms: number;
}

export const slackKeepalive: Benchmark = {
  name: 'slack-keepalive',
  async run(): Promise<BenchRow[]> {
    const slack = await FakeSlack.start();
    const plain = new Agent();
    const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    const fresh = new Agent({ maxRequestsPerClient: 1, pipelining: 0 });
    const fetchWith = (dispatcher: Agent) =>
      ((input: string, init: object) => undiciFetch(input, { ...init, dispatcher })) as unknown as typeof fetch;
    const clients: Record<Transport, WebClient> = {
      global: new WebClient('xoxb-bench', { slackApiUrl: slack.apiUrl }),
      undici: new WebClient('xoxb-bench', { slackApiUrl: slack.apiUrl, fetch: fetchWith(plain) }),
      agent: new WebClient('xoxb-bench', { slackApiUrl: slack.apiUrl, fetch: fetchWith(agent) }),
      fresh: new WebClient('xoxb-bench', { slackApiUrl: slack.apiUrl, fetch: fetchWith(fresh) }),
    };
    try {
      const runs: Record<Transport, Run[]> = { global: [], undici: [], agent: [], fresh: [] };
      const order: Transport[] = ['global', 'undici', 'agent', 'fresh'];
      for (const t of order) await burst(clients[t], slack, 200);
      for (let i = 0; i < RUNS; i++) {
        for (const t of i % 2 === 0 ? order : [...order].reverse()) runs[t].push(await burst(clients[t], slack, CALLS));
      }
      const spacedGlobal = await spaced(clients.global, slack);
      const spacedAgent = await spaced(clients.agent, slack);
      const ratio = (a: Transport, b: Transport, f: (r: Run) => number) =>
        runs[a].map((r, i) => f(r) / f(runs[b][i] as Run));
      const rows = (name: Transport, label: string, note: string): BenchRow[] => [
        {
          name: `Slack calls through ${label}: throughput`,
          figure: median(runs[name].map((r) => r.rps)),
          unit: 'calls/s',
          baseline: 'global fetch (as the bot)',
          baselineFigure: median(runs.global.map((r) => r.rps)),
          ratio: median(ratio(name, 'global', (r) => r.rps)),
          spread: spread(ratio(name, 'global', (r) => r.rps)),
          notes: `${RUNS} runs × ${CALLS} chat.postMessage at ${CONCURRENCY} concurrent, alternating; ${note}`,
        },
        {
          name: `Slack calls through ${label}: p99`,
          figure: median(runs[name].map((r) => r.p99Ms)),
          unit: 'ms',
          baseline: 'global fetch (as the bot)',
          baselineFigure: median(runs.global.map((r) => r.p99Ms)),
          ratio: median(ratio(name, 'global', (r) => r.p99Ms)),
          spread: spread(ratio(name, 'global', (r) => r.p99Ms)),
        },
      ];
      return [
        ...rows('undici', "undici 7's fetch, default Agent", 'the package alone, keep-alive as the global one (4 s)'),
        ...rows('agent', 'an undici Agent with keep-alive 60 s', 'adopt only if clearly above 1'),
        ...rows('fresh', 'a new connection a call (no keep-alive)', 'what keep-alive is worth here'),
        {
          name: `Slack calls ${SPACED_MS / 1000} s apart through an undici Agent keep-alive 60 s: median`,
          figure: median(spacedAgent),
          unit: 'ms',
          baseline: 'global fetch (idle connections closed after 4 s)',
          baselineFigure: median(spacedGlobal),
          ratio: median(spacedAgent) / median(spacedGlobal),
          notes: `${SPACED} calls each, one every ${SPACED_MS / 1000} s`,
        },
      ];
    } finally {
      await plain.close();
      await agent.close();
      await fresh.close();
      await slack.close();
    }
  },
};

async function burst(client: WebClient, slack: FakeSlack, calls: number): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const caller = async () => {
    while (next < calls) {
      next++;
      const t = performance.now();
      await client.chat.postMessage({ channel: 'C0BENCH', text: 'keep-alive bench' });
      latencies.push(performance.now() - t);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, caller));
  const seconds = (performance.now() - start) / 1000;
  // The fake keeps what is posted: drop it, so that later runs do not pay for a longer list.
  slack.messages.length = 0;
  slack.calls.length = 0;
  return { rps: calls / seconds, p99Ms: percentile(latencies, 99) };
}

async function spaced(client: WebClient, slack: FakeSlack): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < SPACED; i++) {
    await new Promise((resolve) => setTimeout(resolve, SPACED_MS));
    const t = performance.now();
    await client.chat.postMessage({ channel: 'C0BENCH', text: 'spaced' });
    latencies.push(performance.now() - t);
  }
  slack.messages.length = 0;
  return latencies;
}
