import type { CloudWatchHandler } from './context.js';
import { invalidValue, missingParameter, validationError } from './errors.js';
import { type MetricQuery, runQueries } from './queries.js';
import type { Dimension } from './series.js';
import { boundedString, enumValue, epochMs, requiredString } from './validation.js';

interface MetricDatum {
  MetricName?: string;
  Dimensions?: Dimension[];
  Timestamp?: number;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
}

/**
 * PutMetricData (the SDK gzips bodies of 10 KB or more; the server inflates them). Datapoints are stored per
 * second; a datum without Timestamp is taken as "now".
 */
export const putMetricData: CloudWatchHandler = (input, ctx) => {
  const namespace = requiredString(input.Namespace, 'namespace', 255);
  if (namespace.startsWith('AWS/')) {
    throw invalidValue(`The value ${namespace} for parameter Namespace is invalid.`);
  }
  const data = input.MetricData;
  if (!Array.isArray(data) || data.length === 0) {
    throw missingParameter('The parameter MetricData is required.');
  }
  if (data.length > 1000) {
    throw validationError(
      `1 validation error detected: Value '[...]' at 'metricData' failed to satisfy constraint: Member must have length less than or equal to 1000`,
    );
  }
  const now = ctx.clock.now();
  // Validate everything first: a rejected request must store nothing.
  const checked = (data as MetricDatum[]).map((d, i) => {
    const where = `MetricData.member.${i + 1}`;
    const name = requiredString(d.MetricName, `metricData.${i + 1}.member.metricName`, 255);
    const values = d.Values ?? (d.Value !== undefined ? [d.Value] : []);
    const counts = d.Counts ?? values.map(() => 1);
    if (counts.length !== values.length) {
      throw invalidValue(`The parameters ${where}.Values and ${where}.Counts must be of the same size.`);
    }
    if (values.some((v) => !Number.isFinite(Number(v)))) {
      throw invalidValue(`The value for parameter ${where}.Value is not a valid number.`);
    }
    if (values.length === 0 && !d.StatisticValues) {
      throw invalidCombination(where);
    }
    const second = Math.floor((epochMs(d.Timestamp) ?? now) / 1000);
    return { name, values, counts, second, d };
  });
  for (const { name, values, counts, second, d } of checked) {
    const series = ctx.place.metrics.get(namespace, name, d.Dimensions ?? [], true);
    values.forEach((v, k) => {
      series.add(second, Number(v), Number(counts[k] ?? 1));
    });
    const s = d.StatisticValues;
    if (s) series.addStatistics(second, s.Sum, s.SampleCount, s.Minimum, s.Maximum);
  }
  return {};
};

function invalidCombination(where: string): Error {
  return missingParameter(
    `At least one of the parameters ${where}.Value, ${where}.Values or ${where}.StatisticValues must be specified.`,
  );
}

/** GetMetricData: StartTime inclusive, EndTime exclusive; newest first unless ScanBy says otherwise. */
export const getMetricData: CloudWatchHandler = (input, ctx) => {
  const queries = input.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0) {
    throw validationError(
      "1 validation error detected: Value null at 'metricDataQueries' failed to satisfy constraint: Member must not be null",
    );
  }
  if (queries.length > 500) {
    throw validationError(
      `1 validation error detected: Value '[...]' at 'metricDataQueries' failed to satisfy constraint: Member must have length less than or equal to 500`,
    );
  }
  const start = epochMs(input.StartTime);
  const end = epochMs(input.EndTime);
  if (start === undefined) requiredString(undefined, 'startTime', 1);
  if (end === undefined) requiredString(undefined, 'endTime', 1);
  if ((end as number) <= (start as number)) {
    throw validationError('The parameter StartTime must be less than the parameter EndTime.');
  }
  const scan =
    enumValue(input.ScanBy, 'scanBy', ['TimestampDescending', 'TimestampAscending'] as const) ?? 'TimestampDescending';
  boundedString(input.NextToken, 'nextToken', 2048);
  const results = runQueries(
    ctx.place.metrics,
    queries as MetricQuery[],
    (start as number) / 1000,
    (end as number) / 1000,
  );
  return {
    MetricDataResults: results
      .filter((r) => r.returnData)
      .map((r) => {
        const points = [...r.series].sort((a, b) => (scan === 'TimestampDescending' ? b[0] - a[0] : a[0] - b[0]));
        return {
          Id: r.id,
          Label: r.label,
          Timestamps: points.map(([t]) => t),
          Values: points.map(([, v]) => v),
          StatusCode: 'Complete',
        };
      }),
    Messages: [],
  };
};
