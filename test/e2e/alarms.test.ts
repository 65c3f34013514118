import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import {
  type AlarmWorld,
  buttonsOf,
  buttonValue,
  POLL_MS,
  shown,
  startAlarmWorld,
  until,
} from '../support/alarm-world.js';
import { putLambdaAlarm, setAlarm } from '../support/alarms.js';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { textOf } from '../support/world.js';

/**
 * Alarm alerts end to end: the bot as a process polling the emulator every 5 s, alerts posted to
 * the fake Slack, buttons clicked with signed requests, the audit log read with the CLI. The
 * tests run in order and share one world, as an incident would unfold.
 */
let world: AlarmWorld;
let ordersAlert: PostedMessage;
let paymentsAlert: PostedMessage;

async function audit(action: string): Promise<AuditRecord[]> {
  return (await auditExport(world.prefix)).filter((r) => r.action === action);
}

beforeAll(async () => {
  world = await startAlarmWorld();
  await putLambdaAlarm(world.cloudwatch, 'orders-errors', { fn: 'orders-api', alias: 'prod' });
  await putLambdaAlarm(world.cloudwatch, 'orders-throttles', { fn: 'orders-api', alias: 'prod', metric: 'Throttles' });
  await putLambdaAlarm(world.cloudwatch, 'payments-errors', { fn: 'payments-api' });
  // The release the alarms will be about: orders-api:prod 1 → 2, payments-api:staging 3 → 4.
  await (await world.command('promote orders-api:prod 2')).response();
  await (await world.command('promote payments-api:staging 4')).response();
  // The bot has seen the alarms (INSUFFICIENT_DATA) before they move.
  const seen = redisKeys(world.prefix).alarmSeen;
  await until(async () => ((await world.redis.hlen(seen)) === 3 ? true : undefined), 3 * POLL_MS, 'the alarms seen');
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('an alarm goes into ALARM', () => {
  it('posts one alert per alarm, in the function’s channel, with the release behind it and the buttons', async () => {
    await world.tick();
    await setAlarm(world.cloudwatch, 'orders-errors', 'ALARM');
    await setAlarm(world.cloudwatch, 'payments-errors', 'ALARM');
    const started = Date.now();
    ordersAlert = await world.alert('C0ALERTS', 'orders-errors');
    paymentsAlert = await world.alert('C0PAYMENTS', 'payments-errors');
    expect(Date.now() - started).toBeLessThan(POLL_MS + 2000);

    const orders = shown(ordersAlert);
    expect(orders).toContain('Errors (sum over 1 min) was 25, above the threshold of 10.');
    expect(orders).toContain('██████████ 100% v2');
    expect(orders).toContain('promote by <@U0ALICE>');
    expect(orders).toContain('100% v1 → 100% v2');
    expect(buttonsOf(ordersAlert)).toEqual([
      expect.objectContaining({
        action_id: 'alarm.rollback',
        text: expect.objectContaining({ text: 'Roll back to v1' }),
        style: 'danger',
      }),
      expect.objectContaining({ action_id: 'alarm.ack' }),
    ]);
    // payments-errors names no alias: the bot picks staging, the alias changed last, and says so.
    expect(shown(paymentsAlert)).toContain('this is staging, the alias of payments-api changed last');
    expect(buttonsOf(paymentsAlert)[0]?.text.text).toBe('Roll back to v3');

    const alerts = await audit('alarm.alert');
    expect(alerts.map((r) => [r.actor, r.function, r.alias])).toEqual(
      expect.arrayContaining([
        ['system', 'orders-api', 'prod'],
        ['system', 'payments-api', 'staging'],
      ]),
    );
    expect(alerts.find((r) => r.function === 'orders-api')?.detail).toBe(
      'alarm orders-errors: Errors (sum over 1 min) was 25, above the threshold of 10.',
    );
  });

  it('`alarms` and `status` show the states', async () => {
    const alarms = textOf(await (await world.command('alarms orders-api', 'U0CAROL')).response());
    expect(alarms).toContain('1 in ALARM · 1 with insufficient data');
    expect(alarms).toContain('`orders-errors` (prod) *ALARM*');
    const status = textOf(await (await world.command('status orders-api:prod', 'U0CAROL')).response());
    expect(status).toContain('*Alarms*: 1 in ALARM');
  });
});

describe('the buttons', () => {
  let rollbackValue: string;

  it('a value the bot never issued is refused, and the refusal audited', async () => {
    const reply = await (await world.click(ordersAlert, 'alarm.rollback', 'U0ONCALL', 'alnotanalertidxxxx')).reply();
    expect(textOf(reply)).toMatch(/not one the bot knows.*Nothing was changed/);
    const denied = (await audit('denied')).at(-1);
    expect(denied).toMatchObject({
      actor: 'U0ONCALL',
      result: 'denied',
      detail: expect.stringContaining('alnotanalertidxxxx'),
    });
  });

  it('an approver who is neither deployer nor responder cannot roll back', async () => {
    const reply = await (await world.click(ordersAlert, 'alarm.rollback', 'U0CAROL')).reply();
    expect(textOf(reply)).toContain('only deployers and responders may roll back');
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '2' });
  });

  it('a responder rolls back: the alias goes back, the alert says who, to what and when, and the buttons go', async () => {
    const before = ordersAlert.updates;
    rollbackValue = buttonValue(ordersAlert, 'alarm.rollback');
    await world.click(ordersAlert, 'alarm.rollback', 'U0ONCALL');
    // The click is acknowledged at once; the rollback and the update follow.
    await until(() => (ordersAlert.updates > before ? true : undefined), 5000, 'the alert updated');
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '1' });
    expect(shown(ordersAlert)).toMatch(/<@U0ONCALL> rolled back \*orders-api:prod\* to v1 <!date/);
    expect(buttonsOf(ordersAlert)).toEqual([]);
    const rollback = (await audit('rollback')).filter((r) => r.actor === 'U0ONCALL');
    expect(rollback.map((r) => r.result)).toEqual(['pending', 'ok']);
    expect(rollback[1]).toMatchObject({
      function: 'orders-api',
      alias: 'prod',
      from: { version: '2' },
      to: { version: '1' },
      detail: 'rollback to v1; reason: alarm orders-errors',
    });
  });

  it('a second click changes nothing more, and says why', async () => {
    const reply = await (await world.click(ordersAlert, 'alarm.rollback', 'U0ALICE', rollbackValue)).reply();
    expect(textOf(reply)).toContain('already rolled back to v1 from this alert (by <@U0ONCALL>). Nothing was changed.');
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '1' });
  });

  it('a deployer acknowledges the other alert', async () => {
    const before = paymentsAlert.updates;
    await world.click(paymentsAlert, 'alarm.ack', 'U0ALICE');
    await until(() => (paymentsAlert.updates > before ? true : undefined), 5000, 'the alert updated');
    expect(shown(paymentsAlert)).toContain('Acknowledged by <@U0ALICE>');
    expect(buttonsOf(paymentsAlert).map((b) => b.action_id)).toEqual(['alarm.rollback']);
    expect((await audit('alarm.ack')).at(-1)).toMatchObject({
      actor: 'U0ALICE',
      function: 'payments-api',
      result: 'ok',
    });
  });
});

