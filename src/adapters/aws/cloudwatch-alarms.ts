import {
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  type DescribeAlarmsCommandOutput,
  type Dimension,
  type MetricAlarm,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import {
  type Alarm,
  type AlarmMetric,
  type AlarmStateValue,
  alarmId,
  subjectOf,
  type WatchedAlarm,
  type WatchList,
  watchListOf,
} from '../../domain/alarm.js';
import { asBotError } from '../../domain/errors.js';
import type { Fleet } from '../../domain/fleet.js';
import type { Policy } from '../../domain/policy-model.js';
import { BOT_SESSION, type Place, placeKey } from '../../domain/target.js';
import type { AlarmSource, AlarmSweep } from '../../ports.js';
import type { AwsClients } from './clients.js';
import { fromCloudWatch } from './cloudwatch-errors.js';

/** DescribeAlarms's largest page, and the most names one call may ask for. */
const PAGE = 100;
/** A loop guard: 100,000 alarms is far beyond CloudWatch's per-Region quota of 10,000 metric alarms. */
const MAX_PAGES = 1000;

/** Places swept at once: each sweep is a few calls in a row; several accounts need not wait on each other. */
const PLACES_AT_ONCE = 4;

/**
 * The alarms the policy watches, over the AWS SDK v3, in every (account, region) of the policy, each
 * in the bot's session there (CONTRACT §9). Places are swept in parallel, a few at a time, those that
 * took the most calls last time first; one that fails (its role cannot be assumed, CloudWatch does
 * not answer) is reported and the others still count. Callers arriving while a place is being swept
 * share that sweep.
 */
export class CloudWatchAlarmSource implements AlarmSource {
  private readonly places: readonly PlaceAlarms[];

  constructor(clients: AwsClients, fleet: Fleet, policy: Policy) {
    this.places = fleet
      .places()
      .map((place) => new PlaceAlarms(clients, place, fleet.home, watchListOf(policy, fleet.at(place))));
  }

  async sweep(place?: Place): Promise<AlarmSweep> {
    const chosen = place ? this.places.filter((p) => placeKey(p.place) === placeKey(place)) : this.places;
    // Longest first, by the calls each took last time (policy order until known, and between equals):
    // with more places than workers, a big place left for last starts only when another ends, and
    // the sweep then takes the two one after the other instead of the longest alone.
    const wanted = [...chosen].sort((a, b) => b.calls - a.calls);
    const results: AlarmSweep[] = [];
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const one = wanted[next++] as PlaceAlarms;
        results.push(
          await one.sweep().catch((error: unknown) => ({
            alarms: [],
            missing: [],
            failed: [{ place: one.place, reason: asBotError(error).message }],
          })),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(PLACES_AT_ONCE, wanted.length) }, worker));
    return {
      alarms: results.flatMap((r) => r.alarms),
      missing: results.flatMap((r) => r.missing),
      failed: results.flatMap((r) => r.failed),
    };
  }
}

/**
 * One place's sweep: every metric alarm there in pages of 100 (⌈alarms/100⌉ calls however many
 * functions the policy has: DescribeAlarms cannot filter by dimension, and one call per function
 * would cost more and hit its 9 TPS quota), keeping those `subjectOf` ties to a policy function
 * there; then, by name, the named alarms the pages did not hold, as composite alarms (≤100 a call).
 */
class PlaceAlarms {
  private running?: Promise<AlarmSweep>;
  /** DescribeAlarms calls the last complete sweep of this place took (0 until one completes). */
  calls = 0;

  constructor(
    private readonly clients: AwsClients,
    readonly place: Place,
    private readonly home: Place,
    private readonly watch: WatchList,
  ) {}

  sweep(): Promise<AlarmSweep> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<AlarmSweep> {
    const alarms: WatchedAlarm[] = [];
    const found = new Set<string>();
    const keep = (alarm: Alarm | undefined) => {
      if (!alarm) return;
      found.add(alarm.name);
      const subject = subjectOf(alarm, this.watch);
      if (subject) alarms.push({ id: alarmId(this.place, this.home, alarm.name), place: this.place, alarm, subject });
    };
    let calls = 0;
    const describe = (input: DescribeAlarmsCommandInput) => {
      calls++;
      return this.describe(input);
    };
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await describe({ AlarmTypes: ['MetricAlarm'], MaxRecords: PAGE, NextToken: token });
      for (const m of page.MetricAlarms ?? []) keep(fromMetricAlarm(m));
      token = page.NextToken;
    } while (token && ++pages < MAX_PAGES);

