import {
  DeleteAliasCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerZip } from '../emulator/support/zip.js';
import { buttonsOf, buttonValue, shown, until } from '../support/alarm-world.js';
import { auditVerify } from '../support/audit-cli.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { MALLORY, type OutsideWorld, outsidePolicy, startOutsideWorld, WATCH_MS } from '../support/outside-world.js';
import { textOf } from '../support/world.js';

/**
 * Changes made outside the bot, alerted (CONTRACT §10), end to end: two bot replicas on one Redis
 * watching the emulator every 10 s, Mallory at the console moving aliases with her own key, the
 * alerts' buttons clicked with signed requests on either replica, the audit log read with the CLI.
 * One world; the tests run in order.
 */
const POLICY = outsidePolicy(`  payments-api:
    alerts_channel: C0PAYMENTS
    aliases:
      prod: {}
      staging: {}
  orders-api:
    aliases:
      prod: {}
`);
/** Room for the watch intervals a test waits through. */
const LONG = { timeout: 6 * WATCH_MS };
let world: OutsideWorld;
let prodAlert: PostedMessage;

const named = (m: PostedMessage) => (shown(m).includes(MALLORY) ? true : undefined);
const status = async (ref: string) => textOf(await (await world.command(`status ${ref}`, 'U0CAROL')).response());

beforeAll(async () => {
  world = await startOutsideWorld(POLICY, [
    { name: 'payments-api', versions: 4, aliases: { prod: '3', staging: '3' } },
    { name: 'orders-api', versions: 3, aliases: { prod: '1' } },
  ]);
  // What the bot last set is where a revert goes: it sets both aliases first, and the watch takes that in silently.
  await (await world.command('promote orders-api:prod 2')).response();
  await (await world.command('promote payments-api:staging 4')).response();
  await world.accounted('orders-api', 'prod', { primary: '2' });
  await world.accounted('payments-api', 'staging', { primary: '4' });
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('Mallory moves orders-api:prod at the console', () => {
  it('one alert across both replicas, naming her ARN, before → after; one outside.change record', LONG, async () => {
    const moved = Date.now();
    await world.mallory.send(
      new UpdateAliasCommand({ FunctionName: 'orders-api', Name: 'prod', FunctionVersion: '3' }),
    );
    prodAlert = await world.alert((m) => m.text.includes('orders-api'), 'the alert');
    expect(Date.now() - moved).toBeLessThan(WATCH_MS + 3_000);
    expect(prodAlert.channel).toBe('C0ALERTS');
    expect(prodAlert.text).toBe('Changed outside the bot: orders-api — prod moved from 100% v2 to 100% v3');
    await until(() => named(prodAlert), WATCH_MS, 'who made it');
    expect(shown(prodAlert)).toContain('*Before*\\n`██████████ 100% v2`');
    expect(shown(prodAlert)).toContain('*After*\\n`██████████ 100% v3`');
    expect(buttonsOf(prodAlert).map((b) => [b.action_id, b.text.text])).toEqual([
      ['outside.revert', 'Put back to 100% v2'],
      ['outside.accept', 'Accept as known'],
    ]);

    await world.watches(2);
    expect(world.alerts()).toHaveLength(1);
    const changes = await world.audit('outside.change');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      actor: 'system',
      function: 'orders-api',
      alias: 'prod',
      from: { version: '2' },
      to: { version: '3' },
      result: 'ok',
    });
  });

  it(
    'an approver may not put it back; a responder’s clicks on both replicas at once put it back once',
    LONG,
    async () => {
      const refused = await (await world.click(prodAlert, 'outside.revert', 'U0CAROL')).reply();
      expect(textOf(refused)).toContain('only deployers and responders may roll back');
      expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '3' });

      const value = buttonValue(prodAlert, 'outside.revert');
      const clicks = await Promise.all(
        [world.bot, world.replica, world.bot, world.replica].map((via) =>
          world.click(prodAlert, 'outside.revert', 'U0ONCALL', { via }),
        ),
      );
      const replies = (await Promise.all(clicks.map((c) => c.reply()))).map(textOf);
      expect(replies.filter((r) => r.startsWith('Put back: orders-api:prod sends ██████████ 100% v2.'))).toHaveLength(
        1,
      );
      // The others: the alias or the alert busy with the first click, or the change already put back.
      expect(replies.filter((r) => r.includes('Nothing was changed'))).toHaveLength(3);
      expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '2' });
      // AWS was written once more: the bot's promote, Mallory's move, the one revert.
      expect(await world.aliasWrites('orders-api', 'prod')).toEqual(['2', '3', '2']);
      const reverts = await world.audit('outside.revert');
      // One revert made (its intent and outcome); every refused click on the record, the three busy ones too.
      expect(reverts.filter((r) => r.result !== 'denied').map((r) => [r.actor, r.result])).toEqual([
        ['U0ONCALL', 'pending'],
        ['U0ONCALL', 'ok'],
      ]);
      expect(reverts.filter((r) => r.result === 'denied').map((r) => r.actor)).toEqual([
        'U0CAROL',
        'U0ONCALL',
        'U0ONCALL',
        'U0ONCALL',
      ]);
      expect(reverts.find((r) => r.result === 'ok')).toMatchObject({ from: { version: '3' }, to: { version: '2' } });
      await until(() => (shown(prodAlert).includes('put it back') ? true : undefined), 5_000, 'the alert updated');
      expect(shown(prodAlert)).toContain('<@U0ONCALL> put it back to `██████████ 100% v2`');
      expect(buttonsOf(prodAlert)).toEqual([]);

      // Later, on the other replica: refused, and nothing changes.
      const late = await (
        await world.click(prodAlert, 'outside.revert', 'U0ALICE', { via: world.replica, value })
      ).reply();
      expect(textOf(late)).toContain('Your click changed nothing: this change was already put back');
      // The bot's own revert is never reported.
      await world.watches(1);
      expect(world.alerts()).toHaveLength(1);
      // The late click is on the record as refused; the bot's own revert adds nothing.
      expect(await world.audit('outside.revert')).toHaveLength(7);
    },
  );
});

