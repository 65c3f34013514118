/**
 * The alarm services wired over in-memory fakes, as the composition root wires them over Redis,
 * AWS and Slack: one "replica" per `poller()`, all sharing the same store, audit log and Lambda.
 */
import { parsePolicy } from '../../../src/config/policy.js';
import type { Alert } from '../../../src/domain/alert.js';
import type { Notice } from '../../../src/domain/notice.js';
import type { Policy } from '../../../src/domain/policy-model.js';
import { AlarmWatch } from '../../../src/services/alarm-watch.js';
import { AlertActions } from '../../../src/services/alert-actions.js';
import { AlertContexts } from '../../../src/services/alert-context.js';
import { AlertDelivery, type Fence } from '../../../src/services/alert-delivery.js';
import { AliasChanger } from '../../../src/services/alias-change.js';
import { ApprovalService } from '../../../src/services/approvals.js';
import { PolicyGate } from '../../../src/services/gate.js';
import { ReleaseService } from '../../../src/services/release.js';
import { FakeAlarmSource } from '../../fakes/fake-alarm-source.js';
import { FakeLambda } from '../../fakes/fake-lambda.js';
import { FakeNotifier } from '../../fakes/fake-notifier.js';
import { MemoryAlertStore } from '../../fakes/memory-alert-store.js';
import { MemoryAliasMemory } from '../../fakes/memory-alias-memory.js';
import { MemoryAuditLog } from '../../fakes/memory-audit-log.js';
import { MemoryLease } from '../../fakes/memory-lease.js';
import { MemoryLocks } from '../../fakes/memory-locks.js';
import { MemoryApprovalStore } from '../../fakes/memory-stores.js';
import { TestClock } from '../../fakes/test-clock.js';
import { TEST_POLICY } from '../../support/policy.js';

export const TAKEOVER_MS = 120_000;
export const INTERVAL_MS = 30_000;

export function testPolicy(): Policy {
  const parsed = parsePolicy(TEST_POLICY);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.policy;
}

export function alarmRig() {
  const clock = new TestClock('2026-11-26T14:00:00.000Z');
  const policy = testPolicy();
  const audit = new MemoryAuditLog(clock);
  const lambda = new FakeLambda();
  lambda.addFunction('payments-api', 4, {
    prod: { primary: '3' },
    staging: { primary: '3' },
    canary: { primary: '4' },
  });
  lambda.addFunction('orders-api', 3, { prod: { primary: '1' } });
  const aliases = new MemoryAliasMemory();
  const locks = new MemoryLocks(clock);
  const gate = new PolicyGate(policy, { groupsOf: async () => new Set() }, audit, async () => []);
  const changer = new AliasChanger({ lambda, audit, locks, aliases, clock });
  const notifier = new FakeNotifier();
  const approvals = new ApprovalService({
    store: new MemoryApprovalStore(),
    changer,
    gate,
    lambda,
    audit,
    notifier,
    clock,
    policy,
  });
  const release = new ReleaseService(gate, changer, audit, approvals);
  const store = new MemoryAlertStore();
  const source = new FakeAlarmSource();
  const lease = new MemoryLease(clock);
  const warnings: string[] = [];
  const warn = (message: string) => void warnings.push(message);

  /** One replica's poller; `fence()` takes the lease as the leader job would. */
  function poller(holder = 'a') {
    const delivery = new AlertDelivery({ store, notifier, clock, takeoverMs: TAKEOVER_MS, warn });
    const contexts = new AlertContexts({ lambda, audit, aliases, release, policy });
    const watch = new AlarmWatch({ source, store, contexts, delivery, audit, policy, clock, warn });
    const actions = new AlertActions({ store, release, gate, audit, messages: delivery, clock });
    const fence = async (): Promise<Fence> => {
      const token = await lease.acquire('alarm-poller', holder, 3 * INTERVAL_MS);
      if (token === undefined) throw new Error(`${holder} is not the leader`);
      return { token, stillLeader: () => lease.holds('alarm-poller', holder, token) };
    };
    const sweep = async (budgetMs = INTERVAL_MS) => watch.sweep(await fence(), budgetMs);
    return { watch, delivery, actions, fence, sweep };
  }

  /** The alert a message shows. */
  const alertOf = (notice: Notice): Alert => {
    if (notice.kind !== 'alarm-alert' && notice.kind !== 'alarm-resolved')
      throw new Error(`not an alert: ${notice.kind}`);
    return notice.alert;
  };

  return { clock, policy, audit, lambda, aliases, release, store, notifier, source, lease, warnings, poller, alertOf };
}

export type AlarmRig = ReturnType<typeof alarmRig>;

export const alice = { actor: 'U0ALICE', request: 'r-alice' };
