import { beforeEach, describe, expect, it } from 'vitest';
import { BotError } from '../../../src/domain/errors.js';
import { alice, kit } from '../../fakes/kit.js';

let k: ReturnType<typeof kit>;
const prod = { fn: 'payments-api', alias: 'prod' };
const staging = { fn: 'payments-api', alias: 'staging' };

beforeEach(() => {
  k = kit();
  k.lambda.addFunction('payments-api', 5, { prod: { primary: '3' }, staging: { primary: '3' } });
  k.lambda.addFunction('orders-api', 2, { prod: { primary: '2' } });
});

async function requestPromote(): Promise<string> {
  const outcome = await k.release.promote(alice, prod, '4');
  if (outcome.kind !== 'approval-requested') throw new Error('expected an approval request');
  return outcome.id;
}

describe('HomeConsole.viewFor', () => {
  it('an approver other than the requester has the request to decide; the requester sees it waiting for others', async () => {
    const id = await requestPromote();
    const bob = await k.home.viewFor('U0BOB');
    expect(bob.toDecide.map((r) => r.id)).toEqual([id]);
    expect(bob.mine).toEqual([]);
    const own = await k.home.viewFor('U0ALICE');
    expect(own.toDecide).toEqual([]);
    expect(own.mine.map((r) => r.id)).toEqual([id]);
    // A responder is no approver; someone with no role decides nothing.
    expect((await k.home.viewFor('U0ONCALL')).toDecide).toEqual([]);
    expect((await k.home.viewFor('U0NOBODY')).toDecide).toEqual([]);
  });

  it('a decided or expired request waits for nobody', async () => {
    const id = await requestPromote();
    await k.actions['approval.approve']({ action: 'approval.approve', actor: 'U0BOB', value: id, requestId: 'c1' });
    expect((await k.home.viewFor('U0CAROL')).toDecide).toEqual([]);
    await requestPromote().catch(() => undefined);
    k.clock.advance(31 * 60_000);
    expect((await k.home.viewFor('U0CAROL')).toDecide).toEqual([]);
    expect((await k.home.viewFor('U0ALICE')).mine).toEqual([]);
  });

  it('approvers through a Slack user group count as approvers', async () => {
    const id = await requestPromote();
    k.directory.groups.set('S0DEPLOY', ['U0DAVE']);
    // S0DEPLOY is a deployers group: Dave may deploy, not approve.
    expect((await k.home.viewFor('U0DAVE')).toDecide).toEqual([]);
    expect((await k.home.viewFor('U0CAROL')).toDecide.map((r) => r.id)).toEqual([id]);
  });

  it('a rollout in flight: its step and alarms, with controls for deployers only', async () => {
    k.alarmSource.set('payments-staging-errors', staging, 'OK', k.clock.now().getTime());
    await k.rollouts.start(alice, {
      target: staging,
      version: '4',
      schedule: { steps: [10, 50, 100], everyMs: 60_000 },
      bakeMs: 0,
      judge: false,
    });
    await k.stepper.tick(async () => true);
    // The alarm fires; the stepper has not looked yet, so the rollout is still in flight.
    k.alarmSource.set('payments-staging-errors', staging, 'ALARM', k.clock.now().getTime());
    const deployer = await k.home.viewFor('U0ALICE');
    expect(deployer.inFlight).toHaveLength(1);
    expect(deployer.inFlight[0]).toMatchObject({
      mayControl: true,
      rollout: { plan: { fn: 'payments-api', alias: 'staging', canary: '4' } },
      alarms: [{ name: 'payments-staging-errors', state: 'ALARM' }],
    });
    expect((await k.home.viewFor('U0NOBODY')).inFlight[0]?.mayControl).toBe(false);
    const fleet = deployer.fleet.find((a) => a.alias === 'staging' && a.fn === 'payments-api');
    expect(fleet).toMatchObject({ inFlight: true, alarm: 'ALARM', alarming: ['payments-staging-errors'] });
  });

  it('the fleet: every policy alias, with traffic, freezes, changes outside the bot and the last change', async () => {
    await k.freezes.freeze(alice, { fn: 'orders-api' }, 'quarter end');
    await k.release.promote(alice, staging, '4');
    // Someone moves staging outside the bot after the bot set it.
    k.lambda.setAliasOutside('payments-api', 'staging', { primary: '5' });
    const facts = await k.home.viewFor('U0NOBODY');
    const byName = new Map(facts.fleet.map((a) => [`${a.fn}:${a.alias}`, a]));
    expect([...byName.keys()].sort()).toEqual(['orders-api:prod', 'payments-api:prod', 'payments-api:staging']);
    expect(byName.get('payments-api:prod')).toMatchObject({
      routing: { primary: '3' },
      protected: true,
      alarm: 'none',
    });
    expect(byName.get('orders-api:prod')?.frozen?.reason).toBe('quarter end');
    expect(byName.get('payments-api:staging')).toMatchObject({
      routing: { primary: '5' },
      outsideSince: expect.any(String),
      lastChangeAt: k.clock.now().toISOString(),
    });
    expect(facts.fleet.every((a) => a.where.region === 'us-east-1')).toBe(true);
  });

  it('the last changes: the newest 10 records across functions, newest first', async () => {
    for (let i = 0; i < 7; i++) {
      await k.freezes.freeze(alice, { fn: 'orders-api' }, `reason ${i}`);
      await k.freezes.unfreeze(alice, { fn: 'orders-api' });
    }
    await k.release.promote(alice, staging, '4');
    const { changes } = await k.home.viewFor('U0NOBODY');
    expect(changes).toHaveLength(10);
    expect(changes[0]?.action).toBe('promote');
    const ids = changes.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(changes.every((r) => r.result !== 'pending')).toBe(true);
  });

  it('an account AWS does not answer for is named, and the rest is still shown', async () => {
    k.lambda.failNext('ListAliases', new BotError('aws-unavailable', 'Lambda did not answer'));
    const facts = await k.home.viewFor('U0NOBODY');
    expect(facts.fleet).toHaveLength(3);
    expect(facts.fleet.filter((a) => a.unreadable === 'AWS did not answer').length).toBeGreaterThan(0);
    expect(facts.problems.join()).toMatch(/Lambda did not answer/);
    expect(facts.fleet.filter((a) => a.routing)).not.toHaveLength(0);
  });

  it('a break-glass change waits for a review by an approver other than the one who broke the glass', async () => {
    await k.breakglassStore.create({
      id: 'babcdefghijkmnpqr',
      fn: 'payments-api',
      alias: 'prod',
      action: 'promote',
      change: 'promote to v4',
      actor: 'U0BOB',
      reason: 'checkout down, approvers unreachable',
      bypassed: [],
      request: 'r-glass',
      at: k.clock.now().toISOString(),
      reviewDueAt: '2026-11-27T12:00:00.000Z',
      reminders: 0,
      messages: [],
      revision: 1,
    });
    expect((await k.home.viewFor('U0CAROL')).toReview.map((g) => g.id)).toEqual(['babcdefghijkmnpqr']);
    expect((await k.home.viewFor('U0BOB')).toReview).toEqual([]);
    expect((await k.home.viewFor('U0ALICE')).toReview).toEqual([]);
  });

  it('viewers of one version share one reading of AWS; a new version, or none, reads again', async () => {
    const reads = () => k.lambda.calls.filter((c) => c.op === 'ListAliases').length;
    const before = reads();
    await Promise.all(['U0BOB', 'U0CAROL', 'U0ALICE'].map((u) => k.home.viewFor(u, undefined, '7-0')));
    await k.home.viewFor('U0DAVE', undefined, '7-0');
    const once = reads() - before;
    expect(once).toBe(2); // one ListAliases a policy function, for four viewers
    await k.home.viewFor('U0BOB', undefined, '8-0');
    expect(reads() - before).toBe(2 * once);
    await k.home.viewFor('U0BOB');
    expect(reads() - before).toBe(3 * once);
    // The same version long after: read again, so what changes without a record is never older than 30 s.
    k.clock.advance(31_000);
    await k.home.viewFor('U0BOB', undefined, '8-0');
    expect(reads() - before).toBe(4 * once);
  });

  it('a shared reading still filters per person: the same version, each their own requests and buttons', async () => {
    const id = await requestPromote();
    const [bob, own] = await Promise.all([
      k.home.viewFor('U0BOB', undefined, '9-0'),
      k.home.viewFor('U0ALICE', undefined, '9-0'),
    ]);
    expect(bob.toDecide.map((r) => r.id)).toEqual([id]);
    expect(own.toDecide).toEqual([]);
    expect(own.mine.map((r) => r.id)).toEqual([id]);
  });

  it('carries the notice of a click on Home', async () => {
    expect((await k.home.viewFor('U0BOB', 'You approved.')).notice).toBe('You approved.');
  });
});
