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
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { WebClient } from '@slack/web-api';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { startEmulator } from '../emulator/index.js';
import { CloudWatchAlarmSource } from '../src/adapters/aws/cloudwatch-alarms.js';
import { AwsLambdaGateway } from '../src/adapters/aws/lambda-gateway.js';
import { systemClock } from '../src/adapters/clock.js';
import { LeaderJob } from '../src/adapters/cron/leader-job.js';
import { RedisAlertStore } from '../src/adapters/redis/alert-store.js';
import { RedisAliasMemory } from '../src/adapters/redis/alias-memory.js';
import { RedisAuditLog } from '../src/adapters/redis/audit-log.js';
import { REDIS_OPTIONS } from '../src/adapters/redis/client.js';
import { RedisLease } from '../src/adapters/redis/lease.js';
import { RedisLocks } from '../src/adapters/redis/locks.js';
import { SlackNotifier } from '../src/adapters/slack/notifier.js';
import { SLACK_RETRY, SLACK_TAKEOVER_MS, SLACK_TIMEOUT_MS } from '../src/adapters/slack/retry.js';
import { parsePolicy } from '../src/config/policy.js';
import { loadRedisConfig } from '../src/config.js';
import { watchListOf } from '../src/domain/alarm.js';
import { AlarmWatch } from '../src/services/alarm-watch.js';
import { AlertContexts } from '../src/services/alert-context.js';
import { AlertDelivery, type Fence } from '../src/services/alert-delivery.js';
import { AliasChanger } from '../src/services/alias-change.js';
import { PolicyGate } from '../src/services/gate.js';
import { ReleaseService } from '../src/services/release.js';
import { putLambdaAlarm, setAlarm } from '../test/support/alarms.js';
import { FakeSlack } from '../test/support/fake-slack.js';
import { median, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const FUNCTIONS = 300;
const ALARMS = 1000;
const SWEEPS = 31;
const AFTER_POLL_SAMPLES = 40;
const END_TO_END_SAMPLES = 12;
const INTERVAL_MS = 5_000;
const AFTER_POLL_TARGET_MS = 200;
const credentials = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const fnName = (f: number) => `fn-${String(f).padStart(3, '0')}`;
const alarmName = (a: number) => `alarm-${String(a).padStart(4, '0')}`;
/** Alarm `a` is on function a mod 300; each function posts to a channel of its own. */
const fnOf = (a: number) => a % FUNCTIONS;

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
    const redis = new Redis(settings.redis.url, { ...REDIS_OPTIONS, lazyConnect: true });
    await redis.connect();
    const prefix = `bench-${randomBytes(6).toString('hex')}:`;
    const calls = async () =>
      ((await (await fetch(`${emulator.url}/_emulator/calls`)).json()) as Record<string, number>)[
        'cloudwatch.DescribeAlarms'
      ] ?? 0;
    try {
      await seed(lambda, cloudwatch);
      const bot = wire({ cloudwatch, lambda, redis, prefix, slack });
      await seedAudit(bot.audit);

      // 1. Sweeps: the adapter and the SDK alone, alternating, after one discarded run each.
      const source = new CloudWatchAlarmSource(cloudwatch, watchListOf(bot.policy));
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
      await bot.watch.sweep(fence, 60_000);
      const afterPoll: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < AFTER_POLL_SAMPLES; i++) {
        const a = i;
        await setAlarm(cloudwatch, alarmName(a), 'ALARM');
        const arrived = slack.waitForCall('chat.postMessage', (c) => c.args.channel === channelOf(fnOf(a)), 10_000);
        const t = performance.now();
        await bot.watch.sweep(fence, 60_000);
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
        run: async (f) => void (await bot.watch.sweep(f, INTERVAL_MS)),
      });
      await redis.del(`${prefix}lease:alarm-poller`);
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

      const p99 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.ceil(0.99 * xs.length) - 1] as number;
      const maxCalls = Math.max(...callsPerSweep);
      const afterP99 = p99(afterPoll);
      const worst = Math.max(...endToEnd);
      return [
        {
          name: `DescribeAlarms calls a sweep (${ALARMS} alarms, ${FUNCTIONS} fns)`,
          figure: maxCalls,
          unit: 'calls',
          baseline: `⌈${ALARMS}/100⌉ pages`,
          baselineFigure: Math.ceil(ALARMS / 100),
          ratio: maxCalls / Math.ceil(ALARMS / 100),
          target: '= 10',
          met: callsPerSweep.every((c) => c === 10),
          notes: `${SWEEPS} sweeps, min ${Math.min(...callsPerSweep)}, max ${maxCalls} calls`,
        },
        {
          name: 'alarm sweep time (median)',
          figure: median(sweepMs),
          unit: 'ms',
          baseline: 'SDK paging alone (median)',
          baselineFigure: median(rawMs),
          ratio: median(ratios),
          spread: spread(ratios),
          notes: `${SWEEPS} sweeps alternating; p99 sweep ${p99(sweepMs).toFixed(1)} ms, p99 SDK alone ${p99(rawMs).toFixed(1)} ms`,
        },
        {
          name: 'after the poll: poll start → alert at Slack (median)',
          figure: median(afterPoll),
          unit: 'ms',
          baseline: 'pages + 1 chat.postMessage (median)',
          baselineFigure: median(floor),
          ratio: median(afterPoll) / median(floor),
          target: `p99 ≤ ${AFTER_POLL_TARGET_MS} ms`,
          met: afterP99 <= AFTER_POLL_TARGET_MS,
          notes: `${AFTER_POLL_SAMPLES} alerts one at a time; p99 ${afterP99.toFixed(1)} ms, max ${Math.max(...afterPoll).toFixed(1)} ms`,
        },
        {
          name: `state change → alert at Slack, ${INTERVAL_MS / 1000} s poll (max)`,
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
      await removeKeys(redis, prefix);
      redis.disconnect();
      cloudwatch.destroy();
      lambda.destroy();
      await slack.close();
      await emulator.close();
    }
  },
};

