/**
 * The world of the alarm-poller benchmark: 300 functions and 1,000 alarms in the emulator, a
 * policy naming them, a seeded audit log, and the poller wired over the bot's real adapters.
 */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, CreateFunctionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import { CloudWatchAlarmSource } from '../src/adapters/aws/cloudwatch-alarms.js';
import { AwsLambdaGateway } from '../src/adapters/aws/lambda-gateway.js';
import { systemClock } from '../src/adapters/clock.js';
import { RedisAlertStore } from '../src/adapters/redis/alert-store.js';
import { RedisAliasMemory } from '../src/adapters/redis/alias-memory.js';
import { RedisApprovalStore } from '../src/adapters/redis/approvals.js';
import { RedisAuditLog } from '../src/adapters/redis/audit-log.js';
import { RedisLease } from '../src/adapters/redis/lease.js';
import { RedisLocks } from '../src/adapters/redis/locks.js';
import { SlackNotifier } from '../src/adapters/slack/notifier.js';
import { SLACK_RETRY, SLACK_TAKEOVER_MS, SLACK_TIMEOUT_MS } from '../src/adapters/slack/retry.js';
import { parsePolicy } from '../src/config/policy.js';
import { watchListOf } from '../src/domain/alarm.js';
import { AlarmWatch } from '../src/services/alarm-watch.js';
import { AlertContexts } from '../src/services/alert-context.js';
import { AlertDelivery, type Fence } from '../src/services/alert-delivery.js';
import { AliasChanger } from '../src/services/alias-change.js';
import { ApprovalService } from '../src/services/approvals.js';
import { PolicyGate } from '../src/services/gate.js';
import { ReleaseService } from '../src/services/release.js';
import { putLambdaAlarm } from '../test/support/alarms.js';
import type { FakeSlack } from '../test/support/fake-slack.js';

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
export async function seedAudit(audit: RedisAuditLog): Promise<void> {
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
export function wire(deps: {
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
  const notifier = new SlackNotifier(web, clock);
  const approvalStore = new RedisApprovalStore(redis, prefix);
  const approvals = new ApprovalService({
    store: approvalStore,
    changer,
    gate,
    lambda,
    audit,
    notifier,
    clock,
    policy,
  });
  const release = new ReleaseService(gate, changer, audit, approvals);
  const store = new RedisAlertStore(redis, prefix);
  const delivery = new AlertDelivery({
    store,
    notifier,
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

export async function rawPages(cloudwatch: CloudWatchClient): Promise<void> {
  let token: string | undefined;
  do {
    const page = await cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100, NextToken: token }));
    token = page.NextToken;
  } while (token);
}

export async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}
