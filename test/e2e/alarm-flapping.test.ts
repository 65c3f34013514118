import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { type AlarmWorld, buttonsOf, POLL_MS, shown, startAlarmWorld, until } from '../support/alarm-world.js';
import { putLambdaAlarm, setAlarm } from '../support/alarms.js';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import type { PostedMessage } from '../support/fake-slack.js';

/**
 * Quieter alerts end to end (issue 15): the bot as a process polling the emulator every 5 s, one
 * alarm moved through the SDK (SetAlarmState) while the emulator's clock jumps, so that minutes of
 * CloudWatch time pass in the seconds the polls take. One world; the tests run in order, as one
 * flapping incident would unfold.
 */
const NAME = 'orders-flapping';
const REASON = 'Errors (sum over 1 min) was 25, above the threshold of 10.';
let world: AlarmWorld;
let alert: PostedMessage;

/** Moves the emulator's clock `ms` on, then the alarm: answers the alarm's new `since`. */
async function move(state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', ms = 20_000): Promise<number> {
  const { now } = await world.control<{ now: string }>('POST', '/_emulator/clock/advance', { ms });
  await setAlarm(world.cloudwatch, NAME, state);
  return Date.parse(now);
}

/** Waits until a poll has recorded the alarm in `state` since `since` (its messages follow in the same poll). */
async function seen(state: string, since: number): Promise<void> {
  const key = redisKeys(world.prefix).alarmSeen;
  const recorded = async () => ((await world.redis.hget(key, NAME)) === `${state}|${since}` ? true : undefined);
  await until(recorded, 3 * POLL_MS, `${NAME} seen in ${state}`);
}

const shows = (message: PostedMessage, pattern: RegExp, what: string) =>
  until(() => (pattern.test(message.text) ? true : undefined), POLL_MS, what);
const replies = () => world.replies(alert).map(shown).join('\n');

