/**
 * Memory of the bot as a process (`node dist/src/main.js`, with the emulator, the fake Slack and
 * Redis, as in ack-status): its resident set idle after start and after 10,000 commands of a
 * realistic mix over signed HTTP, against the bare Bolt app (bench/bare-bolt-app.ts) idle and
 * after the same 10,000 requests, which it only acknowledges. Every 1,000 commands both are
 * sampled: the resident set as read, then the heap and the resident set after a full collection
 * (bench/memory-hook.ts). Their growth per 1,000 commands once warm is the leak check.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { type BotProcess, SIGNING_SECRET, startListener } from '../test/support/bot-process.js';
import { commandBody, sign } from '../test/support/slack-requests.js';
import { startWorld, type World } from '../test/support/world.js';
import { type MemorySample, memoryHookOptions, sample } from './memory-probe.js';
import { memoryRows } from './memory-rows.js';
import { benchEntry } from './processes.js';
import type { Benchmark, BenchRow } from './types.js';

const COMMANDS = 10_000;
const CHECKPOINT = 1_000;
const CONCURRENCY = 10;
/** After start, before the idle sample: jobs scheduled, connections made. */
const SETTLE_MS = 3_000;
const DRAIN_TIMEOUT_MS = 120_000;

/**
 * One write in every twenty commands, alternating between two unprotected aliases; on each, a
 * shift and the promote that undoes it, so that the aliases end as they started.
 */
const WRITES = [
  ['shift payments-api:staging 4 10', 'promote payments-api:staging 3'],
  ['shift orders-api:prod 2 25', 'promote orders-api:prod 1'],
] as const;
const WRITE = 'write';
/** Twenty commands, repeated: reads of every kind, help (answered in the ack), and a write. */
const MIX = [
  'status payments-api',
  'versions payments-api',
  'status orders-api',
  'help',
  'status payments-api:staging',
  WRITE,
  'history payments-api 5',
  'status payments-api',
  'diff payments-api 2 3',
  'versions orders-api 3',
  'status payments-api',
  'alarms payments-api',
  'help versions',
  'status orders-api:prod',
  'versions payments-api 5',
  'status orders-api',
  'status payments-api',
  'history orders-api:prod 5',
  'status payments-api:prod',
  'versions payments-api',
] as const;
/** The text of the `k`-th write. */
const writeText = (k: number) => WRITES[k % 2]?.[Math.floor(k / 2) % 2] as string;
/** `help` is answered in the ack; every other read posts one answer to response_url. */
const answered = (text: string) => !text.startsWith('help');

export const memory: Benchmark = {
  name: 'memory',
  async run(): Promise<BenchRow[]> {
    const options = memoryHookOptions();
    const world = await startWorld({ env: { NODE_OPTIONS: options } });
    let bare: BotProcess | undefined;
    const pools: Pool[] = [];
    try {
      bare = await startListener(benchEntry('bare-bolt-app'), {
        SLACK_API_URL: world.slack.apiUrl,
        NODE_OPTIONS: options,
      });
      await sleep(SETTLE_MS);
      const idle = { bot: await sample(world.bot), bare: await sample(bare) };
      const driver = new BotDriver(connect(world.bot, pools), world);
      const barePool = connect(bare, pools);
      const bot: MemorySample[] = [];
      const base: MemorySample[] = [];
      const started = performance.now();
      // Batches alternate between the two servers, so that a busy moment of the machine hits both.
      for (let from = 0; from < COMMANDS; from += CHECKPOINT) {
        await driver.batch(from, CHECKPOINT);
        bot.push(await sample(world.bot));
        await bareBatch(barePool, from, CHECKPOINT);
        base.push(await sample(bare));
      }
      const seconds = (performance.now() - started) / 1000;
      return memoryRows({
        idle,
        bot,
        bare: base,
        checkpoint: CHECKPOINT,
        run: `${driver.writes} writes, ${driver.answers} answers checked, ${seconds.toFixed(0)} s`,
      });
    } finally {
      await Promise.all(pools.map((p) => p.close()));
      await bare?.stop();
      await world.close();
    }
  },
};

