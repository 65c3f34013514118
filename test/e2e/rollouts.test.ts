import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { TEST_POLICY } from '../support/policy.js';
import { sendClick } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

/** Real time on both sides: the bot's steps and the emulator's traffic and alarms move together. */
const POLICY = TEST_POLICY.replace('alarm_poll_interval: 30s', 'alarm_poll_interval: 5s')
  .replace('      staging: {}', '      staging:\n        judge: { min_invocations: 600, max_wait: 1m }')
  .replace(
    '  orders-api:\n    aliases:\n      prod: {}',
    '  orders-api:\n    aliases:\n      prod: {}\n      canary: {}',
  );
let world: World;

beforeAll(async () => {
  world = await startWorld({
    clock: 'real',
    policy: POLICY,
    functions: [
      { name: 'payments-api', versions: 4, aliases: { prod: '3', staging: '3' } },
      { name: 'orders-api', versions: 3, aliases: { prod: '1', canary: '1' } },
    ],
  });
  // A second replica on the same Redis: steps must still be applied once each.
  await world.startReplica();
});

afterAll(async () => {
  await world?.close();
});

interface AliasChange {
  operation: string;
  functionVersion: string;
  routing: Record<string, number>;
}

async function history(fn: string, alias: string): Promise<AliasChange[]> {
  const all = await world.control<AliasChange[]>('GET', `/_emulator/alias-history?function=${fn}&alias=${alias}`);
  return all.filter((h) => h.operation === 'UpdateAlias');
}

