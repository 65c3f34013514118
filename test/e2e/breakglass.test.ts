/**
 * Break-glass end to end (CONTRACT §11): two bot replicas on one Redis sharing a clock the test
 * moves, payments-api:prod protected, gated and frozen. Someone in `breakglass` makes the change
 * at once; it is announced in the approvals and alerts channels, reviewed by another approver,
 * marked in history and the audit export, and reminded once when its review is overdue. One world;
 * the tests run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, buttonValue, shown, until } from '../support/alarm-world.js';
import type { BotProcess } from '../support/bot-process.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { type GlassWorld, REVIEW_MS, startGlassWorld } from '../support/glass-world.js';
import { textOf } from '../support/world.js';

const REASON = 'checkout errors at 40%, approver unreachable';
let world: GlassWorld;
let replica: BotProcess;
let announcements: PostedMessage[];

beforeAll(async () => {
  world = await startGlassWorld();
  replica = await world.startReplica();
  expect(textOf(await world.say('freeze payments-api:prod quarter close'))).toMatch(/froze/);
}, 60_000);

afterAll(async () => {
  await world?.close();
});

/** Top-level break-glass announcements of `ref` (FN:ALIAS), in posting order. */
const announced = (ref: string) => world.slack.messages.filter((m) => m.text.startsWith(`Break-glass: ${ref} `));
const reminders = (ref: string) =>
  world.slack.messages.filter((m) => m.text.startsWith(`Break-glass review overdue: ${ref} `));
/** The reminder job's reports ("break-glass review reminders", logged when it sent any) on both replicas. */
const reminderRuns = () =>
  [...world.bot.logs, ...replica.logs].filter((l) => l.includes('"msg":"break-glass review reminders"'));

describe('breaking the glass past a freeze, an approval and an unmet gate', () => {
  it('the change is made at once, marked in the channel, and announced in both channels', async () => {
    const reply = await world.say(`promote payments-api:prod 4 --break-glass ${REASON}`, 'U0ONCALL');
    expect(reply.response_type).toBe('in_channel');
    const said = textOf(reply);
    expect(said).toContain(`:rotating_light: *Break-glass*: ${REASON} — went past freeze of payments-api:prod`);
    expect(said).toMatch(
      /approval \(1 by approvers\), gates \(staging serves 100% v3, not 100% v4; v4 is not signed; code \S+ differs/,
    );
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '4' });

    announcements = await until(
      () => (announced('payments-api:prod').length === 2 ? announced('payments-api:prod') : undefined),
      10_000,
      'both announcements',
    );
    expect(announcements.map((m) => m.channel).sort()).toEqual(['C0APPROVALS', 'C0PAYMENTS']);
    const ids = announcements.map((m) => buttonValue(m, 'breakglass.review'));
    expect(ids[0]).toMatch(/^b[a-z2-9]{16}$/);
    expect(ids[1]).toBe(ids[0]);
    for (const m of announcements) {
      expect(m.text).toBe(`Break-glass: payments-api:prod — promote to v4 by U0ONCALL: ${REASON}`);
      expect(shown(m)).toContain('*Went past:* freeze of payments-api:prod (quarter close)');
      expect(buttonsOf(m).map((b) => [b.action_id, b.text.text])).toEqual([['breakglass.review', 'Mark reviewed']]);
    }
  });

  it('the actor may not review it, nor a non-approver; another approver does, and both announcements say so', async () => {
    const [message] = announcements as [PostedMessage];
    const id = buttonValue(message, 'breakglass.review');
    const updates = announcements.map((m) => m.updates);
    const own = await (await world.click('breakglass.review', id, 'U0ONCALL', message)).reply();
    expect(own.response_type).toBe('ephemeral');
    expect(textOf(own)).toContain('you broke the glass, so someone else must review it');
    const deployer = await (await world.click('breakglass.review', id, 'U0ALICE', message, replica)).reply();
    expect(deployer.response_type).toBe('ephemeral');
    expect(textOf(deployer)).toMatch(/only approvers/);
    expect(announcements.map((m) => m.updates)).toEqual(updates);
    expect(announcements.every((m) => buttonsOf(m).length === 1)).toBe(true);

    const bob = await (await world.click('breakglass.review', id, 'U0BOB', message)).reply();
    expect(textOf(bob)).toContain('You reviewed the break-glass promote to v4 on payments-api:prod.');
    for (const m of announcements) {
      await until(() => (shown(m).includes('Reviewed by <@U0BOB>') ? true : undefined), 10_000, 'the update');
      expect(buttonsOf(m)).toEqual([]);
    }
    const reviews = (await world.audit()).filter((r) => r.action === 'breakglass.review');
    expect(reviews.map((r) => [r.actor, r.result])).toEqual([
      ['U0ONCALL', 'denied'],
      ['U0ALICE', 'denied'],
      ['U0BOB', 'ok'],
    ]);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '4' });
  });

  it('history marks the change break-glass, and its audit records carry "breakglass":true and the reason', async () => {
    const history = textOf(await world.say('history payments-api:prod', 'U0CAROL'));
    expect(history).toMatch(/<@U0ONCALL> \*promote\* :rotating_light: \*break-glass\* _ok_/);
    const promotes = (await world.audit()).filter((r) => r.action === 'promote' && r.alias === 'prod');
    expect(promotes.map((r) => [r.actor, r.result, r.breakglass])).toEqual([
      ['U0ONCALL', 'pending', true],
      ['U0ONCALL', 'ok', true],
    ]);
    for (const r of promotes) {
      expect(JSON.stringify(r)).toContain('"breakglass":true');
      expect(r.detail).toContain(`break-glass: ${REASON}`);
    }
  });
});