describe('back to OK', () => {
  it('replies in the alert’s thread and marks the alert resolved', async () => {
    await world.tick();
    await setAlarm(world.cloudwatch, 'orders-errors', 'OK');
    const [reply] = await until(
      () => (world.replies(ordersAlert).length > 0 ? world.replies(ordersAlert) : undefined),
      3 * POLL_MS,
      'a reply in the thread',
    );
    expect(shown(reply as PostedMessage)).toContain('`orders-errors` is back to OK');
    expect(ordersAlert.text).toMatch(/^Resolved: orders-errors/);
    expect((await audit('alarm.resolve')).map((r) => [r.actor, r.function, r.alias])).toEqual([
      ['system', 'orders-api', 'prod'],
    ]);
  });
});

describe('replicas and restarts', () => {
  it('two bots on one Redis post one alert; a restart during ALARM posts no second one; the new bot resolves', async () => {
    const replica = await world.startReplica();
    await world.tick();
    await setAlarm(world.cloudwatch, 'orders-throttles', 'ALARM');
    await world.alert('C0ALERTS', 'orders-throttles');

    // The first bot goes away (its lease with it); the replica leads; another bot starts. Two
    // full polls later, by either of the two bots now running, nothing was posted twice.
    await world.bot.stop();
    const restarted = await world.startReplica();
    await world.polls(2);
    expect(world.alerts('C0ALERTS', 'orders-throttles')).toHaveLength(1);
    expect(world.alerts('C0PAYMENTS', 'payments-errors')).toHaveLength(1);
    expect(world.slack.messages.filter((m) => !m.thread_ts)).toHaveLength(3);

    await replica.stop();
    await world.tick();
    await setAlarm(world.cloudwatch, 'payments-errors', 'OK');
    await until(() => world.replies(paymentsAlert)[0], 3 * POLL_MS, 'the resolution after the restart');
    expect(restarted.exited).toBeDefined();
    expect(world.replies(paymentsAlert)).toHaveLength(1);
  });

  it('the audit chain verifies after all of it', async () => {
    const { code, out } = await auditVerify(world.prefix);
    expect(out).toMatch(/audit chain OK/);
    expect(code).toBe(0);
  });
});
