import type { Alarm, CompositeAlarm, MetricAlarm } from './model.js';

const seconds = (ms: number) => ms / 1000;

function common(alarm: Alarm): Record<string, unknown> {
  const view: Record<string, unknown> = {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    AlarmConfigurationUpdatedTimestamp: seconds(alarm.configUpdatedAt),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: [...alarm.okActions],
    AlarmActions: [...alarm.alarmActions],
    InsufficientDataActions: [...alarm.insufficientDataActions],
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    StateUpdatedTimestamp: seconds(alarm.state.updatedAt),
    StateTransitionedTimestamp: seconds(alarm.state.transitionedAt),
  };
  if (alarm.description !== undefined) view.AlarmDescription = alarm.description;
  if (alarm.state.reasonData !== undefined) view.StateReasonData = alarm.state.reasonData;
  return view;
}

/** A metric alarm as DescribeAlarms returns it: members the caller never set are left out, as AWS does. */
export function metricAlarmView(alarm: MetricAlarm): object {
  const view = common(alarm);
  const optional: Record<string, unknown> = {
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    Statistic: alarm.statistic,
    ExtendedStatistic: alarm.extendedStatistic,
    Period: alarm.period,
    Unit: alarm.unit,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile,
    Metrics: alarm.metrics,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) view[k] = v;
  view.Dimensions = alarm.dimensions.map((d) => ({ ...d }));
  view.EvaluationPeriods = alarm.evaluationPeriods;
  view.ComparisonOperator = alarm.comparison;
  return view;
}

/** A composite alarm as DescribeAlarms returns it. */
export function compositeAlarmView(alarm: CompositeAlarm): object {
  return { ...common(alarm), AlarmRule: alarm.rule };
}
