import {
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { beforeAll, expect, it } from 'vitest';
import { type AccountsTarget, assumed, awsAccounts, awsLacks, emulatorAccounts, ROLE_ENV } from './support/accounts.js';
import type { Clients } from './support/clients.js';
import { conformanceOf, failure } from './support/contract.js';
import { eventually } from './support/eventually.js';
import { handlerZip } from './support/zip.js';

/** The caller's account in two regions, and another account (reached with AssumeRole) in the first region. */
interface Places {
  here: Clients;
  elsewhere: Clients;
  other: Clients;
  account: string;
  otherAccount: string;
}

async function places(target: AccountsTarget): Promise<Places> {
  const account = (await target.base.sts.send(new GetCallerIdentityCommand({}))).Account as string;
  const other = await assumed(target, target.base, { RoleArn: target.roles.otherAccount, RoleSessionName: 'places' });
  return {
    here: target.base,
    elsewhere: target.as(await baseKeys(target), target.otherRegion),
    other,
    account,
    otherAccount: target.roles.otherAccount.split(':')[4] as string,
  };
}

/** The base caller's credentials, to sign for another region with the same identity. */
async function baseKeys(target: AccountsTarget) {
  const credentials = await target.base.lambda.config.credentials();
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
  };
}

conformanceOf('accounts and regions never cross', { emulator: emulatorAccounts, aws: awsAccounts }, (ctx, name) => {
  const needs = awsLacks(name, ROLE_ENV.otherAccount, 'CONFORMANCE_OTHER_ACCOUNT_EXECUTION_ROLE_ARN');
  let p: Places;
  beforeAll(async () => {
    if (!needs) p = await places(ctx.target);
  });

  it.skipIf(needs)('the same function name in two accounts and two regions is three functions', async () => {
    const { target } = ctx;
    const fn = target.unique('places');
    const made: [Clients, string][] = [
      [p.here, target.executionRole],
      [p.elsewhere, target.executionRole],
      [p.other, target.otherExecutionRole],
    ];
    try {
      for (const [clients, role] of made) {
        await clients.lambda.send(
          new CreateFunctionCommand({
            FunctionName: fn,
            Role: role,
            Runtime: 'nodejs20.x',
            Handler: 'index.handler',
            Code: { ZipFile: handlerZip(role) },
            Description: role,
          }),
        );
      }
      const arnOf = async (clients: Clients) =>
        (await clients.lambda.send(new GetFunctionCommand({ FunctionName: fn }))).Configuration;
      expect((await arnOf(p.here))?.FunctionArn).toBe(`arn:aws:lambda:${target.region}:${p.account}:function:${fn}`);
      expect((await arnOf(p.elsewhere))?.FunctionArn).toBe(
        `arn:aws:lambda:${target.otherRegion}:${p.account}:function:${fn}`,
      );
      const other = await arnOf(p.other);
      expect(other?.FunctionArn).toBe(`arn:aws:lambda:${target.region}:${p.otherAccount}:function:${fn}`);
      expect(other?.Description).toBe(target.otherExecutionRole);
      const listed = async (clients: Clients) =>
        ((await clients.lambda.send(new ListFunctionsCommand({}))).Functions ?? [])
          .filter((f) => f.FunctionName === fn)
          .map((f) => f.FunctionArn);
      expect(await listed(p.here)).toEqual([`arn:aws:lambda:${target.region}:${p.account}:function:${fn}`]);
      expect(await listed(p.other)).toEqual([`arn:aws:lambda:${target.region}:${p.otherAccount}:function:${fn}`]);

      const wrongRegion = await failure(() =>
        p.here.lambda.send(
          new GetFunctionCommand({ FunctionName: `arn:aws:lambda:${target.otherRegion}:${p.account}:function:${fn}` }),
        ),
      );
      expect(wrongRegion).toEqual({
        name: 'ResourceNotFoundException',
        status: 404,
        message: `Functions from '${target.otherRegion}' are not reachable in this region ('${target.region}')`,
      });
      const wrongAccount = await failure(() =>
        p.here.lambda.send(
          new GetFunctionCommand({ FunctionName: `arn:aws:lambda:${target.region}:${p.otherAccount}:function:${fn}` }),
        ),
      );
      expect(wrongAccount).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    } finally {
      for (const [clients] of made) {
        await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: fn })).catch(() => undefined);
      }
    }
  });

  it.skipIf(needs)('alarms and metrics of the same names are kept per account and region', async () => {
    const { target } = ctx;
    const alarm = target.unique('places-alarm');
    const namespace = `Conformance/${target.unique('places')}`;
    const all = [p.here, p.elsewhere, p.other];
    try {
      for (const clients of [p.here, p.other]) {
        await clients.cloudwatch.send(
          new PutMetricAlarmCommand({
            AlarmName: alarm,
            Namespace: namespace,
            MetricName: 'Errors',
            Statistic: 'Sum',
            Period: 60,
            EvaluationPeriods: 1,
            Threshold: 0,
            ComparisonOperator: 'GreaterThanThreshold',
          }),
        );
      }
      const arns = async (clients: Clients) =>
        ((await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarm] }))).MetricAlarms ?? []).map(
          (a) => a.AlarmArn,
        );
      expect(await arns(p.here)).toEqual([`arn:aws:cloudwatch:${target.region}:${p.account}:alarm:${alarm}`]);
      expect(await arns(p.elsewhere)).toEqual([]);
      expect(await arns(p.other)).toEqual([`arn:aws:cloudwatch:${target.region}:${p.otherAccount}:alarm:${alarm}`]);

      const now = await target.now();
      const minute = Math.floor(now / 60_000) * 60_000;
      await p.other.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: [{ MetricName: 'Errors', Value: 7, Timestamp: new Date(minute) }],
        }),
      );
      const sum = async (clients: Clients) => {
        const out = await clients.cloudwatch.send(
          new GetMetricDataCommand({
            StartTime: new Date(minute - 3_600_000),
            EndTime: new Date(minute + 3_600_000),
            MetricDataQueries: [
              {
                Id: 'e',
                MetricStat: { Metric: { Namespace: namespace, MetricName: 'Errors' }, Period: 60, Stat: 'Sum' },
              },
            ],
          }),
        );
        return out.MetricDataResults?.[0]?.Values ?? [];
      };
      await eventually(async () => expect(await sum(p.other)).toEqual([7]));
      expect(await sum(p.here)).toEqual([]);
      expect(await sum(p.elsewhere)).toEqual([]);
    } finally {
      for (const clients of all) {
        await clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarm] })).catch(() => undefined);
      }
    }
  });
});