beforeAll(async () => {
  world = await startAlarmWorld();
  // Missing data keeps the state: only SetAlarmState moves the alarm while the clock jumps.
  await putLambdaAlarm(world.cloudwatch, NAME, { fn: 'orders-api', alias: 'prod', treatMissingData: 'ignore' });
  await (await world.command('promote orders-api:prod 2')).response();
  const key = redisKeys(world.prefix).alarmSeen;
  await until(async () => ((await world.redis.hexists(key, NAME)) ? true : undefined), 3 * POLL_MS, 'the alarm seen');
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('a flapping alarm', () => {
  it('ALARM/OK ×5 in 3 minutes: one alert, open again at each return, with its count', {
    timeout: 90_000,
  }, async () => {
    await move('ALARM', 1000);
    alert = await world.alert('C0ALERTS', NAME);
    expect(alert.text).toBe(`ALARM: ${NAME} on orders-api:prod — ${REASON}`);
    // Alice takes it.
    const before = alert.updates;
    await world.click(alert, 'alarm.ack', 'U0ALICE');
    await until(() => (alert.updates > before ? true : undefined), 5000, 'the acknowledgement shown');

    // Back to OK: resolved, its buttons gone. Back in ALARM 20 s later: the same alert, open again.
    await seen('OK', await move('OK'));
    await shows(alert, /^Resolved: /, 'the alert resolved');
    expect(buttonsOf(alert)).toEqual([]);
    await seen('ALARM', await move('ALARM'));
    await shows(alert, /^ALARM \(flapping, 2nd time\): /, 'the alert reopened');
    expect(buttonsOf(alert).map((b) => b.action_id)).toEqual(['alarm.rollback']);

    // Three more flaps, OK and ALARM set together: a poll sees both, or only the ALARM; each is one more time.
    for (let k = 3; k <= 5; k++) {
      await move('OK');
      await seen('ALARM', await move('ALARM'));
    }
    await shows(alert, /^ALARM \(flapping, 5th time\): /, 'the 5th time');
    expect(world.alerts('C0ALERTS', NAME)).toHaveLength(1);
    expect(shown(alert)).toContain(
      ':repeat: *Flapping*: in ALARM 5 times in 3 min; each return reopened this alert instead of posting a new one',
    );
    expect(shown(alert)).toContain('Acknowledged by <@U0ALICE>');
    await until(() => (replies().includes('5th time') ? true : undefined), POLL_MS, 'the 5th reply');
    for (const time of ['2nd time in 40 s', '3rd time in 1 min', '4th time in 2 min', '5th time in 3 min']) {
      expect(replies()).toContain(`${NAME} is back in ALARM — ${time}: flapping`);
    }
    // Replies notify only the thread's followers: the one who took the alert is named in them.
    expect(replies()).toContain('<@U0ALICE> acknowledged it');
  });

  it('ALARM → INSUFFICIENT_DATA: a note in the thread, and the alert stays open', async () => {
    await seen('INSUFFICIENT_DATA', await move('INSUFFICIENT_DATA'));
    const note = await until(
      () => world.replies(alert).find((r) => r.text.includes('INSUFFICIENT_DATA')),
      POLL_MS,
      'the note in the thread',
    );
    expect(note.text).toBe(`${NAME} went to INSUFFICIENT_DATA; the alert stays open`);
    expect(shown(note)).toContain('Insufficient Data: 1 datapoint was unknown; the alert stays open.');
    await until(() => (shown(alert).includes('INSUFFICIENT_DATA since') ? true : undefined), POLL_MS, 'the message');
    expect(alert.text).toMatch(/^ALARM \(flapping, 5th time\): /);
    expect(buttonsOf(alert).map((b) => b.action_id)).toEqual(['alarm.rollback']);
  });

  it('back to OK, then in ALARM past realert_after: a new alert, which says it is a new incident', async () => {
    await seen('OK', await move('OK'));
    await shows(alert, /^Resolved \(flapping, 5th time\): /, 'the alert resolved');
    await move('ALARM', 11 * 60_000);
    const fresh = await until(() => world.alerts('C0ALERTS', NAME)[1], 3 * POLL_MS, 'a new alert');
    expect(fresh.text).toBe(`ALARM (new incident): ${NAME} on orders-api:prod — ${REASON}`);
    expect(shown(fresh)).toContain(
      ':new: *New incident*: the previous alert of this alarm was 12 min earlier, more than realert_after (10 min)',
    );
    expect(buttonsOf(fresh).map((b) => b.action_id)).toEqual(['alarm.rollback', 'alarm.ack']);
    expect(alert.text).toMatch(/^Resolved /);
  });

  it('audit: one alarm.alert per return, the reopenings saying so; nothing for INSUFFICIENT_DATA; the chain verifies', async () => {
    const records = (await auditExport(world.prefix)).filter((r) => r.detail?.includes(NAME));
    const alerts = records.filter((r) => r.action === 'alarm.alert');
    const reopened = (time: string) => `alarm ${NAME} back in ALARM, alert reopened (${time}: flapping): ${REASON}`;
    expect(alerts.map((r) => r.detail)).toEqual([
      `alarm ${NAME}: ${REASON}`,
      reopened('2nd time in 40 s'),
      reopened('3rd time in 1 min'),
      reopened('4th time in 2 min'),
      reopened('5th time in 3 min'),
      `alarm ${NAME} (new incident): ${REASON}`,
    ]);
    expect(new Set(alerts.slice(0, 5).map((r) => r.request)).size).toBe(1);
    expect(alerts[5]?.request).not.toBe(alerts[0]?.request);
    expect(new Set(records.map((r) => r.action))).toEqual(new Set(['alarm.alert', 'alarm.resolve', 'alarm.ack']));
    expect(records.filter((r) => r.action === 'alarm.resolve').length).toBeGreaterThanOrEqual(2);
    const { code, out } = await auditVerify(world.prefix);
    expect(out).toMatch(/audit chain OK/);
    expect(code).toBe(0);
  });
});
