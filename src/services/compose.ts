/**
 * The service graph over the ports, built in one place: the composition root calls it with
 * Redis, AWS and Slack adapters; tests and benchmarks call it with fakes, so what they exercise
 * is wired exactly as production is.
 */
import type { ActionId, Click } from '../domain/actions.js';
import type { ArchiveLag } from '../domain/archive-plan.js';
import type { Fleet } from '../domain/fleet.js';
import type { Outcome } from '../domain/outcome.js';
import type { Policy } from '../domain/policy-model.js';
import type { Place } from '../domain/target.js';
import type {
  AlarmSource,
  AlertStore,
  AliasMemory,
  ApprovalStore,
  AuditLog,
  BreakGlassStore,
  Clock,
  Directory,
  FreezeStore,
  LambdaGateway,
  Locks,
  MetricSource,
  Notifier,
  OutsideStore,
  RolloutStore,
  TrailSource,
} from '../ports.js';
import { AlarmQueries } from './alarm-queries.js';
import { AlarmWatch, type SweepReport } from './alarm-watch.js';
import { AlertActions } from './alert-actions.js';
import { AlertContexts } from './alert-context.js';
import { AlertDelivery, type Fence } from './alert-delivery.js';
import { AliasChanger } from './alias-change.js';
import { ApprovalService } from './approvals.js';
import { BreakGlassService } from './breakglass.js';
import { type ArchivePorts, composeArchive } from './compose-archive.js';
import { composeHome } from './compose-home.js';
import { composeOutside } from './compose-outside.js';
import { FreezeService } from './freezes.js';
import { PolicyGate } from './gate.js';
import { GateEvidence } from './gate-evidence.js';
import type { HomeConsole } from './home.js';
import type { Services } from './index.js';
import { IntentSettler } from './intent-settler.js';
import { PromotionGates } from './promotion-gates.js';
import { PublishService } from './publish.js';
import { QueryService } from './queries.js';
import type { RecurringJob } from './recurring-job.js';
import { ReleaseService } from './release.js';
import { RolloutInterrupts } from './rollout-interrupts.js';
import { RolloutStepper } from './rollout-stepper.js';
import { RolloutService } from './rollouts.js';

/** What the services write to the log: structured fields first, as pino does. */
export interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ServicePorts {
  readonly policy: Policy;
  /** Every policy function's account, region and AWS name, built once from the policy (CONTRACT §9). */
  readonly fleet: Fleet;
  readonly clock: Clock;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly locks: Locks;
  readonly aliases: AliasMemory;
  readonly directory: Directory;
  readonly freezes: FreezeStore;
  readonly approvals: ApprovalStore;
  readonly rollouts: RolloutStore;
  readonly alerts: AlertStore;
  readonly alarms: AlarmSource;
  readonly metrics: MetricSource;
  readonly notifier: Notifier;
  /** Changes made outside the bot: what the watch knows and the alerts it raised (CONTRACT §10). */
  readonly outside: OutsideStore;
  /** Break-glass changes owed a review (CONTRACT §11). */
  readonly breakglass: BreakGlassStore;
  /** CloudTrail, for who made a change outside the bot. */
  readonly trail: TrailSource;
  /** A turn to call Lambda in a place for background work, not before a time if given (adapters/aws/pacer.ts). */
  readonly pace: (place: Place, notBefore?: Date) => Promise<void>;
  /** How long an alert message taken by a poller that lost its lease stays its own (longer than a Slack call). */
  readonly takeoverMs: number;
  readonly log: Log;
  /** The audit archive's store and Redis side (CONTRACT §14); without them (or `audit_archive`) nothing is archived. */
  readonly archive?: ArchivePorts;
}

export type ActionHandler = (click: Click) => Promise<Outcome | undefined>;

