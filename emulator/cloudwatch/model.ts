import type { Place } from '../core/place.js';
import type { MetricQuery } from './queries.js';
import type { RuleNode } from './rule.js';
import type { Dimension } from './series.js';

export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
/** In the order AWS lists them in its validation messages. */
export const STATE_VALUES: readonly StateValue[] = ['INSUFFICIENT_DATA', 'ALARM', 'OK'];

export type ComparisonOperator =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export interface AlarmState {
  value: StateValue;
  reason: string;
  reasonData?: string;
  /** Epoch ms of the last change of value or reason. */
  updatedAt: number;
  /** Epoch ms of the last change of value. */
  transitionedAt: number;
}

/** What both alarm kinds share. */
interface AlarmBase {
  name: string;
  arn: string;
  place: Place;
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  configUpdatedAt: number;
  state: AlarmState;
}

export interface MetricAlarm extends AlarmBase {
  kind: 'MetricAlarm';
  namespace?: string;
  metricName?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions: Dimension[];
  period?: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold?: number;
  comparison: ComparisonOperator;
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: string;
  /** Metric-math alarms: the queries, one of which has ReturnData true. */
  metrics?: MetricQuery[];
}

export interface CompositeAlarm extends AlarmBase {
  kind: 'CompositeAlarm';
  rule: string;
  parsedRule: RuleNode;
}

export type Alarm = MetricAlarm | CompositeAlarm;
