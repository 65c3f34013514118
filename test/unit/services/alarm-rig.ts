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
import { PolicyGate } from '../../../src/services/gate.js';
import { kit } from '../../fakes/kit.js';
import { MemoryLease } from '../../fakes/memory-lease.js';
import { TEST_POLICY } from '../../support/policy.js';

export const TAKEOVER_MS = 120_000;
export const INTERVAL_MS = 30_000;

export function testPolicy(): Policy {
  const parsed = parsePolicy(TEST_POLICY);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.policy;
}

export function alarmRig() {
  const policy = testPolicy();
  const k = kit(policy, '2026-11-26T14:00:00.000Z');
  const { clock, audit, lambda, aliases, release, notifier } = k;
  lambda.addFunction('payments-api', 4, {
    prod: { primary: '3' },
    staging: { primary: '3' },
    canary: { primary: '4' },
  });
  lambda.addFunction('orders-api', 3, { prod: { primary: '1' } });
  const gate = new PolicyGate(policy, { groupsOf: async () => new Set() }, audit, async () => []);
  const store = k.alertStore;
  const source = k.alarmSource;
  const lease = new MemoryLease(clock);
  const warnings: string[] = [];
  const warn = (message: string) => void warnings.push(message);
  /** What the pollers told the rollouts: `fn:alias alarm`, once per return to ALARM. */
  const told: string[] = [];
  const onAlarm = async (fn: string, alias: string | undefined, alarm: string) => {
    told.push(`${fn}:${alias} ${alarm}`);
    return [];
  };

  /** One replica's poller; `fence()` takes the lease as the leader job would. */
  function poller(holder = 'a') {
    const delivery = new AlertDelivery({ store, notifier, clock, takeoverMs: TAKEOVER_MS, warn });
    const contexts = new AlertContexts({ fleet: k.fleet, lambda, audit, aliases, release, policy });
    const deps = { fleet: k.fleet, source, store, contexts, delivery, audit, policy, clock, warn, onAlarm };
    const watch = new AlarmWatch(deps);
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
    if (notice.kind !== 'alarm-alert' && notice.kind !== 'alarm-thread')
      throw new Error(`not an alert: ${notice.kind}`);
    return notice.alert;
  };

  return {
    clock,
    policy,
    audit,
    lambda,
    aliases,
    release,
    store,
    notifier,
    source,
    lease,
    warnings,
    told,
    poller,
    alertOf,
  };
}

export type AlarmRig = ReturnType<typeof alarmRig>;

export const alice = { actor: 'U0ALICE', request: 'r-alice' };
