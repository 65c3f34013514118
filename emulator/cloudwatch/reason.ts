import { isoWithOffset, javaDouble, reasonDate } from '../core/format.js';
import type { Datapoint, Verdict } from './evaluation.js';
import type { ComparisonOperator } from './model.js';

const PHRASES: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const wasWere = (n: number) => (n === 1 ? 'was' : 'were');

/** What the reason text needs to know about the alarm. */
export interface ReasonContext {
  comparison: ComparisonOperator;
  threshold: number;
  evaluationPeriods: number;
  /** Only set when the alarm was given DatapointsToAlarm; AWS then uses the "M out of the last N" wording. */
  datapointsToAlarm?: number;
  statistic: string;
  period: number;
  unit?: string;
  /** Evaluation time, epoch ms. */
  queryDate: number;
}

/**
 * The StateReason AWS writes for a metric alarm's state change, e.g. "Threshold Crossed: 1 out of the last 1
 * datapoints [25.0 (26/11/26 14:33:00)] was greater than the threshold (10.0) (minimum 1 datapoint for OK -> ALARM
 * transition)."
 */
export function reasonText(verdict: Verdict, ctx: ReasonContext): string {
  switch (verdict.kind) {
    case 'keep':
      return '';
    case 'insufficient':
      return `Insufficient Data: ${plural(verdict.missing.length, 'datapoint')} ${wasWere(verdict.missing.length)} unknown.`;
    case 'allMissing': {
      const n = verdict.missing.length;
      const treated = verdict.state === 'ALARM' ? 'Breaching' : 'NonBreaching';
      return `Threshold Crossed: no datapoints were received for ${plural(n, 'period')} and ${plural(n, 'missing datapoint')} ${wasWere(n)} treated as [${treated}].`;
    }
    case 'threshold': {
      const list = verdict.shown.map((d) => `${javaDouble(d.value as number)} (${reasonDate(d.timestamp * 1000)})`);
      const phrase = `${verdict.state === 'OK' ? 'not ' : ''}${PHRASES[ctx.comparison]} the threshold (${javaDouble(ctx.threshold)})`;
      const verb = wasWere(verdict.count);
      if (ctx.datapointsToAlarm === undefined) {
        return `Threshold Crossed: ${plural(verdict.count, 'datapoint')} [${list.join(', ')}] ${verb} ${phrase}.`;
      }
      const n = ctx.evaluationPeriods;
      const minimum =
        verdict.state === 'ALARM'
          ? `minimum ${plural(ctx.datapointsToAlarm, 'datapoint')} for OK -> ALARM transition`
          : `minimum ${plural(n - ctx.datapointsToAlarm + 1, 'datapoint')} for ALARM -> OK transition`;
      return `Threshold Crossed: ${verdict.count} out of the last ${n} datapoints [${list.join(', ')}] ${verb} ${phrase} (${minimum}).`;
    }
  }
}

/** The StateReasonData JSON AWS attaches, numbers written as Java doubles like AWS's (`2.0`, not `2`). */
export function reasonData(verdict: Verdict, ctx: ReasonContext): string {
  const considered = verdict.kind === 'threshold' ? verdict.considered : [];
  const evaluated: Datapoint[] =
    verdict.kind === 'threshold' ? verdict.considered : verdict.kind === 'keep' ? [] : verdict.missing;
  const oldest = considered[considered.length - 1];
  const parts = [`"version":"1.0"`, `"queryDate":"${isoWithOffset(ctx.queryDate)}"`];
  if (oldest) parts.push(`"startDate":"${isoWithOffset(oldest.timestamp * 1000)}"`);
  if (ctx.unit) parts.push(`"unit":${JSON.stringify(ctx.unit)}`);
  parts.push(`"statistic":${JSON.stringify(ctx.statistic)}`, `"period":${ctx.period}`);
  const recent = [...considered].reverse().map((d) => javaDouble(d.value as number));
  parts.push(`"recentDatapoints":[${recent.join(',')}]`, `"threshold":${javaDouble(ctx.threshold)}`);
  const items = evaluated.map((d) => {
    const ts = `"timestamp":"${isoWithOffset(d.timestamp * 1000)}"`;
    if (d.value === undefined) return `{${ts}}`;
    return `{${ts},"sampleCount":${javaDouble(d.sampleCount ?? 1)},"value":${javaDouble(d.value)}}`;
  });
  parts.push(`"evaluatedDatapoints":[${items.join(',')}]`);
  return `{${parts.join(',')}}`;
}
