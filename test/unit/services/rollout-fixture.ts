/**
 * The rollout tests' world: services over fakes with one function (payments-api, prod and staging
 * on v3), and the helpers the rollout tests share. `k` is a live binding, renewed before each test.
 */
import { beforeEach } from 'vitest';
import type { Rollout } from '../../../src/domain/rollout.js';
import { alice, kit } from '../../fakes/kit.js';

export let k: ReturnType<typeof kit>;
export const staging = { fn: 'payments-api', alias: 'staging' };
export const prod = { fn: 'payments-api', alias: 'prod' };
export const leader = async () => true;
export const schedule = { steps: [10, 50, 100], everyMs: 60_000 };

/** Call once at the top of a test file: a fresh kit before each test. */
export function useRolloutKit(): void {
  beforeEach(() => {
    k = kit();
    k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
  });
}

/** The rollout behind the (first) progress message, whatever its phase. */
export async function posted(): Promise<Rollout | undefined> {
  const notice = k.notifier.in('C0DEPLOY', 'rollout')[0]?.notice;
  return notice?.kind === 'rollout' ? k.rolloutStore.get(notice.rollout.id) : undefined;
}

export async function live(): Promise<Rollout> {
  const [r] = await k.rolloutStore.live();
  if (!r) throw new Error('no live rollout');
  return r;
}

export async function startCanary(extra: { judge?: boolean; bakeMs?: number; target?: typeof staging } = {}) {
  return k.rollouts.start(alice, {
    target: extra.target ?? staging,
    version: '4',
    schedule,
    bakeMs: extra.bakeMs ?? 0,
    judge: extra.judge ?? false,
  });
}

export const updates = () => k.lambda.calls.filter((c) => c.op === 'UpdateAlias').length;
export const actions = () =>
  k.audit.records.filter((r) => r.result !== 'pending').map((r) => `${r.action}:${r.result}`);