/**
 * Sends the mix to the bot: reads by CONCURRENCY callers, writes queued one alias at a time (a
 * second write to an alias whose last one is under way would be refused as busy), each waiting
 * for its answer, without holding up the reads.
 */
class BotDriver {
  writes = 0;
  answers = 0;
  private readonly chains: Promise<void>[] = WRITES.map(() => Promise.resolve());
  private failure: unknown;

  constructor(
    private readonly pool: Pool,
    private readonly world: World,
  ) {}

  async batch(from: number, count: number): Promise<void> {
    const { slack } = this.world;
    slack.responses.length = 0;
    const reads = slack.newResponseUrl();
    let expected = 0;
    await closedLoop(from, count, async (text) => {
      if (text === WRITE) return this.queueWrite();
      if (answered(text)) expected++;
      await send(this.pool, text, reads.url);
    });
    await Promise.all(this.chains);
    if (this.failure) throw this.failure;
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    const readAnswers = () => slack.responses.filter((r) => r.id === reads.id);
    while (readAnswers().length < expected) {
      if (performance.now() > deadline) throw new Error(`bot: ${readAnswers().length} of ${expected} answers posted`);
      await sleep(20);
    }
    const failed = readAnswers().find((r) => JSON.stringify(r.body).includes(':x:'));
    if (failed) throw new Error(`bot answered an error: ${JSON.stringify(failed.body).slice(0, 300)}`);
    this.answers += expected;
  }

  private queueWrite(): void {
    const k = this.writes++;
    const chain = k % this.chains.length;
    this.chains[chain] = (this.chains[chain] as Promise<void>)
      .then(() => this.write(writeText(k)))
      .catch((error: unknown) => {
        this.failure ??= error;
      });
  }

  private async write(text: string): Promise<void> {
    const { id, url } = this.world.slack.newResponseUrl();
    await send(this.pool, text, url);
    const done = (body: Record<string, unknown>) =>
      body.response_type === 'in_channel' || JSON.stringify(body).includes(':x:');
    const answer = await this.world.slack.waitForResponse(id, done, DRAIN_TIMEOUT_MS);
    if (answer.response_type !== 'in_channel') throw new Error(`"${text}" refused: ${JSON.stringify(answer)}`);
    this.answers++;
  }
}

/** The same commands to the bare app, which only acknowledges them. */
async function bareBatch(pool: Pool, from: number, count: number): Promise<void> {
  await closedLoop(from, count, (text, i) => send(pool, text === WRITE ? writeText(Math.floor(i / MIX.length)) : text));
}

/** Keep-alive connections to a server: a quarter of the CPU a request that `fetch` costs the sender. */
function connect(server: BotProcess, pools: Pool[]): Pool {
  const pool = new Pool(server.url, { connections: CONCURRENCY + WRITES.length, pipelining: 1 });
  pools.push(pool);
  return pool;
}

/** Sends `/lambda <text>` signed as Slack signs it, and checks that it was acknowledged. */
async function send(pool: Pool, text: string, responseUrl?: string): Promise<void> {
  const body = commandBody({ text, ...(responseUrl ? { response_url: responseUrl } : {}) });
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await pool.request({
    path: '/slack/events',
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(SIGNING_SECRET, body, timestamp),
    },
    body,
  });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`"${text}" acknowledged with ${response.statusCode}`);
}

/** Commands `from`…`from + count - 1` of the mix, by CONCURRENCY callers each waiting for its last. */
async function closedLoop(from: number, count: number, send: (text: string, i: number) => Promise<void>) {
  let next = from;
  const caller = async () => {
    while (next < from + count) {
      const i = next++;
      await send(MIX[i % MIX.length] as string, i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, caller));
}
