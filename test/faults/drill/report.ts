/** A drill's findings (every check at once) and its figures in one line, as the fault tests print them. */
import { checkAnswers, checkCanaries, checkPeople, checkPublishes, settled } from './checks.js';
import { checkAlerts, checkChain, openIntents } from './log-checks.js';
import { type DrillRun, s, spread } from './run.js';
import type { DrillWorld } from './world.js';

/** What must be empty after a drill with REDIS_REPLICAS_ACK=1. */
export interface Problems {
  readonly answers: string[];
  readonly aliases: string[];
  readonly publishes: string[];
  readonly canaries: string[];
  readonly alerts: string[];
  readonly chain: string[];
  readonly openIntents: string[];
}

export const NONE: Problems = {
  answers: [],
  aliases: [],
  publishes: [],
  canaries: [],
  alerts: [],
  chain: [],
  openIntents: [],
};

export interface Findings {
  readonly problems: Problems;
  /** Records of the settler that AWS contradicts: the known gap, reported, not asserted. */
  readonly settler: string[];
  /** Commands refused during a failover or a moment after, by their owner's lock of a request caught in it. */
  readonly lateLocks: number;
}

export async function findingsOf(drill: DrillWorld, run: DrillRun): Promise<Findings> {
  const { records } = run;
  // A lock left by a request caught in a failover may refuse its owner while the failover lasts and
  // for a moment after the promotion: the drill's kills, or a promotion Sentinel made on its own.
  const failovers = [
    ...run.kills.map((k) => ({ from: k.promotedAt - k.promotionMs, to: k.promotedAt })),
    ...(run.switches ?? []).map((at) => ({ from: at, to: at })),
  ];
  const answers = checkAnswers(run.answers, records, failovers);
  const aliases = await checkPeople(drill, records);
  const canaries = await checkCanaries(drill, run.canaries, records);
  return {
    problems: {
      answers: answers.problems,
      aliases: aliases.problems,
      publishes: await checkPublishes(drill, records),
      canaries: canaries.problems,
      alerts: checkAlerts(drill).problems,
      chain: checkChain(run.verify, records, run.answers),
      openIntents: [...openIntents(records), ...run.settleWarnings],
    },
    settler: [...answers.settler, ...aliases.settler, ...canaries.settler],
    lateLocks: answers.lateLocks,
  };
}

/** The figures of a run, in one line. */
export function summary(drill: DrillWorld, run: DrillRun, findings: Findings): string {
  const promotion = spread(run.kills.map((k) => k.promotionMs));
  const served = spread(run.kills.map((k) => k.servedMs));
  const kinds = new Map<string, number>();
  for (const a of run.answers) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
  const victims = new Map<string, number>();
  for (const k of run.kills) victims.set(k.what, (victims.get(k.what) ?? 0) + 1);
  const alerts = checkAlerts(drill);
  const bySettler = run.records.filter(settled);
  const steps = run.records.filter((r) => r.action === 'canary.step' && r.result === 'ok').length;
  // Nothing outside the bot touches an alias in the drill: each such note is the bot's own change,
  // whose note in the alias memory (written after UpdateAlias, not waited for) a failover lost.
  const drift = run.records.filter((r) => r.detail.includes('changed outside the bot')).length;
  const switches = run.switches ? `; the sentinels switched the master ${run.switches.length} times` : '';
  const early = run.kills.filter((k) => k.promotionMs < drill.topology.downAfterMs).length;
  return [
    `${drill.topology.name}, REDIS_REPLICAS_ACK=${drill.ack}: ${run.kills.length} SIGKILLs`,
    `(${[...victims].map(([what, n]) => `${n} of ${what}`).join(', ')}${switches}) in ${run.seconds.toFixed(1)} s;`,
    `promoted after p50 ${s(promotion.p50)} / max ${s(promotion.max)}`,
    `(${early} sooner than the ${s(drill.topology.downAfterMs)} it takes to call a primary down: a failover the`,
    `topology started on its own was under way, the old primary still taking writes);`,
    `served again after the promotion p50 ${s(served.p50)} / max ${s(served.max)};`,
    `${run.answers.length} commands: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}`,
    `(${findings.lateLocks} refused for a moment by the owner's own lock);`,
    `${run.canaries.started.length} canaries started (${run.canaries.refused.length} starts refused), ${steps} step records;`,
    `${alerts.alerts} alerts and ${alerts.resolved} back-to-OK replies for ${run.alarm.raised} times in ALARM;`,
    `${run.records.length} audit records, ${bySettler.length} by the settler`,
    `(${bySettler.filter((r) => r.result === 'ok').length} ok), ${findings.settler.length} of them contradicted by AWS;`,
    `${drift} records say the alias was "changed outside the bot" (nothing outside it changed any);`,
    `audit verify: ${run.verify.out.trim()}`,
  ].join(' ');
}
