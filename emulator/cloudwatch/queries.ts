import { invalidValue, validationError } from './errors.js';
import { ExpressionError, evaluate, parseExpression, referencedIds, type TimeSeries } from './expression.js';
import type { Dimension, MetricStore } from './series.js';
import { aggregate, isKnownStatistic, needsSamples, statistic } from './statistics.js';

/** A MetricDataQuery as GetMetricData and metric-math alarms take it. */
export interface MetricQuery {
  Id: string;
  MetricStat?: {
    Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] };
    Period?: number;
    Stat?: string;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

/** The evaluated result of one query. */
export interface QueryResult {
  id: string;
  label: string;
  returnData: boolean;
  series: TimeSeries;
}

const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** CloudWatch accepts periods of 1, 5, 10, 20 and 30 seconds, and any multiple of 60. */
export function isValidPeriod(period: number): boolean {
  return Number.isInteger(period) && (period % 60 === 0 ? period > 0 : [1, 5, 10, 20, 30].includes(period));
}

/**
 * The period start times in [start, end). Periods of a minute or more start on the minute of StartTime; shorter
 * ones on a multiple of the period, which is how CloudWatch aligns them.
 */
export function periodGrid(startSec: number, endSec: number, period: number): number[] {
  const unit = Math.min(period, 60);
  const grid: number[] = [];
  for (let t = Math.floor(startSec / unit) * unit; t < endSec; t += period) grid.push(t);
  return grid;
}

function metricSeries(store: MetricStore, q: MetricQuery, grid: number[], period: number): TimeSeries {
  const stat = q.MetricStat?.Stat ?? '';
  const metric = q.MetricStat?.Metric ?? {};
  const series = store.get(metric.Namespace ?? '', metric.MetricName ?? '', metric.Dimensions ?? []);
  const out: TimeSeries = new Map();
  if (!series) return out;
  const withSamples = needsSamples(stat);
  for (const t of grid) {
    const agg = aggregate(series, t, t + period, withSamples);
    if (agg) out.set(t, statistic(agg, stat));
  }
  return out;
}

function checkQuery(q: MetricQuery, index: number): number {
  const where = `MetricDataQueries.member.${index + 1}`;
  if (typeof q.Id !== 'string' || !ID.test(q.Id)) {
    throw validationError(`The value ${String(q.Id)} for parameter ${where}.Id is not valid.`);
  }
  if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
    throw validationError(`Exactly one of MetricStat and Expression must be set in ${where}.`);
  }
  const period = q.MetricStat?.Period ?? q.Period ?? 60;
  if (!isValidPeriod(period)) {
    throw invalidValue(`The parameter ${where}.Period must be 1, 5, 10, 30 or a multiple of 60.`);
  }
  if (q.MetricStat && !isKnownStatistic(q.MetricStat.Stat ?? '')) {
    throw invalidValue(`The value ${String(q.MetricStat.Stat)} for parameter ${where}.MetricStat.Stat is not valid.`);
  }
  return period;
}

/**
 * Evaluates every query over [startSec, endSec): metric queries first, then expressions in dependency order.
 * Results keep the order of the queries.
 */
export function runQueries(
  store: MetricStore,
  queries: MetricQuery[],
  startSec: number,
  endSec: number,
): QueryResult[] {
  const periods = queries.map((q, i) => checkQuery(q, i));
  const byId = new Map<string, TimeSeries>();
  const results = new Map<string, QueryResult>();
  const trees = new Map(
    queries.flatMap((q) => {
      if (q.Expression === undefined) return [];
      try {
        return [[q.Id, parseExpression(q.Expression)] as const];
      } catch (error) {
        throw validationError(error instanceof ExpressionError ? error.message : String(error));
      }
    }),
  );
  const visiting = new Set<string>();
  const resolve = (id: string): TimeSeries | undefined => {
    const cached = byId.get(id);
    if (cached) return cached;
    const index = queries.findIndex((q) => q.Id === id);
    const q = queries[index];
    if (!q) return undefined;
    const period = periods[index] as number;
    const grid = periodGrid(startSec, endSec, period);
    let series: TimeSeries;
    if (q.MetricStat) {
      series = metricSeries(store, q, grid, period);
    } else {
      if (visiting.has(id)) throw validationError(`Circular dependency in expression of ${id}.`);
      visiting.add(id);
      const tree = trees.get(id);
      let value: number | TimeSeries;
      try {
        value = tree ? evaluate(tree, resolve, grid) : new Map();
      } catch (error) {
        throw validationError(error instanceof ExpressionError ? error.message : String(error));
      }
      visiting.delete(id);
      series = typeof value === 'number' ? new Map(grid.map((t) => [t, value])) : value;
      for (const [t, v] of series) if (!Number.isFinite(v)) series.delete(t);
    }
    byId.set(id, series);
    const metric = q.MetricStat?.Metric?.MetricName;
    results.set(id, { id, label: q.Label ?? metric ?? id, returnData: q.ReturnData ?? true, series });
    return series;
  };
  for (const q of queries) {
    for (const ref of q.Expression !== undefined ? referencedIds(trees.get(q.Id) ?? { kind: 'num', value: 0 }) : []) {
      if (!queries.some((other) => other.Id === ref)) {
        throw validationError(`Unrecognized metric id in expression of ${q.Id}: ${ref}`);
      }
    }
    resolve(q.Id);
  }
  return queries.map((q) => results.get(q.Id) as QueryResult);
}
