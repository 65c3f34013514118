/**
 * Why an alarm is in its state, in words an on-call engineer reads at a glance: the metric, its
 * statistic and period, the value observed and the threshold, from the alarm's configuration and
 * the datapoints CloudWatch attaches (StateReasonData). AWS's own sentence is the fallback.
 */
import type { Alarm } from './alarm.js';

const COMPARISONS: Readonly<Record<string, { words: string; breaches: (v: number, t: number) => boolean }>> = {
  GreaterThanThreshold: { words: 'above', breaches: (v, t) => v > t },
  GreaterThanOrEqualToThreshold: { words: 'at or above', breaches: (v, t) => v >= t },
  LessThanThreshold: { words: 'below', breaches: (v, t) => v < t },
  LessThanOrEqualToThreshold: { words: 'at or below', breaches: (v, t) => v <= t },
};

const STATISTICS: Readonly<Record<string, string>> = {
  Sum: 'sum',
  Average: 'average',
  Maximum: 'maximum',
  Minimum: 'minimum',
  SampleCount: 'count',
};

const UNITS: Readonly<Record<string, string>> = {
  Milliseconds: ' ms',
  Seconds: ' s',
  Microseconds: ' µs',
  Percent: '%',
  Bytes: ' bytes',
};

/** Lambda publishes these without a unit on the alarm; readers still want one. */
const KNOWN_UNITS: Readonly<Record<string, string>> = {
  'AWS/Lambda Duration': ' ms',
  'AWS/Lambda PostRuntimeExtensionsDuration': ' ms',
  'AWS/Lambda IteratorAge': ' ms',
};

const MAX_REASON = 300;
const MAX_SHOWN = 5;

interface ReasonData {
  readonly recentDatapoints?: readonly number[];
  readonly threshold?: number;
  readonly statistic?: string;
  readonly period?: number;
  readonly unit?: string;
  readonly triggeringAlarms?: readonly { readonly arn?: string; readonly state?: { readonly value?: string } }[];
}

/**
 * @example plainReason(errorsAlarm) === 'Errors (sum over 1 min) was 25, above the threshold of 10.'
 * @example plainReason(p99Alarm) ===
 *   'Duration (p99 over 1 min) was 1,450 ms, above the threshold of 1,000 ms (2 of the last 3 periods; recent values 800, 1,200, 1,450).'
 */
export function plainReason(alarm: Alarm): string {
  const data = parseReasonData(alarm.reasonData);
  if (alarm.kind === 'composite') return compositeReason(alarm, data);
  const comparison = alarm.comparison === undefined ? undefined : COMPARISONS[alarm.comparison];
  const observed = (data?.recentDatapoints ?? []).filter((v) => typeof v === 'number' && Number.isFinite(v));
  const threshold = data?.threshold ?? alarm.threshold;
  const latest = observed.at(-1);
  if (!comparison || latest === undefined || threshold === undefined || alarm.state === 'INSUFFICIENT_DATA') {
    return awsReason(alarm.reason);
  }
  const unit = unitOf(alarm, data);
  const not = alarm.state === 'OK' ? 'not ' : '';
  let text = `${describeMetric(alarm, data)} was ${formatNumber(latest)}${unit}, ${not}${comparison.words} the threshold of ${formatNumber(threshold)}${unit}`;
  if (observed.length > 1) {
    const breaching = observed.filter((v) => comparison.breaches(v, threshold)).length;
    const shown = observed.slice(-MAX_SHOWN).map(formatNumber).join(', ');
    text += ` (${breaching} of the last ${observed.length} periods; recent values ${shown})`;
  }
  return `${text}.`;
}

/** `Errors (sum over 1 min)`, or for metric math the label or expression of the query compared. */
function describeMetric(alarm: Alarm, data: ReasonData | undefined): string {
  const query = alarm.queries?.find((q) => q.returnData);
  const metric = alarm.metric ?? query?.metric;
  // The configuration first, the evaluation's record second: both say the same when both exist.
  const period = metric?.periodSeconds ?? alarm.queries?.find((q) => q.metric)?.metric?.periodSeconds ?? data?.period;
  const over = period === undefined ? '' : `over ${periodWords(period)}`;
  if (query && !query.metric) {
    const name = query.label ?? (query.expression ? `\`${query.expression}\`` : query.id);
    return over ? `${name} (${over})` : name;
  }
  const statistic = metric?.statistic ?? data?.statistic;
  const how = [statistic === undefined ? '' : (STATISTICS[statistic] ?? statistic), over].filter(Boolean).join(' ');
  const name = query?.label ?? metric?.name ?? alarm.name;
  return how ? `${name} (${how})` : name;
}

function unitOf(alarm: Alarm, data: ReasonData | undefined): string {
  const metric = alarm.metric ?? alarm.queries?.find((q) => q.returnData)?.metric;
  const unit = metric?.unit ?? data?.unit;
  if (unit !== undefined) return UNITS[unit] ?? '';
  return metric ? (KNOWN_UNITS[`${metric.namespace} ${metric.name}`] ?? '') : '';
}

function compositeReason(alarm: Alarm, data: ReasonData | undefined): string {
  const trigger = data?.triggeringAlarms?.[0];
  const child = trigger?.arn ? shortArn(trigger.arn) : undefined;
  if (child && trigger?.state?.value) {
    return `${child} went to ${trigger.state.value}, so the composite rule is ${alarm.state === 'ALARM' ? 'true' : 'false'}.`;
  }
  return awsReason(alarm.reason);
}

/** AWS's sentence, with ARNs shortened to alarm names and the most common wording made plain. */
function awsReason(reason: string): string {
  const missing =
    /no datapoints were received for (\d+) periods? and \d+ missing datapoints? (?:was|were) treated as \[(Breaching|NonBreaching)\]/.exec(
      reason,
    );
  if (missing) {
    const counts = missing[2] === 'Breaching' ? 'breaching' : 'not breaching';
    return `No data for ${missing[1]} period${missing[1] === '1' ? '' : 's'}; the alarm counts missing data as ${counts}.`;
  }
  const text = shortArn(reason).trim() || 'CloudWatch gave no reason.';
  return text.length <= MAX_REASON ? text : `${text.slice(0, MAX_REASON - 1)}…`;
}

function shortArn(text: string): string {
  return text.replace(/arn:aws[a-z-]*:cloudwatch:[a-z0-9-]*:\d{12}:alarm:/g, '');
}

function parseReasonData(text: string | undefined): ReasonData | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ReasonData) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seconds as people say a period.
 * @example periodWords(60) === '1 min'; periodWords(10) === '10 s'; periodWords(3600) === '1 h'
 */
export function periodWords(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * A measured value as people read it: whole numbers with separators, three significant digits otherwise.
 * @example formatNumber(1450) === '1,450'; formatNumber(0.01234) === '0.0123'; formatNumber(12.345) === '12.3'
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(Number(value.toPrecision(3)));
}
