/**
 * The services over in-memory fakes, composed by the same `composeServices` that src/main.ts
 * calls with Redis, AWS and Slack: service tests exercise the real wiring with no network and
 * a clock they control.
 */
import { parsePolicy } from '../../src/config/policy.js';
import { Fleet } from '../../src/domain/fleet.js';
import type { Policy } from '../../src/domain/policy-model.js';
import type { Place } from '../../src/domain/target.js';
import type { Directory } from '../../src/ports.js';
import { composeServices } from '../../src/services/compose.js';
import { TEST_POLICY } from '../support/policy.js';
import { FakeAlarmSource } from './fake-alarm-source.js';
import { FakeLambda } from './fake-lambda.js';
import { FakeMetrics } from './fake-metrics.js';
import { FakeNotifier } from './fake-notifier.js';
import { FakeTrail } from './fake-trail.js';
import { MemoryAlertStore } from './memory-alert-store.js';
import { MemoryAliasMemory } from './memory-alias-memory.js';
import { MemoryAuditLog } from './memory-audit-log.js';
import { MemoryLocks } from './memory-locks.js';
import { MemoryOutsideStore } from './memory-outside-store.js';
import { MemoryApprovalStore, MemoryBreakGlassStore, MemoryFreezeStore, MemoryRolloutStore } from './memory-stores.js';
import { TestClock } from './test-clock.js';

/** User groups as Slack would answer them. */
export class FakeDirectory implements Directory {
  readonly groups = new Map<string, string[]>();

  async groupsOf(user: string, groups: readonly string[]): Promise<ReadonlySet<string>> {
    return new Set(groups.filter((g) => this.groups.get(g)?.includes(user)));
  }
}

export function testPolicy(yaml = TEST_POLICY): Policy {
  const parsed = parsePolicy(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.policy;
}

export interface KitOptions {
  /** The turn to call Lambda for background work; by default at once (the fake Lambda has no rate to respect). */
  readonly pace?: (place: Place, notBefore?: Date) => Promise<void>;
}

export function kit(policy = testPolicy(), start = '2026-11-26T12:00:00.000Z', options: KitOptions = {}) {
  const clock = new TestClock(start);
  const ports = {
    policy,
    fleet: testFleet(policy),
    clock,
    lambda: new FakeLambda(),
    audit: new MemoryAuditLog(clock),
    locks: new MemoryLocks(clock),
    aliases: new MemoryAliasMemory(),
    directory: new FakeDirectory(),
    freezes: new MemoryFreezeStore(),
    approvals: new MemoryApprovalStore(),
    rollouts: new MemoryRolloutStore(),
    alerts: new MemoryAlertStore(),
    alarms: new FakeAlarmSource(),
    metrics: new FakeMetrics(),
    notifier: new FakeNotifier(),
    outside: new MemoryOutsideStore(),
    breakglass: new MemoryBreakGlassStore(),
    trail: new FakeTrail(),
    pace: options.pace ?? (async () => {}),
    takeoverMs: 120_000,
    log: { info: () => {}, warn: () => {} },
  };
  const { services, jobs, actions, interrupts, home } = composeServices(ports);
  const fence = (stillLeader: () => Promise<boolean>) => ({ token: 1, stillLeader });
  return {
    ...services,
    clock,
    lambda: ports.lambda,
    audit: ports.audit,
    locks: ports.locks,
    aliases: ports.aliases,
    directory: ports.directory,
    freezeStore: ports.freezes,
    approvalStore: ports.approvals,
    rolloutStore: ports.rollouts,
    fleet: ports.fleet,
    /** The buttons, as the action listener calls them. */
    actions,
    interrupts,
    /** Each person's Home tab, as facts. */
    home,
    alarmSource: ports.alarms,
    alertStore: ports.alerts,
    metrics: ports.metrics,
    notifier: ports.notifier,
    /** The jobs, as the leader runs them. */
    stepper: { tick: (stillLeader: () => Promise<boolean>) => jobs['rollout-stepper'].run(fence(stillLeader)) },
    sweeper: { sweep: (stillLeader: () => Promise<boolean>) => jobs['approval-sweeper'].run(fence(stillLeader)) },
    settler: { run: (stillLeader: () => Promise<boolean>) => jobs['intent-settler'].run(fence(stillLeader)) },
    watch: { run: (stillLeader: () => Promise<boolean>) => jobs['outside-watch'].run(fence(stillLeader)) },
    poller: { run: (stillLeader: () => Promise<boolean>) => jobs['alarm-poller'].run(fence(stillLeader)) },
    outside: ports.outside,
    trail: ports.trail,
    breakglassStore: ports.breakglass,
    reminder: { run: (stillLeader: () => Promise<boolean>) => jobs['breakglass-reminder'].run(fence(stillLeader)) },
  };
}

/** The test fleet: the bot's own account 123456789012, home region us-east-1 (as FakeLambda's ARNs say). */
export function testFleet(policy: Policy): Fleet {
  return new Fleet(policy, { region: 'us-east-1', accountId: '123456789012' });
}

export const alice = { actor: 'U0ALICE', request: 'r-alice', channel: 'C0DEPLOY' };
export const oncall = { actor: 'U0ONCALL', request: 'r-oncall' };
export const carol = { actor: 'U0CAROL', request: 'r-carol' };
