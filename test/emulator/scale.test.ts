import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './support/emulator.js';

const FUNCTIONS = 300;
const ALARMS = 1000;

/** The load the bot's alarm poller creates: many alarms, many functions, steady traffic. */
describe('scale: 1,000 alarms across 300 functions with steady traffic (emulator only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    const setUpFunction = async (f: number) => {
      const name = `fn-${String(f).padStart(3, '0')}`;
      await h.lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: 'arn:aws:iam::000000000000:role/r',
          Runtime: 'nodejs20.x',
          Handler: 'i.h',
          Code: { ZipFile: Buffer.from(name) },
          Publish: true,
        }),
      );
      await h.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
      await h.control('PUT', '/_emulator/traffic', {
        function: name,
        alias: 'live',
        rps: 5,
        default: { errorRate: 0.02, durationMs: 80 },
      });
    };
    const setUpAlarm = async (a: number) => {
      const fn = `fn-${String(a % FUNCTIONS).padStart(3, '0')}`;
      await h.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `alarm-${String(a).padStart(4, '0')}`,
          Namespace: 'AWS/Lambda',
          MetricName: a % 2 === 0 ? 'Errors' : 'Duration',
          Dimensions: [
            { Name: 'FunctionName', Value: fn },
            { Name: 'Resource', Value: `${fn}:live` },
          ],
          ...(a % 2 === 0 ? { Statistic: 'Sum' } : { ExtendedStatistic: 'p99' }),
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          Threshold: a % 2 === 0 ? 5 : 1000,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    };
    // Ten clients' worth of concurrency keeps the set-up short.
    for (let f = 0; f < FUNCTIONS; f += 10)
      await Promise.all(Array.from({ length: 10 }, (_, k) => setUpFunction(f + k)));
    for (let a = 0; a < ALARMS; a += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => setUpAlarm(a + k)));
  }, 60_000);
  afterAll(() => h.close());

  it('simulates and evaluates five minutes quickly, and a DescribeAlarms sweep of 100-alarm pages takes a few ms a page', async () => {
    const started = performance.now();
    await h.advance(5 * 60_000);
    const simulated = performance.now() - started;
    expect(simulated).toBeLessThan(5000);

    const pageTimes: number[] = [];
    let token: string | undefined;
    let count = 0;
    do {
      const t = performance.now();
      const page = await h.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 100, NextToken: token }));
      pageTimes.push(performance.now() - t);
      count += page.MetricAlarms?.length ?? 0;
      token = page.NextToken;
    } while (token);
    expect(count).toBe(ALARMS);
    const sorted = [...pageTimes].sort((a, b) => a - b);
    // The median page, over HTTP and through the SDK, in a few milliseconds.
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(25);
    const states = await h.cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'OK', MaxRecords: 100 }));
    expect(states.MetricAlarms?.length).toBe(100);
    console.info(
      `[scale] 5 simulated minutes in ${simulated.toFixed(0)} ms; DescribeAlarms pages: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms`,
    );
  });
});
