/**
 * The alarm poller at scale: 1,000 alarms across 300 functions in the emulator (in this process),
 * the bot's real adapters (CloudWatch, Redis, Slack's WebClient against the fake Slack).
 *
 * - Calls per sweep and sweep time, against the SDK alone paging through the same alarms.
 * - After the poll: from the start of a poll to the alert arriving at the fake Slack, against the
 *   floor any poller pays (the same pages plus one chat.postMessage).
 * - End to end: from an alarm's state change to its alert at the fake Slack, with the leader job
 *   polling every 5 s as in production, changes made at random moments of the interval.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { pino } from 'pino';
import { startEmulator } from '../emulator/index.js';
import { systemClock } from '../src/adapters/clock.js';
import { LeaderJob } from '../src/adapters/cron/leader-job.js';
import { connectRedis } from '../src/adapters/redis/client.js';
import { redisKeys } from '../src/adapters/redis/keys.js';
import { loadRedisConfig } from '../src/config.js';
import { setAlarm } from '../test/support/alarms.js';
import { botAws } from '../test/support/bot-aws.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { cleanup } from '../test/support/redis.js';
import { ALARMS, alarmName, channelOf, FUNCTIONS, fnOf, rawPages, seed, seedAudit, wire } from './alarm-world.js';
import { median, percentile, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const SWEEPS = 31;
const AFTER_POLL_SAMPLES = 40;
const END_TO_END_SAMPLES = 12;
const INTERVAL_MS = 5_000;
const AFTER_POLL_TARGET_MS = 200;
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

export const alarmPoller: Benchmark = {
  name: 'alarm-poller',
  async run(): Promise<BenchRow[]> {
    const settings = loadRedisConfig(process.env);
    if (!settings.ok) throw new Error(settings.problems.join('; '));
    const emulator = await startEmulator({ clock: 'manual', updateDelayMs: 0 });
    const aws = { endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 };
    const cloudwatch = new CloudWatchClient(aws);
    const lambda = new LambdaClient(aws);
    const slack = await FakeSlack.start();
    const redis = connectRedis(settings.redis, { lazyConnect: true });
    await redis.connect();
    const prefix = `bench-${randomBytes(6).toString('hex')}:`;
    const calls = async () =>
      ((await (await fetch(`${emulator.url}/_emulator/calls`)).json()) as Record<string, number>)[
        'cloudwatch.DescribeAlarms'
      ] ?? 0;
    const closers: (() => void)[] = [];
    try {
      await seed(lambda, cloudwatch);
      const bot = wire({ endpoint: emulator.url, redis, prefix, slack });
      await seedAudit(bot.audit);

      // 1. Sweeps: the adapter and the SDK alone, alternating, after one discarded run each.
      const adapters = botAws(emulator.url, bot.policy, { maxAttempts: 1 });
      closers.push(
        () => adapters.close(),
        () => bot.close(),
      );
      const source = adapters.alarms;
      await source.sweep();
      await rawPages(cloudwatch);
      const sweepMs: number[] = [];
      const rawMs: number[] = [];
      const callsPerSweep: number[] = [];
      const ratios: number[] = [];
      for (let i = 0; i < SWEEPS; i++) {
        const before = await calls();
        let t = performance.now();
        const sweep = await source.sweep();
        const s = performance.now() - t;
        callsPerSweep.push((await calls()) - before);
        if (sweep.alarms.length !== ALARMS) throw new Error(`a sweep kept ${sweep.alarms.length} alarms`);
        t = performance.now();
        await rawPages(cloudwatch);
        const r = performance.now() - t;
        sweepMs.push(s);
        rawMs.push(r);
        ratios.push(s / r);
      }

      // 2. After the poll: the first poll sees every alarm (remembered, nothing posted); then one
      // alarm at a time goes into ALARM, a poll runs, and its alert arrives at the fake Slack.
      const fence = await bot.fence();
      await bot.poll(fence);
      const afterPoll: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < AFTER_POLL_SAMPLES; i++) {
        const a = i;
        await setAlarm(cloudwatch, alarmName(a), 'ALARM');
        const arrived = slack.waitForCall('chat.postMessage', (c) => c.args.channel === channelOf(fnOf(a)), 10_000);
        const t = performance.now();
        await bot.poll(fence);
        await arrived;
        afterPoll.push(performance.now() - t);
        const f = performance.now();
        await rawPages(cloudwatch);
        await bot.web.chat.postMessage({ channel: 'C0FLOOR', text: 'floor' });
        floor.push(performance.now() - f);
      }

      // 3. End to end, with the leader job polling every 5 s on this process's clock.
      const job = new LeaderJob({
        name: 'alarm-poller',
        everyMs: INTERVAL_MS,
        holder: 'bench',
        lease: bot.lease,
        clock: systemClock,
        log: pino({ level: 'silent' }),
        run: (f) => bot.poll(f),
      });
      await redis.del(redisKeys(prefix).lease('alarm-poller'));
      job.start();
      const endToEnd: number[] = [];
      try {
        for (let i = 0; i < END_TO_END_SAMPLES; i++) {
          await sleep(Math.random() * INTERVAL_MS);
          const a = AFTER_POLL_SAMPLES + i;
          const arrived = slack.waitForCall('chat.postMessage', (c) => c.args.channel === channelOf(fnOf(a)), 20_000);
          await setAlarm(cloudwatch, alarmName(a), 'ALARM');
          const t = performance.now();
          await arrived;
          endToEnd.push(performance.now() - t);
        }
      } finally {
        await job.stop();
      }

      const p99 = (xs: number[]) => percentile(xs, 99);
      const maxCalls = Math.max(...callsPerSweep);
      const afterP99 = p99(afterPoll);
      const worst = Math.max(...endToEnd);
      return [
        {
          name: `alarm sweep: DescribeAlarms calls (${ALARMS} alarms, ${FUNCTIONS} fns)`,
          figure: maxCalls,
          unit: 'calls',
          baseline: `⌈${ALARMS}/100⌉ pages`,
          baselineFigure: Math.ceil(ALARMS / 100),
          ratio: maxCalls / Math.ceil(ALARMS / 100),
          target: `= ${Math.ceil(ALARMS / 100)} every sweep`,
          met: callsPerSweep.every((c) => c === Math.ceil(ALARMS / 100)),
          notes: `${SWEEPS} sweeps, min ${Math.min(...callsPerSweep)}, max ${maxCalls} calls`,
        },
        {
          name: 'alarm sweep: time (median)',
          figure: median(sweepMs),
          unit: 'ms',
          baseline: 'SDK paging alone (median)',
          baselineFigure: median(rawMs),
          ratio: median(ratios),
          spread: spread(ratios),
          target: 'none: inside the p99 below',
          notes: `${SWEEPS} sweeps alternating; p99 sweep ${p99(sweepMs).toFixed(1)} ms, p99 SDK alone ${p99(rawMs).toFixed(1)} ms`,
        },
        {
          name: 'alarm → alert after the poll: poll start → Slack (p99)',
          figure: afterP99,
          unit: 'ms',
          baseline: 'pages + 1 chat.postMessage (p99)',
          baselineFigure: p99(floor),
          ratio: afterP99 / p99(floor),
          target: `≤ ${AFTER_POLL_TARGET_MS} ms`,
          met: afterP99 <= AFTER_POLL_TARGET_MS,
          notes: `${AFTER_POLL_SAMPLES} alerts one at a time; max ${Math.max(...afterPoll).toFixed(1)} ms`,
        },
        {
          name: 'alarm → alert after the poll: poll start → Slack (median)',
          figure: median(afterPoll),
          unit: 'ms',
          baseline: 'pages + 1 chat.postMessage (median)',
          baselineFigure: median(floor),
          ratio: median(afterPoll) / median(floor),
          target: 'none: see the p99',
        },
        {
          name: `alarm → alert end to end, ${INTERVAL_MS / 1000} s poll (max)`,
          figure: worst,
          unit: 'ms',
          baseline: 'poll interval',
          baselineFigure: INTERVAL_MS,
          ratio: worst / INTERVAL_MS,
          target: `≤ interval + ${AFTER_POLL_TARGET_MS} ms`,
          met: worst <= INTERVAL_MS + AFTER_POLL_TARGET_MS,
          notes: `${END_TO_END_SAMPLES} changes at random moments; median ${median(endToEnd).toFixed(0)} ms, all: ${endToEnd.map((x) => x.toFixed(0)).join(', ')}`,
        },
      ];
    } finally {
      for (const close of closers) close();
      await cleanup(redis, prefix);
      redis.disconnect();
      cloudwatch.destroy();
      lambda.destroy();
      await slack.close();
      await emulator.close();
    }
  },
};
