import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudWatchAlarmSource } from '../../../src/adapters/aws/cloudwatch-alarms.js';
import { parsePolicy } from '../../../src/config/policy.js';
import type { Policy } from '../../../src/domain/policy-model.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { describeAlarmsCalls, putCompositeAlarm, putLambdaAlarm, setAlarm } from '../../support/alarms.js';
import { botAws } from '../../support/bot-aws.js';

let h: Harness;
const closers: (() => void)[] = [];

function policy(named: boolean): Policy {
  const alarms = (list: string) => (named ? `\n    alarms: [${list}]` : '');
  const parsed = parsePolicy(`
channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [], approvers: [], responders: [] }
functions:
  payments-api:${alarms('payments-latency-custom, payments-health')}
  orders-api:${alarms('never-created')}
`);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.policy;
}

/** The alarm source as the bot builds it, for the policy's two functions in the bot's own account. */
function source(named = true): CloudWatchAlarmSource {
  const aws = botAws(h.emulator.url, policy(named), { maxAttempts: 1 });
  closers.push(() => aws.close());
  return aws.alarms;
}

async function callsDuring(work: () => Promise<unknown>): Promise<number> {
  const before = await describeAlarmsCalls(h.emulator.url);
  await work();
  return (await describeAlarmsCalls(h.emulator.url)) - before;
}

beforeAll(async () => {
  h = await harness();
  // 250 metric alarms: 100 on payments-api:prod, 50 on orders-api (whole function), 100 on
  // functions the policy does not name.
  const puts: Promise<void>[] = [];
  for (let i = 0; i < 100; i++) {
    puts.push(
      putLambdaAlarm(h.cloudwatch, `payments-${String(i).padStart(3, '0')}`, { fn: 'payments-api', alias: 'prod' }),
    );
  }
  for (let i = 0; i < 50; i++) puts.push(putLambdaAlarm(h.cloudwatch, `orders-${i}`, { fn: 'orders-api' }));
  for (let i = 0; i < 98; i++) puts.push(putLambdaAlarm(h.cloudwatch, `billing-${i}`, { fn: 'billing' }));
  for (let i = 0; i < puts.length; i += 25) await Promise.all(puts.slice(i, i + 25));
  // A named alarm outside AWS/Lambda, and a metric-math alarm on a canary's two versions.
  await h.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: 'payments-latency-custom',
      Namespace: 'Payments',
      MetricName: 'CheckoutLatency',
      Dimensions: [{ Name: 'Service', Value: 'checkout' }],
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 500,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
  const stat = (id: string, version: string) => ({
    Id: id,
    ReturnData: false,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [
          { Name: 'FunctionName', Value: 'orders-api' },
          { Name: 'Resource', Value: 'orders-api:live' },
          { Name: 'ExecutedVersion', Value: version },
        ],
      },
      Period: 60,
      Stat: 'Sum',
    },
  });
  await h.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: 'orders-canary-vs-baseline',
      Metrics: [
        stat('n', '8'),
        stat('o', '7'),
        { Id: 'd', Expression: 'n-o', Label: 'canary minus baseline', ReturnData: true },
      ],
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
  await putCompositeAlarm(h.cloudwatch, 'payments-health', 'ALARM(payments-007) OR ALARM(payments-001)');
  await setAlarm(h.cloudwatch, 'payments-007', 'ALARM');
}, 60_000);

afterAll(async () => {
  for (const close of closers) close();
  await h.close();
});

describe('CloudWatchAlarmSource', () => {
  it('sweeps 250 metric alarms in 3 pages, plus one call for the named alarms not among them', async () => {
    const alarms = source();
    let sweep: Awaited<ReturnType<CloudWatchAlarmSource['sweep']>> | undefined;
    expect(await callsDuring(async () => (sweep = await alarms.sweep()))).toBe(4);
    const names = sweep?.alarms.map((w) => w.alarm.name) ?? [];
    expect(names.filter((n) => n.startsWith('payments-0'))).toHaveLength(100);
    expect(names.filter((n) => n.startsWith('orders-'))).toHaveLength(51);
    expect(names.some((n) => n.startsWith('billing-'))).toBe(false);
    expect(sweep?.missing).toEqual([{ name: 'never-created', fn: 'orders-api' }]);
  });

  it('ties each alarm to its function, alias and version, and keeps its state and reason', async () => {
    const { alarms } = await source().sweep();
    const byName = new Map(alarms.map((w) => [w.alarm.name, w]));
    expect(byName.get('payments-007')).toMatchObject({
      subject: { fn: 'payments-api', alias: 'prod' },
      alarm: {
        kind: 'metric',
        state: 'ALARM',
        threshold: 10,
        comparison: 'GreaterThanThreshold',
        metric: { namespace: 'AWS/Lambda', name: 'Errors', statistic: 'Sum', periodSeconds: 60 },
      },
    });
    expect(JSON.parse(byName.get('payments-007')?.alarm.reasonData ?? '{}')).toMatchObject({ recentDatapoints: [25] });
    expect(byName.get('payments-007')?.alarm.since).toBeGreaterThan(0);
    expect(byName.get('orders-3')?.subject).toEqual({ fn: 'orders-api' });
    expect(byName.get('orders-canary-vs-baseline')).toMatchObject({
      subject: { fn: 'orders-api', alias: 'live' },
      alarm: { queries: [{ id: 'n' }, { id: 'o' }, { id: 'd', expression: 'n-o', returnData: true }] },
    });
    expect(byName.get('payments-latency-custom')?.subject).toEqual({ fn: 'payments-api' });
    expect(byName.get('payments-health')).toMatchObject({
      subject: { fn: 'payments-api' },
      alarm: { kind: 'composite', state: 'ALARM' },
    });
  });

  it('callers arriving during a sweep share it', async () => {
    const alarms = source();
    const calls = await callsDuring(() => Promise.all([alarms.sweep(), alarms.sweep(), alarms.sweep()]));
    expect(calls).toBe(4);
  });

  it('with no named alarms, exactly ⌈metric alarms/100⌉ calls', async () => {
    const alarms = source(false);
    expect(await callsDuring(() => alarms.sweep())).toBe(3);
  });

  it('a throttled DescribeAlarms names the place that failed, and the next sweep works again', async () => {
    const alarms = source();
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'cloudwatch', operation: 'DescribeAlarms', throttle: 1, times: 1 }],
    });
    const failed = await alarms.sweep();
    expect(failed.alarms).toEqual([]);
    expect(failed.failed.map((f) => [f.place.account.name, f.place.region])).toEqual([['own', 'us-east-1']]);
    expect(failed.failed[0]?.reason).toMatch(/CloudWatch DescribeAlarms in own\/us-east-1 failed \(Throttling/);
    await h.control('DELETE', '/_emulator/faults');
    expect((await alarms.sweep()).alarms.length).toBeGreaterThan(0);
  });
});