describe('Mallory moves payments-api:staging, and it is accepted', () => {
  let alert: PostedMessage;

  it('a responder, not a deployer, may not accept: refused, and nothing changes', LONG, async () => {
    await world.mallory.send(
      new UpdateAliasCommand({ FunctionName: 'payments-api', Name: 'staging', FunctionVersion: '2' }),
    );
    alert = await world.alert((m) => m.text.includes('payments-api'), 'the alert');
    expect(alert.channel).toBe('C0PAYMENTS');
    await until(() => named(alert), WATCH_MS, 'who made it');
    const updates = alert.updates;
    const refused = await (await world.click(alert, 'outside.accept', 'U0ONCALL', { via: world.replica })).reply();
    expect(textOf(refused)).toContain('only deployers may accept a change made outside the bot');
    expect(alert.updates).toBe(updates);
    expect(buttonsOf(alert).map((b) => b.action_id)).toEqual(['outside.revert', 'outside.accept']);
    expect((await world.audit('outside.accept')).map((r) => [r.actor, r.result])).toEqual([['U0ONCALL', 'denied']]);
    expect(await status('payments-api:staging')).toContain('Changed outside the bot');
  });

  it('a deployer accepts: the new state is the known one, and nothing more is alerted about it', LONG, async () => {
    await world.click(alert, 'outside.accept', 'U0BOB');
    await until(() => (shown(alert).includes('accepted it') ? true : undefined), 5_000, 'the alert updated');
    expect(shown(alert)).toContain('<@U0BOB> accepted it as the known state');
    expect(buttonsOf(alert)).toEqual([]);
    expect(await world.routing('payments-api', 'staging')).toEqual({ primary: '2' });
    expect((await world.audit('outside.accept')).at(-1)).toMatchObject({
      actor: 'U0BOB',
      function: 'payments-api',
      alias: 'staging',
      result: 'ok',
    });
    expect(await status('payments-api:staging')).not.toContain('Changed outside the bot');
    await world.watches(1);
    expect(world.alerts('payments-api')).toHaveLength(1);
  });
});

describe('a version published by hand, an alias deleted', () => {
  it(
    'the version is a one-line note with no buttons; the deletion an alert that says it is not put back',
    LONG,
    async () => {
      await world.mallory.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'orders-api', ZipFile: handlerZip('orders-api-hotfix') }),
      );
      await world.mallory.send(new PublishVersionCommand({ FunctionName: 'orders-api', Description: 'hotfix' }));
      await world.mallory.send(new DeleteAliasCommand({ FunctionName: 'orders-api', Name: 'prod' }));

      const note = await world.alert((m) => m.text.includes('published'), 'the note');
      expect(note.text).toBe('Changed outside the bot: orders-api — v4 was published (hotfix)');
      expect(note.blocks).toHaveLength(1);
      expect(note.blocks).toEqual([expect.objectContaining({ type: 'context' })]);
      expect(buttonsOf(note)).toEqual([]);

      const deleted = await world.alert((m) => m.text.includes('deleted'), 'the deletion');
      expect(deleted.text).toBe('Changed outside the bot: orders-api — prod was deleted (it served 100% v2)');
      expect(shown(deleted)).toContain('No revert: a deleted alias cannot be put back by the bot');
      expect(buttonsOf(deleted).map((b) => b.action_id)).toEqual(['outside.accept']);
      await until(() => named(deleted), WATCH_MS, 'who deleted it');

      await world.watches(1);
      expect(world.alerts('orders-api')).toHaveLength(3);
    },
  );

  it('every change is audited once, and the audit chain verifies', async () => {
    const changes = await world.audit('outside.change');
    // The publish and the deletion may be noticed by one watch or by two: in either order.
    const seen = changes.map((r) => [r.function, r.alias, r.detail.replace(/ \(alert x[a-z2-9]+\)$/, '')]);
    expect(seen).toHaveLength(4);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['orders-api', 'prod', 'changed outside the bot: prod moved from 100% v2 to 100% v3'],
        ['payments-api', 'staging', 'changed outside the bot: staging moved from 100% v4 to 100% v2'],
        ['orders-api', null, 'changed outside the bot: v4 was published (hotfix)'],
        ['orders-api', 'prod', 'changed outside the bot: prod was deleted (it served 100% v2)'],
      ]),
    );
    const { code, out } = await auditVerify(world.prefix);
    expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
  });
});
