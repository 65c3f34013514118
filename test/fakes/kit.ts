/**
 * The services over in-memory fakes, wired as src/main.ts wires them over Redis, AWS and Slack:
 * service tests exercise the real logic with no network and a clock they control.
 */
import { parsePolicy } from '../../src/config/policy.js';
import type { Policy } from '../../src/domain/policy-model.js';
import type { Directory } from '../../src/ports.js';
import { AliasChanger } from '../../src/services/alias-change.js';
import { ApprovalService } from '../../src/services/approvals.js';
import { FreezeService } from '../../src/services/freezes.js';
import { PolicyGate } from '../../src/services/gate.js';
import { PublishService } from '../../src/services/publish.js';
import { QueryService } from '../../src/services/queries.js';
import { ReleaseService } from '../../src/services/release.js';
import { RolloutStepper } from '../../src/services/rollout-stepper.js';
import { RolloutService } from '../../src/services/rollouts.js';
import { TEST_POLICY } from '../support/policy.js';
import { FakeLambda } from './fake-lambda.js';
import { FakeMetrics } from './fake-metrics.js';
import { FakeNotifier } from './fake-notifier.js';
import { MemoryAliasMemory } from './memory-alias-memory.js';
import { MemoryAuditLog } from './memory-audit-log.js';
import { MemoryLocks } from './memory-locks.js';
import { MemoryApprovalStore, MemoryFreezeStore, MemoryRolloutStore } from './memory-stores.js';
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

export function kit(policy = testPolicy()) {
  const clock = new TestClock('2026-11-26T12:00:00.000Z');
  const lambda = new FakeLambda();
  const audit = new MemoryAuditLog(clock);
  const locks = new MemoryLocks(clock);
  const aliases = new MemoryAliasMemory();
  const directory = new FakeDirectory();
  const freezeStore = new MemoryFreezeStore();
  const approvalStore = new MemoryApprovalStore();
  const notifier = new FakeNotifier();
  const gate = new PolicyGate(policy, directory, audit, (fn) => freezeStore.list(fn));
  const changer = new AliasChanger({ lambda, audit, locks, aliases, clock });
  const approvals = new ApprovalService({
    store: approvalStore,
    changer,
    gate,
    lambda,
    audit,
    notifier,
    clock,
    policy,
  });
  const rolloutStore = new MemoryRolloutStore();
  const metrics = new FakeMetrics();
  const alarmStates = new Map<string, { name: string; state: string }[]>();
  const alarms = async (fn: string, alias: string) => alarmStates.get(`${fn}:${alias}`) ?? [];
  const stepper = new RolloutStepper({
    lambda,
    changer,
    store: rolloutStore,
    audit,
    notifier,
    metrics,
    alarms,
    clock,
    policy,
  });
  const rollouts = new RolloutService({
    gate,
    lambda,
    store: rolloutStore,
    audit,
    notifier,
    clock,
    policy,
    alarms,
    approvals,
    stepper,
  });
  approvals.handleRollouts((request) => rollouts.approved(request));
  return {
    rolloutStore,
    metrics,
    alarmStates,
    stepper,
    rollouts,
    clock,
    lambda,
    audit,
    locks,
    aliases,
    directory,
    freezeStore,
    approvalStore,
    notifier,
    gate,
    changer,
    approvals,
    release: new ReleaseService(gate, changer, audit, approvals),
    publish: new PublishService({ gate, lambda, audit, locks, clock, maxWaitMs: 60_000 }),
    queries: new QueryService({
      lambda,
      audit,
      aliases,
      freezes: freezeStore,
      approvals: approvalStore,
      rollouts: rolloutStore,
      policy,
    }),
    freezes: new FreezeService(gate, freezeStore, audit, clock),
  };
}

export const alice = { actor: 'U0ALICE', request: 'r-alice', channel: 'C0DEPLOY' };
export const oncall = { actor: 'U0ONCALL', request: 'r-oncall' };
export const carol = { actor: 'U0CAROL', request: 'r-carol' };