/** Polls the emulator until the alias routes as expected (the bot works in the background). */
async function until(
  fn: string,
  alias: string,
  primary: string,
  additional?: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await world.routing(fn, alias);
    if (r.primary === primary && r.additional?.version === additional) return;
    if (Date.now() > deadline)
      throw new Error(`${fn}:${alias} is ${JSON.stringify(r)}, not ${primary}${additional ? `+${additional}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function traffic(
  fn: string,
  alias: string,
  rps: number,
  versions: Record<string, { errorRate: number; durationMs: number }>,
) {
  await world.control('PUT', '/_emulator/traffic', { function: fn, alias, rps, versions });
}

function progressMessage(fn: string, alias: string): PostedMessage {
  const found = world.slack.messages.find(
    (m) => m.channel === 'C0DEPLOY' && m.text.startsWith(`Rollout of ${fn}:${alias}`),
  );
  if (!found) throw new Error('no progress message');
  return found;
}

describe('progressive rollouts against the emulator', () => {
  it('a healthy canary shows its plan, then completes on schedule, each step applied once', async () => {
    await traffic('orders-api', 'canary', 50, {
      '1': { errorRate: 0.01, durationMs: 100 },
      '2': { errorRate: 0.01, durationMs: 100 },
    });
    const reply = await (await world.command('canary orders-api:canary 2 --steps 10,50,100 --every 2s')).response();
    expect(textOf(reply)).toMatch(/Rollout of \*orders-api:canary\* started: v1 → v2: 10% → 50% → 100%, every 2 s/);
    await until('orders-api', 'canary', '2');
    const steps = await history('orders-api', 'canary');
    expect(steps.map((s) => [s.functionVersion, s.routing])).toEqual([
      ['1', { '2': 0.1 }],
      ['1', { '2': 0.5 }],
      ['2', {}],
    ]);
    const message = progressMessage('orders-api', 'canary');
    await world.slack.waitForCall(
      'chat.update',
      (c) => c.args.ts === message.ts && /Completed/.test(JSON.stringify(c.args.blocks)),
    );
    const records = (await auditExport(world.prefix, ['--function', 'orders-api'])).filter(
      (r) => r.result !== 'pending',
    );
    expect(records.map((r) => r.action)).toEqual([
      'canary.start',
      'canary.step',
      'canary.step',
      'canary.step',
      'canary.complete',
    ]);
  });

  it('a canary with 20% errors trips its alarm and is rolled back within one poll', async () => {
    await world.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'payments-api-prod-canary-errors',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [
          { Name: 'FunctionName', Value: 'payments-api' },
          { Name: 'Resource', Value: 'payments-api:prod' },
        ],
        Statistic: 'Sum',
        Period: 10,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await traffic('payments-api', 'prod', 100, {
      '3': { errorRate: 0, durationMs: 100 },
      '4': { errorRate: 0.2, durationMs: 120 },
    });
    // Give the poller one look at the alarm before the canary, so that it starts from OK.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const asked = await (await world.command('canary payments-api:prod 4 --steps 10,100 --every 60s')).response();
    expect(textOf(asked)).toMatch(/waits for approval/);
    const request = world.slack.messages.find((m) => m.channel === 'C0APPROVALS') as PostedMessage;
    const id = /request `(a[a-z2-9]{16})`/.exec(JSON.stringify(request.blocks))?.[1] as string;
    const click = world.slack.newResponseUrl();
    await sendClick(world.bot.url, SIGNING_SECRET, {
      action_id: 'approval.approve',
      value: id,
      user_id: 'U0CAROL',
      response_url: click.url,
    });
    await until('payments-api', 'prod', '3', '4', 15_000);
    const movedAt = Date.now();
    await until('payments-api', 'prod', '3', undefined, 30_000);
    // The alarm's period (10 s) plus one poll (5 s), with room for a busy machine.
    expect(Date.now() - movedAt).toBeLessThan(25_000);
    const message = progressMessage('payments-api', 'prod');
    await world.slack.waitForCall(
      'chat.update',
      (c) => c.args.ts === message.ts && /Rolled back/.test(JSON.stringify(c.args.blocks)),
    );
    const records = await auditExport(world.prefix, ['--function', 'payments-api']);
    expect(
      records.some(
        (r) =>
          r.action === 'canary.abort' && r.actor === 'system' && /alarm payments-api-prod-canary-errors/.test(r.detail),
      ),
    ).toBe(true);
  });

  it('judgement fails a canary whose error rate is 3× the baseline’s, before any alarm fires', async () => {
    await traffic('payments-api', 'staging', 500, {
      '3': { errorRate: 0.01, durationMs: 100 },
      '4': { errorRate: 0.03, durationMs: 100 },
    });
    const reply = await (
      await world.command('canary payments-api:staging 4 --steps 10,50,100 --every 15s --judge')
    ).response();
    expect(textOf(reply)).toMatch(/judged against the baseline/);
    await until('payments-api', 'staging', '3', '4', 10_000);
    await until('payments-api', 'staging', '3', undefined, 40_000);
    const steps = await history('payments-api', 'staging');
    expect(steps.map((s) => s.routing)).toEqual([{ '4': 0.1 }, {}]);
    const records = await auditExport(world.prefix, ['--function', 'payments-api']);
    const rolledBack = records.filter((r) => r.alias === 'staging' && r.action === 'canary.abort' && r.result === 'ok');
    // The simulated traffic is random: the rates measured are near the 3% and 1% it was given.
    const rates = /did worse than the baseline: errors (\d+\.\d\d)% vs (\d+\.\d\d)%/.exec(
      rolledBack.at(-1)?.detail ?? '',
    );
    expect(Number(rates?.[1])).toBeGreaterThan(2);
    expect(Number(rates?.[1])).toBeLessThan(4);
    expect(Number(rates?.[2])).toBeGreaterThan(0.5);
    expect(Number(rates?.[2])).toBeLessThan(1.5);
  });

  it('a bot killed between steps and restarted finishes the rollout, no step skipped or repeated', async () => {
    await (await world.command('canary orders-api:prod 3 --steps 10,50,100 --every 3s')).response();
    await until('orders-api', 'prod', '1', '3', 10_000);
    world.bot.child.kill('SIGKILL');
    await world.bot.exited;
    const restarted = await world.startReplica();
    await until('orders-api', 'prod', '3', undefined, 30_000);
    const steps = await history('orders-api', 'prod');
    expect(steps.map((s) => s.routing)).toEqual([{ '3': 0.1 }, { '3': 0.5 }, {}]);
    await restarted.stop();
  });

  it('the audit chain verifies after all of it', async () => {
    const { code, out } = await auditVerify(world.prefix);
    expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
  });
});