export interface Composition {
  readonly services: Services;
  readonly actions: Readonly<Record<ActionId, ActionHandler>>;
  /** Each person's App Home tab, as facts (CONTRACT §12). */
  readonly home: HomeConsole;
  /** What the watchers do to rollouts under way (wired to them here; exposed for tests). */
  readonly interrupts: RolloutInterrupts;
  readonly jobs: {
    readonly 'approval-sweeper': RecurringJob;
    readonly 'rollout-stepper': RecurringJob;
    /** Intents left without an outcome (a crash, a Redis failover), settled by reading AWS. */
    readonly 'intent-settler': RecurringJob;
    /** Changes made outside the bot: noticed, named, alerted, put back where the policy says. */
    readonly 'outside-watch': RecurringJob;
    /** Break-glass changes whose review is overdue: reminded, then daily. */
    readonly 'breakglass-reminder': RecurringJob;
    /** Its run answers what the poll did, for tests and benchmarks. */
    readonly 'alarm-poller': { readonly everyMs: number; run(fence: Fence): Promise<SweepReport> };
    /** The audit archive, when the policy has one: segments to the store, then trimming (CONTRACT §14). */
    readonly 'audit-archiver'?: RecurringJob;
  };
  /** The audit archive's lag as last measured, for /metrics. */
  archiveLag(): ArchiveLag | undefined;
  /** Stops the alarm poller's sending and waits for a message under way. */
  drain(): Promise<void>;
  /** Advice for /readyz that never makes the bot unready: places whose CloudTrail the bot may not read. */
  hints(): Readonly<Record<string, string>>;
}

