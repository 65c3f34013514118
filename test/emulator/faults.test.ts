import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { failure } from './support/contract.js';
import { credentials, type Harness, harness } from './support/emulator.js';

const ROLE = 'arn:aws:iam::000000000000:role/r';

describe('fault injection (emulator only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.control('POST', '/_emulator/reset');
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' });
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'f',
        Role: ROLE,
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: Buffer.from('z') },
      }),
    );
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'f' }));
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Timeout: 9 }));
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'f' }));
    await h.lambda.send(new CreateAliasCommand({ FunctionName: 'f', Name: 'live', FunctionVersion: '1' }));
  });

  it('a Lambda throttle is 429 TooManyRequestsException with Retry-After and AWS body', async () => {
    await h.control('PUT', '/_emulator/faults', { rules: [{ service: 'lambda', operation: 'GetAlias', throttle: 1 }] });
    const res = await fetch(`${h.emulator.url}/2015-03-31/functions/f/aliases/live`);
    expect(res.status).toBe(429);
    expect(res.headers.get('x-amzn-errortype')).toBe('TooManyRequestsException');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ Type: 'User', message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded' });
    const e = await failure(() => h.lambda.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' })));
    expect(e).toEqual({ name: 'TooManyRequestsException', status: 429, message: 'Rate exceeded' });
  });

  it('a CloudWatch throttle is the query-compatible Throttling (400); 5xx are ServiceException and InternalServiceError', async () => {
    await h.control('PUT', '/_emulator/faults', {
      rules: [
        { service: 'cloudwatch', operation: 'DescribeAlarms', throttle: 1 },
        { service: 'cloudwatch', operation: '*', error5xx: 1 },
        { service: 'lambda', operation: '*', error5xx: 1 },
      ],
    });
    expect(await failure(() => h.cloudwatch.send(new DescribeAlarmsCommand({})))).toEqual({
      name: 'Throttling',
      status: 400,
      message: 'Rate exceeded',
    });
    const cw5xx = await failure(() =>
      h.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: 'a',
          MetricName: 'm',
          Namespace: 'n',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ),
    );
    expect(cw5xx).toMatchObject({ name: 'InternalServiceFault', status: 500 });
    const lambda5xx = await failure(() => h.lambda.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' })));
    expect(lambda5xx).toMatchObject({ name: 'ServiceException', status: 500 });
  });

  it("the SDK's default retry strategy retries a throttle, for both services", async () => {
    await h.control('PUT', '/_emulator/faults', {
      rules: [
        { service: 'lambda', operation: '*', throttle: 1, times: 1, retryAfterSeconds: 0 },
        { service: 'cloudwatch', operation: '*', throttle: 1, times: 1, retryAfterSeconds: 0 },
      ],
    });
    const config = { endpoint: h.emulator.url, region: 'us-east-1', credentials };
    const lambda = new LambdaClient(config);
    const cloudwatch = new CloudWatchClient(config);
    await h.control('DELETE', '/_emulator/calls');
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' }));
    expect(alias.$metadata.attempts).toBe(2);
    const alarms = await cloudwatch.send(new DescribeAlarmsCommand({}));
    expect(alarms.$metadata.attempts).toBe(2);
    expect(await h.control('GET', '/_emulator/calls')).toEqual({
      'lambda.GetAlias': 2,
      'cloudwatch.DescribeAlarms': 2,
    });
    lambda.destroy();
    cloudwatch.destroy();
  });

  it('standard retries get 100 calls through 30% throttling, and faults never change state', async () => {
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: '*', operation: '*', throttle: 0.3, retryAfterSeconds: 0 }],
    });
    const config = {
      endpoint: h.emulator.url,
      region: 'us-east-1',
      credentials,
      retryStrategy: new ConfiguredRetryStrategy(10, () => 1),
    };
    const lambda = new LambdaClient(config);
    await h.control('DELETE', '/_emulator/calls');
    for (let i = 0; i < 50; i++) {
      const weight = i % 2 === 0 ? 0.1 : 0.2;
      const out = await lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'f',
          Name: 'live',
          RoutingConfig: { AdditionalVersionWeights: { '2': weight } },
        }),
      );
      expect(out.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': weight });
      await lambda.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' }));
    }
    const calls = await h.control<Record<string, number>>('GET', '/_emulator/calls');
    const total = (calls['lambda.UpdateAlias'] ?? 0) + (calls['lambda.GetAlias'] ?? 0);
    expect(total).toBeGreaterThan(100);
    // Every update that was throttled changed nothing: exactly 50 changes after the creation.
    const history = await h.control<unknown[]>('GET', '/_emulator/alias-history?function=f&alias=live');
    expect(history).toHaveLength(51);
    lambda.destroy();
  });

  it('injects latency with a probability', async () => {
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: 'GetAlias', latencyMs: 50, latencyProbability: 1 }],
    });
    const started = performance.now();
    await h.lambda.send(new GetAliasCommand({ FunctionName: 'f', Name: 'live' }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    await h.control('DELETE', '/_emulator/faults');
    expect(await h.control('GET', '/_emulator/faults')).toEqual({ rules: [] });
  });

  it('refuses a malformed rule list', async () => {
    await expect(
      h.control('PUT', '/_emulator/faults', { rules: [{ service: 'sqs', operation: '*' }] }),
    ).rejects.toThrow(/service/);
    await expect(
      h.control('PUT', '/_emulator/faults', { rules: [{ service: '*', operation: '*', throttle: 2 }] }),
    ).rejects.toThrow(/throttle/);
  });
});
