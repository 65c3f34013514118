/**
 * The world of the alarm-poller benchmark: 300 functions and 1,000 alarms in the emulator, a
 * policy naming them, a seeded audit log, and the poller wired over the bot's real adapters.
 */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { WebClient } from '@slack/web-api';
import type { RedisClient } from '../src/adapters/redis/client.js';
import { SLACK_RETRY, SLACK_TIMEOUT_MS } from '../src/adapters/slack/retry.js';
import { parsePolicy } from '../src/config/policy.js';
import type { AuditLog } from '../src/ports.js';
import type { Fence } from '../src/services/alert-delivery.js';
import { putLambdaAlarm } from '../test/support/alarms.js';
import type { FakeSlack } from '../test/support/fake-slack.js';
import { servicesOverRedis } from '../test/support/services-over-redis.js';

export const FUNCTIONS = 300;
export const ALARMS = 1000;

const fnName = (f: number) => `fn-${String(f).padStart(3, '0')}`;
export const alarmName = (a: number) => `alarm-${String(a).padStart(4, '0')}`;
/** Alarm `a` is on function a mod 300; each function posts to a channel of its own. */
export const fnOf = (a: number) => a % FUNCTIONS;

export function channelOf(f: number): string {
  return `C0FN${String(f).padStart(3, '0')}`;
}

export async function seed(lambda: LambdaClient, cloudwatch: CloudWatchClient): Promise<void> {
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
export async function seedAudit(audit: AuditLog): Promise<void> {
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

/** The services wired as the composition root wires them, over Redis, the emulator and the fake Slack. */
export function wire(deps: { endpoint: string; redis: RedisClient; prefix: string; slack: FakeSlack }) {
  const parsed = parsePolicy(policyYaml());
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const policy = parsed.policy;
  const web = new WebClient('xoxb-bench', {
    slackApiUrl: deps.slack.apiUrl,
    retryConfig: SLACK_RETRY,
    timeout: SLACK_TIMEOUT_MS,
  });
  const world = servicesOverRedis({
    policy,
    redis: deps.redis,
    prefix: deps.prefix,
    endpoint: deps.endpoint,
    web,
  });
  return {
    policy,
    audit: world.stores.audit,
    lease: world.lease,
    web,
    fence: () => world.fence('alarm-poller', 'bench'),
    /** One poll, as the leader job runs it. */
    poll: (fence: Fence) => world.jobs['alarm-poller'].run(fence),
    close: () => world.close(),
  };
}

export async function rawPages(cloudwatch: CloudWatchClient): Promise<void> {
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100, NextToken: token }));
    token = page.NextToken;
  } while (token);
}