function channelOf(f: number): string {
  return `C0FN${String(f).padStart(3, '0')}`;
}

async function seed(lambda: LambdaClient, cloudwatch: CloudWatchClient): Promise<void> {
  const fn = async (f: number) => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: fnName(f),
        Role: 'arn:aws:iam::000000000000:role/r',
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: Buffer.from(fnName(f)) },
        Publish: true,
      }),
    );
    await lambda.send(new CreateAliasCommand({ FunctionName: fnName(f), Name: 'live', FunctionVersion: '1' }));
  };
  for (let f = 0; f < FUNCTIONS; f += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => fn(f + k)));
  const alarm = (a: number) =>
    putLambdaAlarm(cloudwatch, alarmName(a), {
      fn: fnName(fnOf(a)),
      alias: 'live',
      metric: a % 2 === 0 ? 'Errors' : 'Duration',
      threshold: a % 2 === 0 ? 10 : 1000,
    });
  for (let a = 0; a < ALARMS; a += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => alarm(a + k)));
}

/** Each function's alias was promoted once, so every alert looks its last change up in a real log. */
async function seedAudit(audit: RedisAuditLog): Promise<void> {
  for (let f = 0; f < FUNCTIONS; f += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        audit.append({
          actor: 'U0BENCH',
          action: 'promote',
          function: fnName(f + k),
          alias: 'live',
          from: { version: '1', weights: { '1': 1 } },
          to: { version: '1', weights: { '1': 1 } },
          result: 'ok',
          detail: 'seed',
          request: `seed-${f + k}`,
        }),
      ),
    );
  }
}

function policyYaml(): string {
  const functions = Array.from(
    { length: FUNCTIONS },
    (_, f) => `  ${fnName(f)}:\n    alerts_channel: ${channelOf(f)}\n    aliases: { live: {} }`,
  );
  return `channels: { approvals: C0APPROVALS, alerts: C0ALERTS }\nalarm_poll_interval: 5s\nroles: { deployers: [U0BENCH], approvers: [], responders: [] }\nfunctions:\n${functions.join('\n')}\n`;
}

/** The poller wired as the composition root wires it. */
function wire(deps: {
  cloudwatch: CloudWatchClient;
  lambda: LambdaClient;
  redis: Redis;
  prefix: string;
  slack: FakeSlack;
}) {
  const parsed = parsePolicy(policyYaml());
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const policy = parsed.policy;
  const { redis, prefix } = deps;
  const clock = systemClock;
  const web = new WebClient('xoxb-bench', {
    slackApiUrl: deps.slack.apiUrl,
    retryConfig: SLACK_RETRY,
    timeout: SLACK_TIMEOUT_MS,
  });
  const lambda = new AwsLambdaGateway(deps.lambda);
  const audit = new RedisAuditLog(redis, prefix, clock);
  const aliases = new RedisAliasMemory(redis, prefix);
  const gate = new PolicyGate(policy, { groupsOf: async () => new Set() }, audit, async () => []);
  const changer = new AliasChanger({ lambda, audit, locks: new RedisLocks(redis, prefix), aliases, clock });
  const release = new ReleaseService(gate, changer, audit);
  const store = new RedisAlertStore(redis, prefix);
  const delivery = new AlertDelivery({
    store,
    notifier: new SlackNotifier(web, clock),
    clock,
    takeoverMs: SLACK_TAKEOVER_MS,
  });
  const watch = new AlarmWatch({
    source: new CloudWatchAlarmSource(deps.cloudwatch, watchListOf(policy)),
    store,
    contexts: new AlertContexts({ lambda, audit, aliases, release, policy }),
    delivery,
    audit,
    policy,
    clock,
  });
  const lease = new RedisLease(redis, prefix);
  const fence = async (): Promise<Fence> => {
    const token = (await lease.acquire('alarm-poller', 'bench', 60_000)) as number;
    return { token, stillLeader: () => lease.holds('alarm-poller', 'bench', token) };
  };
  return { policy, audit, watch, lease, fence, web };
}

async function rawPages(cloudwatch: CloudWatchClient): Promise<void> {
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100, NextToken: token }));
    token = page.NextToken;
  } while (token);
}

async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