    const unfound = [...this.watch.named.keys()].filter((name) => !found.has(name));
    for (let i = 0; i < unfound.length; i += PAGE) {
      const names = unfound.slice(i, i + PAGE);
      const page = await describe({ AlarmNames: names, AlarmTypes: ['CompositeAlarm'], MaxRecords: PAGE });
      for (const c of page.CompositeAlarms ?? []) keep(fromCompositeAlarm(c));
    }
    const missing = unfound
      .filter((name) => !found.has(name))
      .map((name) => ({ name, fn: this.watch.named.get(name) as string }));
    this.calls = calls;
    return { alarms, missing, failed: [] };
  }

  private async describe(input: DescribeAlarmsCommandInput): Promise<DescribeAlarmsCommandOutput> {
    try {
      return await this.clients.cloudwatch(this.place).send(new DescribeAlarmsCommand(input));
    } catch (error) {
      const refused = fromCloudWatch(error, 'DescribeAlarms', this.place);
      if (refused.code === 'account-unavailable' && refused !== error) this.clients.invalidate(this.place, BOT_SESSION);
      throw refused;
    }
  }
}

function base(
  a: MetricAlarm | CompositeAlarm,
): Pick<Alarm, 'name' | 'state' | 'since' | 'reason' | 'reasonData'> | undefined {
  if (!a.AlarmName) return undefined;
  const state: AlarmStateValue = a.StateValue === 'OK' || a.StateValue === 'ALARM' ? a.StateValue : 'INSUFFICIENT_DATA';
  // StateTransitionedTimestamp changes only with the value: it names the transition. The updated
  // timestamp also moves when only the reason is rewritten, which must not look like a new alarm.
  const since = (a.StateTransitionedTimestamp ?? a.StateUpdatedTimestamp)?.getTime() ?? 0;
  return {
    name: a.AlarmName,
    state,
    since,
    reason: a.StateReason ?? '',
    ...(a.StateReasonData ? { reasonData: a.StateReasonData } : {}),
  };
}

function fromMetricAlarm(m: MetricAlarm): Alarm | undefined {
  const common = base(m);
  if (!common) return undefined;
  const metric: AlarmMetric | undefined = m.MetricName
    ? metricOf(m.Namespace, m.MetricName, m.Dimensions, m.Statistic ?? m.ExtendedStatistic, m.Period, m.Unit)
    : undefined;
  return {
    ...common,
    kind: 'metric',
    ...(metric ? { metric } : {}),
    ...(m.Metrics ? { queries: m.Metrics.map(queryOf) } : {}),
    ...(m.Threshold === undefined ? {} : { threshold: m.Threshold }),
    ...(m.ComparisonOperator ? { comparison: m.ComparisonOperator } : {}),
    ...(m.EvaluationPeriods === undefined ? {} : { evaluationPeriods: m.EvaluationPeriods }),
    ...(m.DatapointsToAlarm === undefined ? {} : { datapointsToAlarm: m.DatapointsToAlarm }),
  };
}

function fromCompositeAlarm(c: CompositeAlarm): Alarm | undefined {
  const common = base(c);
  if (!common) return undefined;
  return { ...common, kind: 'composite', ...(c.AlarmRule ? { rule: c.AlarmRule } : {}) };
}

function queryOf(q: MetricDataQuery): NonNullable<Alarm['queries']>[number] {
  const stat = q.MetricStat;
  const metric = stat?.Metric
    ? metricOf(stat.Metric.Namespace, stat.Metric.MetricName, stat.Metric.Dimensions, stat.Stat, stat.Period, stat.Unit)
    : undefined;
  return {
    id: q.Id ?? '',
    ...(q.Expression ? { expression: q.Expression } : {}),
    ...(q.Label ? { label: q.Label } : {}),
    ...(metric ? { metric } : {}),
    // AWS's default: a query returns data unless told not to.
    returnData: q.ReturnData !== false,
  };
}

function metricOf(
  namespace: string | undefined,
  name: string | undefined,
  dimensions: readonly Dimension[] | undefined,
  statistic: string | undefined,
  period: number | undefined,
  unit: string | undefined,
): AlarmMetric {
  const dims: Record<string, string> = {};
  for (const d of dimensions ?? []) if (d.Name && d.Value !== undefined) dims[d.Name] = d.Value;
  return {
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    dimensions: dims,
    ...(statistic ? { statistic } : {}),
    ...(period === undefined ? {} : { periodSeconds: period }),
    ...(unit ? { unit } : {}),
  };
}
