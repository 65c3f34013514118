import { describe, expect, it } from 'vitest';
import type { ActionId } from '../../../src/domain/actions.js';
import { BotError } from '../../../src/domain/errors.js';
import { type AlarmRig, alarmRig, alice } from './alarm-rig.js';

const ordersProd = { fn: 'orders-api', alias: 'prod' };
const T0 = Date.parse('2026-11-26T13:00:00.000Z');
let clicks = 0;

/** orders-api:prod went 1 → 2 by Alice, then its errors alarm fired and the alert was posted. */
async function alerted() {
  const rig = alarmRig();
  await rig.release.promote(alice, ordersProd, '2');
  rig.source.set('orders-errors', ordersProd, 'ALARM', T0);
  const poller = rig.poller();
  await poller.sweep();
  const [alert] = rig.store.all();
  if (!alert) throw new Error('no alert');
  const click = (action: ActionId, actor: string, value = alert.id) =>
    action === 'alarm.rollback'
      ? poller.actions.rollback({ action, actor, value, requestId: `rq${++clicks}` })
      : poller.actions.acknowledge({ action, actor, value, requestId: `rq${++clicks}` });
  return { rig, alert, click };
}

async function refusal(promise: Promise<unknown>): Promise<BotError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BotError)) throw new Error(`expected a BotError, got ${String(error)}`);
  return error;
}

function message(rig: AlarmRig) {
  const [post] = rig.notifier.posts;
  if (!post) throw new Error('no message');
  return { post, alert: rig.alertOf(post.notice) };
}

describe('Roll back from the alert', () => {
  it('a responder rolls back through the release service; the message says who, to what, when', async () => {
    const { rig, click } = await alerted();
    expect(await click('alarm.rollback', 'U0ONCALL')).toBeUndefined();
    expect(rig.lambda.alias('orders-api', 'prod').routing).toEqual({ primary: '1' });
    const { post, alert } = message(rig);
    expect(post.updates).toBe(1);
    expect(alert.rolledBack).toEqual({
      by: 'U0ONCALL',
      at: rig.clock.now().toISOString(),
      to: '1',
      auditId: expect.any(String),
    });
    const rollback = rig.audit.records.filter((r) => r.action === 'rollback');
    expect(rollback.map((r) => r.result)).toEqual(['pending', 'ok']);
    expect(rollback[1]).toMatchObject({
      actor: 'U0ONCALL',
      function: 'orders-api',
      alias: 'prod',
      from: { version: '2' },
      to: { version: '1' },
      detail: 'rollback to v1; reason: alarm orders-errors',
    });
  });

  it('a second click changes nothing more, and says who did it', async () => {
    const { rig, click } = await alerted();
    await click('alarm.rollback', 'U0ONCALL');
    const updates = rig.lambda.calls.filter((c) => c.op === 'UpdateAlias').length;
    const error = await refusal(click('alarm.rollback', 'U0ALICE'));
    expect(error.code).toBe('already-decided');
    expect(error.message).toBe('orders-api:prod was already rolled back to v1 from this alert');
    expect(error.details).toEqual({ by: 'U0ONCALL' });
    expect(rig.lambda.calls.filter((c) => c.op === 'UpdateAlias')).toHaveLength(updates);
  });

  it('after someone rolled back with the slash command, the click changes nothing and says why', async () => {
    const { rig, click } = await alerted();
    await rig.release.rollback({ actor: 'U0BOB', request: 'r-bob' }, ordersProd, '1', 'by hand');
    const error = await refusal(click('alarm.rollback', 'U0ONCALL'));
    expect(error.code).toBe('already-decided');
    expect(error.message).toBe('orders-api:prod already serves v1 only');
  });

  it('an approver who is neither deployer nor responder is refused, and the refusal is audited', async () => {
    const { rig, click } = await alerted();
    const error = await refusal(click('alarm.rollback', 'U0CAROL'));
    expect(error.code).toBe('not-permitted');
    expect(error.message).toBe('only deployers and responders may roll back');
    expect(rig.lambda.alias('orders-api', 'prod').routing).toEqual({ primary: '2' });
    expect(rig.audit.records.at(-1)).toMatchObject({ actor: 'U0CAROL', action: 'rollback', result: 'denied' });
    expect(message(rig).post.updates).toBe(0);
  });

  it('a value the bot never issued is refused as an unknown button, and audited as denied', async () => {
    const { rig, click } = await alerted();
    const error = await refusal(click('alarm.rollback', 'U0ONCALL', "al'; DROP TABLE\u0000"));
    expect(error.code).toBe('unknown-button');
    expect(rig.audit.records.at(-1)).toMatchObject({
      actor: 'U0ONCALL',
      action: 'denied',
      result: 'denied',
      detail: 'alarm.rollback: no alert has the ID "al\'; DROP TABLE?"',
    });
    expect(rig.lambda.alias('orders-api', 'prod').routing).toEqual({ primary: '2' });
  });

  it('a resolved alert offers no rollback any more', async () => {
    const { rig, click } = await alerted();
    rig.source.set('orders-errors', ordersProd, 'OK', T0 + 60_000);
    await rig.poller().sweep();
    const error = await refusal(click('alarm.rollback', 'U0ONCALL'));
    expect(error.code).toBe('already-decided');
  });

  it('the rollback stands even when the message cannot be updated; then the clicker is told', async () => {
    const { rig, click } = await alerted();
    rig.notifier.messages.length = 0;
    const outcome = await click('alarm.rollback', 'U0ONCALL');
    expect(outcome).toMatchObject({ kind: 'alias-changed', action: 'rollback', after: { primary: '1' } });
  });
});

describe('Acknowledge', () => {
  it('a deployer acknowledges: audited, and the message says by whom', async () => {
    const { rig, alert, click } = await alerted();
    await click('alarm.ack', 'U0ALICE');
    expect(message(rig).alert.ack).toEqual({ by: 'U0ALICE', at: rig.clock.now().toISOString() });
    expect(rig.audit.records.at(-1)).toMatchObject({
      actor: 'U0ALICE',
      action: 'alarm.ack',
      function: 'orders-api',
      alias: 'prod',
      result: 'ok',
      detail: 'alarm orders-errors acknowledged',
    });
    expect((await rig.store.get(alert.id))?.ack?.by).toBe('U0ALICE');
  });

  it('twice: the second changes nothing, and says who acknowledged', async () => {
    const { click } = await alerted();
    await click('alarm.ack', 'U0ONCALL');
    const error = await refusal(click('alarm.ack', 'U0ALICE'));
    expect(error).toMatchObject({ code: 'already-decided', details: { by: 'U0ONCALL' } });
  });

  it('an approver-only user may not, and the refusal is audited as alarm.ack', async () => {
    const { rig, click } = await alerted();
    const error = await refusal(click('alarm.ack', 'U0CAROL'));
    expect(error).toMatchObject({
      code: 'not-permitted',
      message: 'only deployers and responders may acknowledge alerts',
    });
    expect(rig.audit.records.at(-1)).toMatchObject({ actor: 'U0CAROL', action: 'alarm.ack', result: 'denied' });
  });

  it('an acknowledged alert can still be rolled back', async () => {
    const { rig, click } = await alerted();
    await click('alarm.ack', 'U0ALICE');
    await click('alarm.rollback', 'U0ONCALL');
    expect(message(rig).alert).toMatchObject({ ack: { by: 'U0ALICE' }, rolledBack: { by: 'U0ONCALL', to: '1' } });
  });
});
