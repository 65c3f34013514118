import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { BOT_SESSION, type Target } from '../../domain/target.js';
import type { MetricSource, VersionMetrics } from '../../ports.js';
import type { AwsClients } from './clients.js';
import { fromAws } from './errors.js';

const PERIOD_S = 60;

/**
 * Per-version metrics of an alias from CloudWatch: Errors and Invocations (Sum) and Duration (p99)
 * with the dimensions Lambda publishes for a weighted alias — FunctionName, Resource `fn:alias`
 * and ExecutedVersion (aws-semantics.md §4) — all versions in one GetMetricData call, by minute,
 * in the target's account and region, with its name in AWS, in the bot's session there.
 */
export class CloudWatchMetrics implements MetricSource {
  constructor(private readonly clients: AwsClients) {}

  async versions(
    target: Target,
    alias: string,
    versions: readonly string[],
    from: Date,
    to: Date,
  ): Promise<ReadonlyMap<string, VersionMetrics>> {
    const fn = target.name;
    const client = this.clients.cloudwatch(target.place);
    const queries: MetricDataQuery[] = versions.flatMap((version, i) => {
      const dimensions = [
        { Name: 'FunctionName', Value: fn },
        { Name: 'Resource', Value: `${fn}:${alias}` },
        { Name: 'ExecutedVersion', Value: version },
      ];
      const stat = (id: string, metric: string, statistic: string): MetricDataQuery => ({
        Id: `${id}${i}`,
        MetricStat: {
          Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions },
          Period: PERIOD_S,
          Stat: statistic,
        },
        ReturnData: true,
      });
      return [stat('e', 'Errors', 'Sum'), stat('i', 'Invocations', 'Sum'), stat('d', 'Duration', 'p99')];
    });
    // Whole minutes around the window: Lambda's metrics are per minute, and CloudWatch aligns periods to them.
    const start = new Date(Math.floor(from.getTime() / 60_000) * 60_000);
    const end = new Date(Math.ceil((to.getTime() + 1) / 60_000) * 60_000);
    const series = new Map<string, Map<number, number>>();
    let next: string | undefined;
    try {
      do {
        const page = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampAscending',
            NextToken: next,
          }),
        );
        for (const r of page.MetricDataResults ?? []) {
          const points = series.get(r.Id ?? '') ?? new Map<number, number>();
          (r.Timestamps ?? []).forEach((t, k) => {
            points.set(t.getTime(), r.Values?.[k] ?? 0);
          });
          series.set(r.Id ?? '', points);
        }
        next = page.NextToken;
      } while (next);
    } catch (error) {
      const refused = fromAws(error, { operation: 'GetMetricData', fn: target.fn, alias, place: target.place });
      if (refused.code === 'account-unavailable' && refused !== error)
        this.clients.invalidate(target.place, BOT_SESSION);
      throw refused;
    }
    return new Map(versions.map((version, i) => [version, summarise(series, i, start.getTime(), end.getTime())]));
  }
}

function summarise(series: Map<string, Map<number, number>>, i: number, start: number, end: number): VersionMetrics {
  const errors = series.get(`e${i}`) ?? new Map<number, number>();
  const calls = series.get(`i${i}`) ?? new Map<number, number>();
  const p99 = series.get(`d${i}`) ?? new Map<number, number>();
  let invocations = 0;
  let errorCount = 0;
  let weighted = 0;
  const errorRates: (number | undefined)[] = [];
  for (let t = start; t < end; t += PERIOD_S * 1000) {
    const n = calls.get(t) ?? 0;
    const e = errors.get(t) ?? 0;
    invocations += n;
    errorCount += e;
    // A window's p99 from per-minute p99s: weighted by each minute's invocations, the same way for both versions.
    weighted += (p99.get(t) ?? 0) * n;
    errorRates.push(n > 0 ? e / n : undefined);
  }
  return {
    invocations,
    errors: errorCount,
    ...(invocations > 0 && p99.size > 0 ? { p99Ms: weighted / invocations } : {}),
    errorRates,
  };
}
