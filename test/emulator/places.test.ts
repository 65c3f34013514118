import { DescribeAlarmsCommand, GetMetricDataCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  PublishVersionCommand,
  TagResourceCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Clients, clientsAt } from './support/clients.js';
import { failure } from './support/contract.js';
import { type Harness, harness } from './support/emulator.js';

const A = '111111111111';
const B = '222222222222';

const createIn = (c: Clients, name: string, role: string) =>
  c.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: role,
      Runtime: 'nodejs20.x',
      Handler: 'i.h',
      Code: { ZipFile: Buffer.from(role) },
    }),
  );

describe('accounts and regions: places (emulator only)', () => {
  let h: Harness;
  let aEu: Clients;
  let bEu: Clients;
  let bUs: Clients;
  beforeAll(async () => {
    h = await harness();
    aEu = clientsAt(h.emulator.url, 'eu-west-1', A);
    bEu = clientsAt(h.emulator.url, 'eu-west-1', B);
    bUs = clientsAt(h.emulator.url, 'us-east-1', B);
    for (const [c, role] of [
      [aEu, `arn:aws:iam::${A}:role/a`],
      [bEu, `arn:aws:iam::${B}:role/b-eu`],
      [bUs, `arn:aws:iam::${B}:role/b-us`],
    ] as const) {
      await createIn(c, 'pay', role);
      await c.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));
      await c.lambda.send(new CreateAliasCommand({ FunctionName: 'pay', Name: 'prod', FunctionVersion: '1' }));
    }
  });
  afterAll(async () => {
    for (const c of [aEu, bEu, bUs]) c.destroy();
    await h.close();
  });

  it('the same function name in two accounts and two regions is three functions with their own ARNs', async () => {
    const arns = await Promise.all(
      [aEu, bEu, bUs].map(async (c) => {
        const fn = await c.lambda.send(new GetFunctionCommand({ FunctionName: 'pay' }));
        return [
          fn.Configuration?.FunctionArn,
          fn.Configuration?.Role,
          fn.Code?.Location?.includes(fn.Configuration?.FunctionArn?.split(':')[4] ?? '?'),
        ];
      }),
    );
    expect(arns).toEqual([
      [`arn:aws:lambda:eu-west-1:${A}:function:pay`, `arn:aws:iam::${A}:role/a`, true],
      [`arn:aws:lambda:eu-west-1:${B}:function:pay`, `arn:aws:iam::${B}:role/b-eu`, true],
      [`arn:aws:lambda:us-east-1:${B}:function:pay`, `arn:aws:iam::${B}:role/b-us`, true],
    ]);
    // The default account, in the harness's us-east-1, has none of them.
    expect((await h.lambda.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
  });

  it("an ARN of the caller's account and region works; another region is 404, another account 403", async () => {
    const own = await bEu.lambda.send(
      new GetFunctionCommand({ FunctionName: `arn:aws:lambda:eu-west-1:${B}:function:pay:prod` }),
    );
    expect(own.Configuration?.FunctionArn).toBe(`arn:aws:lambda:eu-west-1:${B}:function:pay:prod`);
    expect(
      await failure(() =>
        bEu.lambda.send(new GetFunctionCommand({ FunctionName: `arn:aws:lambda:us-east-1:${B}:function:pay` })),
      ),
    ).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: "Functions from 'us-east-1' are not reachable in this region ('eu-west-1')",
    });
    expect(await failure(() => bEu.lambda.send(new GetFunctionCommand({ FunctionName: `${A}:function:pay` })))).toEqual(
      {
        name: 'AccessDeniedException',
        status: 403,
        message: `User: arn:aws:iam::${B}:root is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:eu-west-1:${A}:function:pay because no resource-based policy allows the lambda:GetFunction action`,
      },
    );
    const tag = await failure(() =>
      bEu.lambda.send(
        new TagResourceCommand({ Resource: `arn:aws:lambda:eu-west-1:${A}:function:pay`, Tags: { k: 'v' } }),
      ),
    );
    expect(tag).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    const create = await failure(() => createIn(bEu, `arn:aws:lambda:eu-west-1:${A}:function:other`, 'r'));
    expect(create).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });

  it('alarms and metrics are kept per place, and their ARNs carry the account', async () => {
    const alarm = (c: Clients) =>
      c.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: 'pay-errors',
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: 'pay' }],
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    await alarm(aEu);
    await alarm(bUs);
    const arnsOf = async (c: Clients) =>
      ((await c.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => a.AlarmArn);
    expect(await arnsOf(aEu)).toEqual([`arn:aws:cloudwatch:eu-west-1:${A}:alarm:pay-errors`]);
    expect(await arnsOf(bEu)).toEqual([]);
    expect(await arnsOf(bUs)).toEqual([`arn:aws:cloudwatch:us-east-1:${B}:alarm:pay-errors`]);

    await h.control('POST', '/_emulator/metrics', {
      account: B,
      region: 'us-east-1',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: 'pay' },
      value: 4,
    });
    await h.advance(60_000);
    const states = async (c: Clients) =>
      ((await c.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => a.StateValue);
    expect(await states(bUs)).toEqual(['ALARM']);
    expect(await states(aEu)).toEqual(['INSUFFICIENT_DATA']);
    const sum = async (c: Clients) => {
      const out = await c.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date('2026-11-26T13:00:00Z'),
          EndTime: new Date('2026-11-26T15:00:00Z'),
          MetricDataQueries: [
            {
              Id: 'e',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/Lambda',
                  MetricName: 'Errors',
                  Dimensions: [{ Name: 'FunctionName', Value: 'pay' }],
                },
                Period: 3600,
                Stat: 'Sum',
              },
            },
          ],
        }),
      );
      return out.MetricDataResults?.[0]?.Values;
    };
    expect(await sum(bUs)).toEqual([4]);
    expect(await sum(bEu)).toEqual([]);
  });

  it('traffic, invoke and alias history take the account; calls are counted per place', async () => {
    await h.control('DELETE', '/_emulator/calls');
    await h.control('PUT', '/_emulator/traffic', {
      account: B,
      region: 'eu-west-1',
      function: 'pay',
      alias: 'prod',
      rps: 10,
    });
    expect(await h.control('GET', '/_emulator/traffic')).toMatchObject({
      simulations: [{ account: B, region: 'eu-west-1', function: 'pay', alias: 'prod', rps: 10 }],
    });
    await h.control('POST', '/_emulator/invoke', {
      account: A,
      region: 'eu-west-1',
      function: 'pay',
      alias: 'prod',
      count: 5,
    });
    await expect(
      h.control('POST', '/_emulator/invoke', {
        account: A,
        region: 'us-east-1',
        function: 'pay',
        alias: 'prod',
        count: 5,
      }),
    ).rejects.toThrow(/404/);
    await h.control('DELETE', `/_emulator/traffic?function=pay&alias=prod&account=${B}&region=eu-west-1`);
    await expect(h.control('DELETE', '/_emulator/traffic?function=pay&alias=prod')).rejects.toThrow(/404/);

    const history = await h.control<{ account: string; region: string }[]>(
      'GET',
      `/_emulator/alias-history?account=${B}`,
    );
    expect(history.map((c) => `${c.account}/${c.region}`)).toEqual([`${B}/eu-west-1`, `${B}/us-east-1`]);
    const inRegion = await h.control<unknown[]>('GET', `/_emulator/alias-history?account=${B}&region=us-east-1`);
    expect(inRegion).toHaveLength(1);

    await bEu.lambda.send(new ListFunctionsCommand({}));
    await bUs.lambda.send(new ListFunctionsCommand({}));
    await bUs.lambda.send(new ListFunctionsCommand({}));
    await h.lambda.send(new ListFunctionsCommand({}));
    expect(await h.control('GET', '/_emulator/calls')).toEqual({ 'lambda.ListFunctions': 4 });
    expect(await h.control('GET', '/_emulator/calls?by=place')).toEqual({
      [`${B}/eu-west-1`]: { 'lambda.ListFunctions': 1 },
      [`${B}/us-east-1`]: { 'lambda.ListFunctions': 2 },
      '000000000000/us-east-1': { 'lambda.ListFunctions': 1 },
    });
    await expect(
      h.control('PUT', '/_emulator/traffic', { account: '12', function: 'f', alias: 'a', rps: 1 }),
    ).rejects.toThrow(/12-digit/);
  });

  it('fault rules can match one account and one region', async () => {
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: '*', account: B, region: 'us-east-1', error5xx: 1 }],
    });
    expect(await failure(() => bUs.lambda.send(new ListFunctionsCommand({})))).toMatchObject({
      name: 'ServiceException',
    });
    await bEu.lambda.send(new ListFunctionsCommand({}));
    await aEu.lambda.send(new ListFunctionsCommand({}));
    await h.control('DELETE', '/_emulator/faults');
    await expect(
      h.control('PUT', '/_emulator/faults', { rules: [{ service: '*', operation: '*', account: 'x' }] }),
    ).rejects.toThrow(/account/);
  });
});