export function composeServices(p: ServicePorts): Composition {
  const { policy, fleet, clock, lambda, audit, locks, aliases, notifier } = p;
  const warn = (message: string, fields: Readonly<Record<string, unknown>>) => p.log.warn(fields, message);
  const gate = new PolicyGate(policy, p.directory, audit, (fn) => p.freezes.list(fn));
  const changer = new AliasChanger({ lambda, audit, locks, aliases, clock });
  const alarmQueries = new AlarmQueries({ fleet, source: p.alarms });
  const alarmLookup = async (fn: string, alias: string) => (await alarmQueries.current(fn, alias)).lines;
  const evidence = new GateEvidence({ lambda, audit, alarms: alarmLookup });
  const gates = new PromotionGates({ fleet, policy, lambda, evidence, audit, clock });
  const breakGlass = new BreakGlassService({ fleet, policy, store: p.breakglass, gate, audit, notifier, clock, warn });
  const approvals = new ApprovalService({
    fleet,
    store: p.approvals,
    changer,
    gate,
    lambda,
    audit,
    notifier,
    clock,
    policy,
    gates,
  });
  const release = new ReleaseService({ fleet, gate, changer, audit, approvals, gates, breakGlass });

  const stepper = new RolloutStepper({
    fleet,
    lambda,
    changer,
    store: p.rollouts,
    audit,
    notifier,
    metrics: p.metrics,
    alarms: alarmLookup,
    clock,
    policy,
  });
  const rollouts = new RolloutService({
    fleet,
    gate,
    lambda,
    store: p.rollouts,
    audit,
    notifier,
    clock,
    policy,
    alarms: alarmLookup,
    approvals,
    stepper,
    gates,
    breakGlass,
  });
  const interrupts = new RolloutInterrupts({ store: p.rollouts, stepper, clock });
  approvals.handleRollouts(
    (request) => rollouts.approved(request),
    (request) => rollouts.unapproved(request),
  );

  const delivery = new AlertDelivery({ store: p.alerts, notifier, clock, takeoverMs: p.takeoverMs, warn });
  const contexts = new AlertContexts({ fleet, lambda, audit, aliases, release, policy });
  const watch = new AlarmWatch({
    fleet,
    source: p.alarms,
    store: p.alerts,
    contexts,
    delivery,
    audit,
    policy,
    clock,
    warn,
    onAlarm: (fn, alias, alarm) => interrupts.onAlarm(fn, alias, alarm),
  });
  const alertButtons = new AlertActions({ store: p.alerts, release, gate, audit, messages: delivery, clock });
  const pollEveryMs = policy.alarmPollIntervalMs;
  const settler = new IntentSettler({ fleet, lambda, audit, aliases, clock, warn });
  const outside = composeOutside(p, { changer, gate, interrupts, warn });
  const { actions: outsideActions, watch: outsideWatch, who: outsideWho } = outside;
  const archive = composeArchive(p);

  const home = composeHome(p, alarmQueries, gates);

  return {
    interrupts,
    home,
    services: {
      release,
      publish: new PublishService({
        fleet,
        gate,
        lambda,
        audit,
        locks,
        clock,
        maxWaitMs: 60_000,
        published: (fn, version) => p.outside.published(fn, version),
      }),
      queries: new QueryService({
        fleet,
        lambda,
        audit,
        aliases,
        freezes: p.freezes,
        approvals: p.approvals,
        rollouts: p.rollouts,
        policy,
      }),
      approvals,
      freezes: new FreezeService(fleet, gate, p.freezes, audit, clock),
      rollouts,
      alarms: alarmQueries,
      gates,
    },
    actions: {
      'approval.approve': (click) => approvals.approve(click),
      'approval.reject': (click) => approvals.reject(click),
      'rollout.pause': (click) => rollouts.click(click, 'pause'),
      'rollout.resume': (click) => rollouts.click(click, 'resume'),
      'rollout.abort': (click) => rollouts.click(click, 'abort'),
      'rollout.promote': (click) => rollouts.click(click, 'promote'),
      'alarm.rollback': (click) => alertButtons.rollback(click),
      'alarm.ack': (click) => alertButtons.acknowledge(click),
      'outside.revert': (click) => outsideActions.revertClick(click),
      'outside.accept': (click) => outsideActions.acceptClick(click),
      'breakglass.review': (click) => breakGlass.review(click),
    },
    jobs: {
      'approval-sweeper': { everyMs: 5_000, run: (fence) => approvals.sweep(() => fence.stillLeader()) },
      'rollout-stepper': { everyMs: 1_000, run: (fence) => stepper.tick(() => fence.stillLeader()) },
      'outside-watch': {
        everyMs: policy.watchIntervalMs,
        run: async (fence) => {
          const report = await outsideWatch.run(fence);
          const { identified } = await outsideWho.run(fence);
          if (report.changes + report.posted + identified > 0) p.log.info({ ...report, identified }, 'outside watch');
        },
      },
      'breakglass-reminder': {
        everyMs: 60_000,
        run: async (fence) => {
          const sent = await breakGlass.remind(() => fence.stillLeader());
          if (sent > 0) p.log.info({ sent }, 'break-glass review reminders');
        },
      },
      'intent-settler': {
        everyMs: 30_000,
        run: async (fence) => {
          const { settled } = await settler.run(() => fence.stillLeader());
          if (settled > 0) p.log.info({ settled }, 'intents settled by reading AWS');
        },
      },
      'alarm-poller': {
        everyMs: pollEveryMs,
        // Messages not sent within one interval wait for the next poll, so a storm never keeps the
        // leader from renewing its lease (three intervals long) between polls.
        run: async (fence) => {
          const report = await watch.sweep(fence, pollEveryMs);
          if (report.raised + report.reopened + report.resolved + report.noted + report.sent > 0 || report.lostLease)
            p.log.info(report, 'alarm poll');
          return report;
        },
      },
      ...(archive.job ? { 'audit-archiver': archive.job } : {}),
    },
    archiveLag: archive.lag,
    drain: () => watch.stop(),
    hints: () =>
      Object.fromEntries(
        [...outsideWho.denied].map(([place, since]) => [
          `cloudtrail:${place}`,
          `the bot may not read CloudTrail here (since ${since}): outside changes are alerted with identity unknown; grant cloudtrail:LookupEvents`,
        ]),
      ),
  };
}
