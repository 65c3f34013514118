/**
 * CloudWatch alarms as the bot sees them, and which function (and alias or version) each one is
 * about. The AWS adapter turns DescribeAlarms answers into `Alarm`s; everything here is pure.
 */
import type { Policy } from './policy-model.js';
import { type Place, placeKey, type Target } from './target.js';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One metric an alarm reads: a plain alarm's own, or one query's of a metric-math alarm. */
export interface AlarmMetric {
  readonly namespace?: string;
  readonly name?: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `p99`… */
  readonly statistic?: string;
  readonly periodSeconds?: number;
  readonly unit?: string;
}

/** A query of a metric-math alarm: a metric, or an expression over other queries. */
export interface MathQuery {
  readonly id: string;
  readonly expression?: string;
  readonly label?: string;
  readonly metric?: AlarmMetric;
  /** The one query whose value the alarm compares with its threshold. */
  readonly returnData: boolean;
}

export interface Alarm {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: AlarmStateValue;
  /**
   * When the state last changed value (epoch ms). With the state it names one transition: the
   * poller alerts once per (alarm, state, since).
   */
  readonly since: number;
  /** AWS's StateReason. */
  readonly reason: string;
  /** AWS's StateReasonData, a JSON text, when given. */
  readonly reasonData?: string;
  readonly metric?: AlarmMetric;
  readonly queries?: readonly MathQuery[];
  readonly threshold?: number;
  readonly comparison?: string;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  /** A composite alarm's rule. */
  readonly rule?: string;
}

/** What an alarm is about: always a function, and an alias or a version when its dimensions say. */
export interface AlarmSubject {
  /** The function's name in the bot (its policy key), whatever its name in AWS. */
  readonly fn: string;
  readonly alias?: string;
  readonly version?: string;
}

export interface WatchedAlarm {
  /** Unique across every account and region: what the bot records the alarm's states under. */
  readonly id: string;
  readonly place: Place;
  readonly alarm: Alarm;
  readonly subject: AlarmSubject;
}

/** What the poller looks for in one account and region, from the policy file. */
export interface WatchList {
  /** Function name in AWS → its name in the bot, for the policy functions there. */
  readonly functions: ReadonlyMap<string, string>;
  /** Alarm name → function (name in the bot), from `functions.F.alarms`; composite alarms are found only this way. */
  readonly named: ReadonlyMap<string, string>;
}

/** The watch list of the policy functions `targets` (those of one place). */
export function watchListOf(policy: Policy, targets: readonly Target[]): WatchList {
  const functions = new Map<string, string>();
  const named = new Map<string, string>();
  for (const t of targets) {
    functions.set(t.name, t.fn);
    for (const name of policy.functions.get(t.fn)?.alarms ?? []) if (!named.has(name)) named.set(name, t.fn);
  }
  return { functions, named };
}

/**
 * The name an alarm's states are recorded under. Alarm names are unique only within an account
 * and region; alarms of the bot's home place keep their bare name, as they had before the bot
 * knew accounts, so that an upgrade neither alerts them again nor orphans their open alerts.
 * @example alarmId(prodEu, home, 'p99') === '222222222222/eu-west-1/p99'
 */
export function alarmId(place: Place, home: Place, name: string): string {
  if (placeKey(place) === placeKey(home)) return name;
  return `${place.account.id ?? place.account.name}/${place.region}/${name}`;
}

const LAMBDA = 'AWS/Lambda';
const DIGITS = /^[0-9]+$/;

/**
 * The function an alarm belongs to, or undefined when the bot does not watch it. An alarm the
 * policy names belongs to that function; otherwise one whose metric (or any metric of a
 * metric-math alarm) is `AWS/Lambda` with a `FunctionName` of a policy function. The alias and
 * version come from the `Resource` (`fn:alias` or `fn:42`) and `ExecutedVersion` dimensions,
 * and only when the metrics agree on one.
 * @example subjectOf(errorsAlarm({ FunctionName: 'payments-api', Resource: 'payments-api:prod' }), watch)
 *   → { fn: 'payments-api', alias: 'prod' }
 */
export function subjectOf(alarm: Alarm, watch: WatchList): AlarmSubject | undefined {
  const metrics = alarm.metric ? [alarm.metric] : (alarm.queries ?? []).flatMap((q) => (q.metric ? [q.metric] : []));
  const lambda = metrics.filter((m) => m.namespace === LAMBDA && m.dimensions.FunctionName !== undefined);
  const named = watch.named.get(alarm.name);
  const found = lambda.map((m) => m.dimensions.FunctionName as string).find((name) => watch.functions.has(name));
  const fn = named ?? (found === undefined ? undefined : watch.functions.get(found));
  if (fn === undefined) return undefined;
  // Dimensions carry the name in AWS, which may differ from the name in the bot.
  const awsName = [...watch.functions].find(([, key]) => key === fn)?.[0] ?? fn;
  const aliases = new Set<string>();
  const versions = new Set<string>();
  for (const m of lambda) {
    if (m.dimensions.FunctionName !== awsName) continue;
    const resource = m.dimensions.Resource;
    if (resource?.startsWith(`${awsName}:`)) {
      const qualifier = resource.slice(awsName.length + 1);
      (DIGITS.test(qualifier) ? versions : aliases).add(qualifier);
    }
    if (m.dimensions.ExecutedVersion !== undefined) versions.add(m.dimensions.ExecutedVersion);
  }
  const [alias] = aliases.size === 1 ? aliases : [];
  const [version] = versions.size === 1 ? versions : [];
  return { fn, ...(alias ? { alias } : {}), ...(version ? { version } : {}) };
}
