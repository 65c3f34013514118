/**
 * The buttons of an outside-change alert when clicks race (CONTRACT §10): each change is put back,
 * or accepted, once. Found end to end (test/e2e/outside-alerts.test.ts): a second Revert that read
 * the alert before the first one's decision was recorded put the alias "back" a second time.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutsideAlert, OutsideDecision } from '../../../src/domain/outside-alert.js';
import { alice, kit } from '../../fakes/kit.js';

let k: ReturnType<typeof kit>;
let alert: OutsideAlert;
const leader = async () => true;

beforeEach(async () => {
  k = kit();
  k.lambda.addFunction('orders-api', 3, { prod: { primary: '1' } });
  await k.watch.run(leader);
  await k.release.promote(alice, { fn: 'orders-api', alias: 'prod' }, '2');
  k.lambda.setAliasOutside('orders-api', 'prod', { primary: '3' });
  await k.watch.run(leader);
  const posted = k.notifier.posts.find((p) => p.notice.kind === 'outside-alert');
  if (!posted) throw new Error('no alert posted');
  alert = (posted.notice as { alert: OutsideAlert }).alert;
});

const click = (action: 'outside.revert' | 'outside.accept', actor: string, requestId: string) =>
  k.actions[action]({ action, value: alert.id, actor, requestId });

/** Holds the first decision recorded on the alert until `go()`; `reached` resolves when it is asked for. */
function holdFirstDecision() {
  const decide = k.outside.decide.bind(k.outside);
  let go = () => {};
  let reached = () => {};
  const released = new Promise<void>((resolve) => {
    go = resolve;
  });
  const asked = new Promise<void>((resolve) => {
    reached = resolve;
  });
  let first = true;
  k.outside.decide = async (id: string, decision: OutsideDecision) => {
    if (first) {
      first = false;
      reached();
      await released;
    }
    return decide(id, decision);
  };
  return { reached: asked, go };
}

const settled = (p: Promise<unknown>) =>
  p.then(
    () => 'done',
    (error: { code?: string }) => error.code,
  );

describe('clicks that race on one alert', () => {
  it('a second Revert while the first is being recorded changes nothing', async () => {
    const hold = holdFirstDecision();
    const first = click('outside.revert', 'U0ONCALL', 'r-1');
    await hold.reached;
    // The alias is back already; the first click's decision is not recorded yet.
    expect(k.lambda.alias('orders-api', 'prod').routing).toEqual({ primary: '2' });
    const second = await settled(click('outside.revert', 'U0ALICE', 'r-2'));
    hold.go();
    expect(await settled(first)).toBe('done');
    expect(second).toBe('busy');
    const reverts = k.audit.records.filter((r) => r.action === 'outside.revert');
    // The busy click is on the record as refused; the one revert made is pending then ok.
    expect(reverts.map((r) => [r.actor, r.result])).toEqual([
      ['U0ONCALL', 'pending'],
      ['U0ONCALL', 'ok'],
      ['U0ALICE', 'denied'],
    ]);
    await expect(click('outside.revert', 'U0ALICE', 'r-3')).rejects.toMatchObject({ code: 'already-decided' });
  });

  it('an Accept while a Revert is being recorded changes nothing, and the alert says it was put back', async () => {
    const hold = holdFirstDecision();
    const revert = click('outside.revert', 'U0ONCALL', 'r-1');
    await hold.reached;
    const accept = await settled(click('outside.accept', 'U0ALICE', 'r-2'));
    hold.go();
    await revert;
    expect(accept).toBe('busy');
    expect(k.audit.records.filter((r) => r.action === 'outside.accept').map((r) => [r.actor, r.result])).toEqual([
      ['U0ALICE', 'denied'],
    ]);
    const now = await k.outside.get(alert.id);
    expect(now?.reverted?.by).toBe('U0ONCALL');
    expect(now?.accepted).toBeUndefined();
    // What the bot knows of the alias is its revert, not the state accepted over it.
    expect((await k.aliases.recall('orders-api', 'prod')).written?.state.routing).toEqual({ primary: '2' });
  });
});
