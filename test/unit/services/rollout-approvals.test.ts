import { describe, expect, it } from 'vitest';
import { k, leader, live, prod, startCanary, updates, useRolloutKit } from './rollout-fixture.js';

useRolloutKit();

describe('protected aliases', () => {
  it('the plan is what gets approved; approval starts it', async () => {
    const asked = await startCanary({ target: prod });
    if (asked.kind !== 'approval-requested') throw new Error('expected an approval request');
    await k.stepper.tick(leader);
    expect(updates()).toBe(0);
    await k.approvals.approve({ action: 'approval.approve', actor: 'U0BOB', value: asked.id, requestId: 'c' });
    await k.stepper.tick(leader);
    expect(k.lambda.alias('payments-api', 'prod').routing).toEqual({
      primary: '3',
      additional: { version: '4', weight: 0.1 },
    });
    expect((await live()).approvedBy).toEqual(['U0BOB']);
  });

  it('an alias changed before approval: the request goes stale and the rollout never starts', async () => {
    const asked = await startCanary({ target: prod });
    if (asked.kind !== 'approval-requested') throw new Error('expected an approval request');
    k.lambda.setAliasOutside('payments-api', 'prod', { primary: '2' });
    const note = await k.approvals.approve({
      action: 'approval.approve',
      actor: 'U0BOB',
      value: asked.id,
      requestId: 'c',
    });
    expect(note.kind === 'note' && note.text).toMatch(/stale/);
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(updates()).toBe(0);
  });
});

describe('a rollout whose approval ends without it', () => {
  async function asked() {
    const a = await startCanary({ target: prod });
    if (a.kind !== 'approval-requested') throw new Error('expected an approval request');
    expect(await k.rolloutStore.live()).toHaveLength(1);
    return a;
  }
  const canaryAgain = () => startCanary({ target: prod });

  it('rejected: the planned rollout ends, and a new canary may be asked for', async () => {
    const a = await asked();
    await k.approvals.reject({ action: 'approval.reject', actor: 'U0BOB', value: a.id, requestId: 'c' });
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(await canaryAgain()).toMatchObject({ kind: 'approval-requested' });
  });

  it('withdrawn by the requester: the planned rollout ends', async () => {
    const a = await asked();
    await k.approvals.reject({ action: 'approval.reject', actor: 'U0ALICE', value: a.id, requestId: 'c' });
    expect(await k.rolloutStore.live()).toEqual([]);
  });

  it('expired (by the sweeper, or by a late click): the planned rollout ends', async () => {
    const swept = await asked();
    k.clock.advance(31 * 60_000);
    await k.sweeper.sweep(leader);
    expect((await k.approvalStore.get(swept.id))?.status).toBe('expired');
    expect(await k.rolloutStore.live()).toEqual([]);

    const clicked = await canaryAgain();
    if (clicked.kind !== 'approval-requested') throw new Error('expected an approval request');
    k.clock.advance(31 * 60_000);
    await expect(
      k.approvals.approve({ action: 'approval.approve', actor: 'U0BOB', value: clicked.id, requestId: 'c' }),
    ).rejects.toMatchObject({ code: 'already-decided' });
    expect(await k.rolloutStore.live()).toEqual([]);
    expect(updates()).toBe(0);
  });

  it('the request cannot be posted: the planned rollout ends with it', async () => {
    k.notifier.failNextPosts(1);
    await expect(canaryAgain()).rejects.toThrow();
    expect(await k.rolloutStore.live()).toEqual([]);
  });
});