describe('an overdue review', () => {
  it('gets one reminder once breakglass_review passes, not two, across both replicas', async () => {
    const reply = await world.say(`rollback payments-api:prod 3 --break-glass ${REASON}`, 'U0DAVE');
    expect(reply.response_type).toBe('in_channel');
    await until(() => (announced('payments-api:prod').length === 4 ? true : undefined), 10_000, 'the announcements');
    world.clock.advance(REVIEW_MS + 1000);
    const [reminder] = await until(
      () => (reminders('payments-api:prod').length > 0 ? reminders('payments-api:prod') : undefined),
      10_000,
      'the reminder',
    );
    expect(reminder?.channel).toBe('C0APPROVALS');
    expect(reminder?.thread_ts).toBe(announced('payments-api:prod')[2]?.ts);
    expect(reminder?.text).toMatch(/^Break-glass review overdue: payments-api:prod — rollback to v3 by U0DAVE/);
    expect(shown(reminder as PostedMessage)).toContain('Reminder 1.');

    // The run's report comes after its post; then a witness overdue a minute later: its reminder
    // shows that the job ran again, past the first's due time, and that run is reported too.
    await until(() => (reminderRuns().length === 1 ? true : undefined), 10_000, 'the run reported');
    await world.say(`promote orders-api:prod 2 --break-glass ${REASON}`, 'U0ONCALL');
    await until(() => (announced('orders-api:prod').length === 2 ? true : undefined), 10_000, 'the announcements');
    world.clock.advance(REVIEW_MS + 1000);
    await until(() => (reminderRuns().length === 2 ? true : undefined), 10_000, 'the next reminder run');
    expect(reminders('orders-api:prod')).toHaveLength(1);
    expect(reminders('payments-api:prod')).toHaveLength(1);
    expect(reminderRuns().map((l) => JSON.parse(l).sent)).toEqual([1, 1]);
  });
});

describe('outside the breakglass role', () => {
  it('is refused, told who may, audited; nothing changes', async () => {
    const before = await world.routing('payments-api', 'prod');
    const reply = await world.say(`promote payments-api:prod 5 --break-glass ${REASON}`, 'U0ALICE');
    expect(reply.response_type).toBe('ephemeral');
    expect(textOf(reply)).toContain('Who may: <@U0ONCALL>, <@U0DAVE>.');
    expect(await world.routing('payments-api', 'prod')).toEqual(before);
    const last = (await world.audit()).at(-1);
    expect(last).toMatchObject({ actor: 'U0ALICE', action: 'promote', result: 'denied' });
    expect(last?.detail).toMatch(/^break-glass refused/);
  });
});
