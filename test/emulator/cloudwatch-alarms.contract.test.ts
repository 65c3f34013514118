import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type MetricAlarm,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { expect, it } from 'vitest';
import { conformance, failure } from './support/contract.js';
import { eventually } from './support/eventually.js';
import type { Target } from './support/target.js';

async function putAlarm(target: Target, name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): Promise<void> {
  target.trackAlarm(name);
  await target.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'Conformance',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'conformance-fn' }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      ...extra,
    }),
  );
}

const describeOne = async (target: Target, name: string): Promise<MetricAlarm> => {
  const out = await target.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  expect(out.MetricAlarms).toHaveLength(1);
  return out.MetricAlarms?.[0] as MetricAlarm;
};

conformance('CloudWatch alarms', (ctx) => {
  it('a new alarm starts INSUFFICIENT_DATA, "Unchecked: Initial alarm creation", as configured', async () => {
    const { target } = ctx;
    const name = target.unique('conf-new');
    await putAlarm(target, name);
    const out = await target.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    expect(out.CompositeAlarms).toEqual([]);
    const alarm = out.MetricAlarms?.[0];
    expect(alarm).toMatchObject({
      AlarmName: name,
      AlarmArn: expect.stringMatching(new RegExp(`^arn:aws:cloudwatch:${target.region}:\\d{12}:alarm:${name}$`)),
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      Namespace: 'Conformance',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'FunctionName', Value: 'conformance-fn' }],
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 10,
      ComparisonOperator: 'GreaterThanThreshold',
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
    });
    expect(alarm).not.toHaveProperty('DatapointsToAlarm');
    expect(alarm?.StateUpdatedTimestamp).toBeInstanceOf(Date);
  });

  it('DescribeAlarms: names or prefix, state filter, types, and not names together with a prefix', async () => {
    const { target } = ctx;
    const prefix = target.unique('conf-desc');
    for (const suffix of ['a', 'b', 'c']) await putAlarm(target, `${prefix}-${suffix}`);
    await target.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: `${prefix}-b`, StateValue: 'ALARM', StateReason: 'test' }),
    );
    const byPrefix = await target.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: prefix }));
    expect(byPrefix.MetricAlarms?.map((a) => a.AlarmName)).toEqual([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    const inAlarm = await target.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, StateValue: 'ALARM' }),
    );
    expect(inAlarm.MetricAlarms?.map((a) => a.AlarmName)).toEqual([`${prefix}-b`]);
    const composites = await target.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, AlarmTypes: ['CompositeAlarm'] }),
    );
    expect(composites.MetricAlarms).toEqual([]);
    const e = await failure(() =>
      target.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [`${prefix}-a`], AlarmNamePrefix: prefix })),
    );
    expect(e).toMatchObject({ name: 'InvalidParameterCombinationException', status: 400 });
  });

  it('DescribeAlarms pages with MaxRecords and an opaque NextToken; MaxRecords outside 1–100 is refused', async () => {
    const { target } = ctx;
    const prefix = target.unique('conf-page');
    for (let i = 0; i < 5; i++) await putAlarm(target, `${prefix}-${i}`);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await target.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNamePrefix: prefix, MaxRecords: 2, NextToken: token }),
      );
      expect(page.MetricAlarms?.length).toBeLessThanOrEqual(2);
      names.push(...(page.MetricAlarms ?? []).map((a) => a.AlarmName as string));
      token = page.NextToken;
    } while (token);
    expect(names).toEqual([0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
    for (const MaxRecords of [0, 101]) {
      const e = await failure(() => target.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords })));
      expect(e).toMatchObject({ name: 'ValidationException', status: 400 });
    }
    const bad = await failure(() => target.cloudwatch.send(new DescribeAlarmsCommand({ NextToken: 'not-a-token' })));
    expect(bad).toMatchObject({ name: 'InvalidNextToken', status: 400 });
  });

  it('SetAlarmState changes state and writes a StateUpdate history item', async () => {
    const { target } = ctx;
    const name = target.unique('conf-set');
    await putAlarm(target, name);
    await target.cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: name,
        StateValue: 'ALARM',
        StateReason: 'testing alarm',
        StateReasonData: '{"a":1}',
      }),
    );
    await eventually(async () => {
      const alarm = await describeOne(target, name);
      expect(alarm).toMatchObject({ StateValue: 'ALARM', StateReason: 'testing alarm', StateReasonData: '{"a":1}' });
    }, 30_000);
    const history = await eventually(async () => {
      const h = await target.cloudwatch.send(
        new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: 'StateUpdate' }),
      );
      expect(h.AlarmHistoryItems).toHaveLength(1);
      return h;
    });
    const item = history.AlarmHistoryItems?.[0];
    expect(item).toMatchObject({
      AlarmName: name,
      AlarmType: 'MetricAlarm',
      HistoryItemType: 'StateUpdate',
      HistorySummary: 'Alarm updated from INSUFFICIENT_DATA to ALARM',
    });
    expect(JSON.parse(item?.HistoryData ?? '{}')).toMatchObject({
      version: '1.0',
      oldState: { stateValue: 'INSUFFICIENT_DATA', stateReason: 'Unchecked: Initial alarm creation' },
      newState: { stateValue: 'ALARM', stateReason: 'testing alarm' },
    });
  });

  it('SetAlarmState errors: an unknown alarm is ResourceNotFound (404); a bad state is a validation error', async () => {
    const { target } = ctx;
    const missing = await failure(() =>
      target.cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: target.unique('nope'), StateValue: 'OK', StateReason: 'x' }),
      ),
    );
    expect(missing).toMatchObject({ name: 'ResourceNotFound', status: 404 });
    const name = target.unique('conf-invalid');
    await putAlarm(target, name);
    const invalid = await failure(() =>
      target.cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: name, StateValue: 'INVALID' as 'OK', StateReason: 'x' }),
      ),
    );
    expect(invalid).toEqual({
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value 'INVALID' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
    });
  });

  it('DeleteAlarms removes alarms', async () => {
    const { target } = ctx;
    const name = target.unique('conf-delete');
    await putAlarm(target, name);
    await target.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [name] }));
    const out = await target.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
    expect(out.MetricAlarms).toEqual([]);
  });

  it('PutMetricAlarm on an existing alarm overwrites the configuration and keeps the state', async () => {
    const { target } = ctx;
    const name = target.unique('conf-update');
    await putAlarm(target, name);
    await target.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'OK', StateReason: 'kept' }));
    await putAlarm(target, name, { Threshold: 42, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching' });
    const alarm = await describeOne(target, name);
    expect(alarm).toMatchObject({
      Threshold: 42,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      StateValue: 'OK',
    });
  });

  it('composite alarms follow their rule and are listed only with AlarmTypes CompositeAlarm', async () => {
    const { target } = ctx;
    const child = target.unique('conf-child');
    const other = target.unique('conf-other');
    const parent = target.unique('conf-parent');
    await putAlarm(target, child);
    await putAlarm(target, other);
    target.trackAlarm(parent);
    await target.cloudwatch.send(
      new PutCompositeAlarmCommand({
        AlarmName: parent,
        AlarmRule: `ALARM("${child}") OR (ALARM(${other}) AND NOT OK(${child}))`,
      }),
    );
    const defaults = await target.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [parent] }));
    expect(defaults.CompositeAlarms).toEqual([]);
    await target.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: child, StateValue: 'ALARM', StateReason: 'test' }),
    );
    const composite = await eventually(async () => {
      const out = await target.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNames: [parent], AlarmTypes: ['CompositeAlarm'] }),
      );
      expect(out.CompositeAlarms?.[0]?.StateValue).toBe('ALARM');
      return out.CompositeAlarms?.[0];
    });
    expect(composite?.AlarmRule).toContain(child);
    expect(composite?.StateReason).toMatch(
      new RegExp(`alarm:${child} transitioned to ALARM at \\w+ \\d{2} \\w+, \\d{4} \\d{2}:\\d{2}:\\d{2} UTC$`),
    );
  });
});
