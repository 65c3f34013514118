import { type Datapoint, evaluateAlarm, nextState } from './evaluation.js';
import type { MetricAlarm } from './model.js';
import { runQueries } from './queries.js';
import { reasonData, reasonText } from './reason.js';
import { alarmPeriod, type CloudWatchPlace, type CloudWatchState } from './state.js';
import { aggregate, needsSamples, statistic } from './statistics.js';
import { changeState } from './transitions.js';

/**
 * How many periods CloudWatch looks at: more than EvaluationPeriods, so that it can look back past missing
 * datapoints. AWS does not publish the exact number; its documentation's examples use N + 2.
 */
const LOOKBACK = 2;

/** The evaluation range of a single-metric alarm, newest period first. */
function metricRange(at: CloudWatchPlace, alarm: MetricAlarm, endSecond: number, periods: number): Datapoint[] {
  const period = alarmPeriod(alarm);
  const stat = alarm.statistic ?? alarm.extendedStatistic ?? 'Average';
  const series = at.metrics.get(alarm.namespace ?? '', alarm.metricName ?? '', alarm.dimensions);
  const range: Datapoint[] = [];
  for (let k = 0; k < periods; k++) {
    const start = endSecond - (k + 1) * period;
    const agg = series && aggregate(series, start, start + period, needsSamples(stat));
    range.push(agg ? { timestamp: start, value: statistic(agg, stat), sampleCount: agg.count } : { timestamp: start });
  }
  return range;
}

/** The evaluation range of a metric-math alarm: the series of its ReturnData query. */
function mathRange(at: CloudWatchPlace, alarm: MetricAlarm, endSecond: number, periods: number): Datapoint[] {
  const queries = alarm.metrics ?? [];
  const returned = queries.find((q) => q.ReturnData !== false);
  const period = alarmPeriod(alarm);
  const start = endSecond - periods * period;
  const result = runQueries(at.metrics, queries, start, endSecond).find((r) => r.id === returned?.Id);
  const range: Datapoint[] = [];
  for (let k = 0; k < periods; k++) {
    const t = endSecond - (k + 1) * period;
    const value = result?.series.get(t);
    range.push(value === undefined ? { timestamp: t } : { timestamp: t, value, sampleCount: 1 });
  }
  return range;
}

/** Evaluates one metric alarm at `endSecond` (a boundary of its evaluation interval) and applies the outcome. */
export function evaluateMetricAlarm(at: CloudWatchPlace, alarm: MetricAlarm, endSecond: number): void {
  const n = alarm.evaluationPeriods;
  const periods = n + LOOKBACK;
  const range = alarm.metrics ? mathRange(at, alarm, endSecond, periods) : metricRange(at, alarm, endSecond, periods);
  const verdict = evaluateAlarm({
    range,
    evaluationPeriods: n,
    datapointsToAlarm: alarm.datapointsToAlarm ?? n,
    threshold: alarm.threshold ?? 0,
    comparison: alarm.comparison,
    treatMissingData: alarm.treatMissingData ?? 'missing',
  });
  const value = nextState(verdict, alarm.state.value);
  if (value === alarm.state.value) return;
  const ctx = {
    comparison: alarm.comparison,
    threshold: alarm.threshold ?? 0,
    evaluationPeriods: n,
    ...(alarm.datapointsToAlarm !== undefined ? { datapointsToAlarm: alarm.datapointsToAlarm } : {}),
    statistic: alarm.statistic ?? alarm.extendedStatistic ?? '',
    period: alarmPeriod(alarm),
    ...(alarm.unit ? { unit: alarm.unit } : {}),
    queryDate: endSecond * 1000,
  };
  changeState(at, alarm, value, reasonText(verdict, ctx), reasonData(verdict, ctx), endSecond * 1000);
}

/**
 * The per-second hook: evaluates the alarms whose evaluation interval ends at this second, and only those.
 */
export function evaluateDueAlarms(state: CloudWatchState, secondEndMs: number): void {
  const second = secondEndMs / 1000;
  for (const [interval, alarms] of state.schedule) {
    if (second % interval !== 0) continue;
    for (const alarm of alarms) evaluateMetricAlarm(state.at(alarm.place), alarm, second);
  }
}
