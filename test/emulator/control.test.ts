import { DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListFunctionsCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './support/emulator.js';

const ROLE = 'arn:aws:iam::000000000000:role/r';
const create = (h: Harness, name: string) =>
  h.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'i.h',
      Code: { ZipFile: Buffer.from(name) },
    }),
  );

describe('control API (emulator only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ updateDelayMs: 500 });
  });
  afterAll(() => h.close());

  it('the clock: manual at a given time, advanced on request, back to real', async () => {
    expect(await h.control('POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' })).toEqual({
      mode: 'manual',
      now: '2026-11-26T14:00:00.000Z',
    });
    await h.advance(90_000);
    expect(await h.control('GET', '/_emulator/clock')).toEqual({ mode: 'manual', now: '2026-11-26T14:01:30.000Z' });
    const real = await h.control<{ mode: string; now: string }>('POST', '/_emulator/clock', { mode: 'real' });
    expect(real.mode).toBe('real');
    expect(Math.abs(Date.parse(real.now) - Date.now())).toBeLessThan(5000);
    await expect(h.control('POST', '/_emulator/clock/advance', { ms: 1 })).rejects.toThrow(/409/);
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' });
  });

  it('an update stays InProgress for updateDelayMs of emulated time, then is Successful', async () => {
    await create(h, 'slow');
    expect((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'slow' }))).State).toBe('Pending');
    await h.advance(500);
    expect((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'slow' }))).State).toBe('Active');
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'slow', Timeout: 7 }));
    await h.advance(499);
    expect((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'slow' }))).LastUpdateStatus).toBe(
      'InProgress',
    );
    await h.advance(1);
    expect((await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'slow' }))).LastUpdateStatus).toBe(
      'Successful',
    );
  });

  it('counts calls per service.operation and resets the counts', async () => {
    await h.control('DELETE', '/_emulator/calls');
    await h.cloudwatch.send(new DescribeAlarmsCommand({}));
    await h.cloudwatch.send(new DescribeAlarmsCommand({}));
    await h.lambda.send(new ListFunctionsCommand({}));
    expect(await h.control('GET', '/_emulator/calls')).toEqual({
      'cloudwatch.DescribeAlarms': 2,
      'lambda.ListFunctions': 1,
    });
    await h.control('DELETE', '/_emulator/calls');
    expect(await h.control('GET', '/_emulator/calls')).toEqual({});
  });

  it('logs each call with its time, place and path; filters by service and time; resets with the counts', async () => {
    await h.control('DELETE', '/_emulator/calls');
    await h.cloudwatch.send(new DescribeAlarmsCommand({}));
    await h.lambda.send(new ListAliasesCommand({ FunctionName: 'slow' }));
    type Log = { calls: { at: string; operation: string; path: string; caller: string }[] };
    const { calls } = await h.control<Log>('GET', '/_emulator/call-log?service=lambda');
    expect(calls).toEqual([
      {
        at: expect.any(String),
        service: 'lambda',
        operation: 'ListAliases',
        place: '000000000000/us-east-1',
        path: '/2015-03-31/functions/slow/aliases',
        caller: 'arn:aws:iam::000000000000:root',
      },
    ]);
    const clock = await h.control<{ now: string }>('GET', '/_emulator/clock');
    expect(calls[0]?.at).toBe(clock.now);
    const later = new Date(Date.parse(clock.now) + 1).toISOString();
    expect(await h.control('GET', `/_emulator/call-log?since=${later}`)).toEqual({ calls: [] });
    await expect(h.control('GET', '/_emulator/call-log?since=yesterday')).rejects.toThrow(/400/);
    await h.control('DELETE', '/_emulator/calls');
    expect(await h.control('GET', '/_emulator/call-log')).toEqual({ calls: [] });
  });

  it('records every successful alias change in order', async () => {
    await create(h, 'hist');
    await h.advance(500);
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'hist' }));
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'hist', Timeout: 8 }));
    await h.advance(500);
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'hist' }));
    const created = await h.lambda.send(
      new CreateAliasCommand({ FunctionName: 'hist', Name: 'prod', FunctionVersion: '1' }),
    );
    const shifted = await h.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'hist',
        Name: 'prod',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
      }),
    );
    await h.lambda
      .send(new UpdateAliasCommand({ FunctionName: 'hist', Name: 'prod', RevisionId: 'stale' }))
      .catch(() => undefined);
    await h.lambda.send(new DeleteAliasCommand({ FunctionName: 'hist', Name: 'prod' }));
    const history = await h.control<
      { operation: string; revisionId: string; routing: object; functionVersion: string }[]
    >('GET', '/_emulator/alias-history?function=hist&alias=prod');
    expect(history.map((c) => [c.operation, c.functionVersion, c.routing])).toEqual([
      ['CreateAlias', '1', {}],
      ['UpdateAlias', '1', { '2': 0.25 }],
      ['DeleteAlias', '1', { '2': 0.25 }],
    ]);
    expect(history[0]?.revisionId).toBe(created.RevisionId);
    expect(history[1]?.revisionId).toBe(shifted.RevisionId);
    expect(history[0]).toMatchObject({
      function: 'hist',
      alias: 'prod',
      region: 'us-east-1',
      at: '2026-11-26T14:00:02.000+0000',
    });
  });

  it('reset clears functions, alarms, traffic, faults and counts, and puts the clock back to real time', async () => {
    await h.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'x',
        MetricName: 'm',
        Namespace: 'n',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await h.control('PUT', '/_emulator/faults', { rules: [{ service: 'lambda', operation: 'Nothing', throttle: 1 }] });
    await h.control('PUT', '/_emulator/traffic', { function: 'hist', alias: 'prod', rps: 1 });
    await h.control('POST', '/_emulator/reset');
    expect((await h.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    expect((await h.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
    expect(await h.control('GET', '/_emulator/faults')).toEqual({ rules: [] });
    expect(await h.control('GET', '/_emulator/traffic')).toEqual({ simulations: [] });
    expect(await h.control('GET', '/_emulator/calls')).toEqual({
      'lambda.ListFunctions': 1,
      'cloudwatch.DescribeAlarms': 1,
    });
    expect(await h.control('GET', '/_emulator/alias-history')).toEqual([]);
    expect(((await h.control('GET', '/_emulator/clock')) as { mode: string }).mode).toBe('real');
  });

  it('answers unknown endpoints and bad bodies with a JSON error', async () => {
    await expect(h.control('GET', '/_emulator/nothing')).rejects.toThrow(/404/);
    await expect(h.control('PUT', '/_emulator/traffic', { alias: 'a', rps: 1 })).rejects.toThrow(
      /function is required/,
    );
    const res = await fetch(`${h.emulator.url}/_emulator/reset`, { method: 'POST', body: 'not json' });
    expect(res.status).toBe(400);
  });
});
