import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { buttonsOf, shown, until } from '../support/alarm-world.js';
import { auditVerify } from '../support/audit-cli.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { MALLORY, type OutsideWorld, outsidePolicy, startOutsideWorld, WATCH_MS } from '../support/outside-world.js';
import { textOf } from '../support/world.js';

/**
 * Changes made outside the bot that the bot acts on (CONTRACT §10), end to end with two replicas:
 * an alias whose policy says `outside_changes: revert` put back by the bot itself, a rollout paused
 * by a move under it, and exactly one alert across replicas when the leader dies between noticing
 * a change and posting it, and again after posting it. One world; the tests run in order.
 */
const POLICY = outsidePolicy(`  orders-api:
    aliases:
      prod:
        outside_changes: revert
      canary: {}
  payments-api:
    alerts_channel: C0PAYMENTS
    aliases:
      prod: {}
`);
const LONG = { timeout: 6 * WATCH_MS };
let world: OutsideWorld;

const named = (m: PostedMessage) => (shown(m).includes(MALLORY) ? true : undefined);
const moveAs = (fn: string, alias: string, version: string) =>
  world.mallory.send(
    new UpdateAliasCommand({
      FunctionName: fn,
      Name: alias,
      FunctionVersion: version,
      RoutingConfig: { AdditionalVersionWeights: {} },
    }),
  );

beforeAll(async () => {
  world = await startOutsideWorld(POLICY, [
    { name: 'orders-api', versions: 3, aliases: { prod: '1', canary: '1' } },
    { name: 'payments-api', versions: 4, aliases: { prod: '3' } },
  ]);
  await (await world.command('promote orders-api:prod 2')).response();
  await world.accounted('orders-api', 'prod', { primary: '2' });
}, 60_000);

afterAll(async () => {
  await world?.close();
});

describe('an alias set to `outside_changes: revert`', () => {
  it(
    'is put back within one interval by the bot (actor system); the alert says so and names Mallory',
    LONG,
    async () => {
      const moved = Date.now();
      await moveAs('orders-api', 'prod', '3');
      await until(
        async () => ((await world.routing('orders-api', 'prod')).primary === '2' ? true : undefined),
        WATCH_MS + 5_000,
        'orders-api:prod put back',
      );
      expect(Date.now() - moved).toBeLessThan(WATCH_MS + 3_000);
      expect(await world.aliasWrites('orders-api', 'prod')).toEqual(['2', '3', '2']);
      const reverts = await world.audit('outside.revert');
      expect(reverts.map((r) => [r.actor, r.result])).toEqual([
        ['system', 'pending'],
        ['system', 'ok'],
      ]);
      expect(reverts[1]).toMatchObject({ alias: 'prod', from: { version: '3' }, to: { version: '2' } });

      const alert = await world.alert((m) => m.text.includes('orders-api — prod'), 'the alert');
      expect(alert.text).toBe('Changed outside the bot: orders-api — prod moved from 100% v2 to 100% v3');
      expect(shown(alert)).toContain('the bot put it back to `██████████ 100% v2`');
      await until(() => named(alert), WATCH_MS, 'who made it');
      expect(buttonsOf(alert)).toEqual([]);
      // The bot's own revert is not a change made outside it.
      await world.watches(2);
      expect(world.alerts()).toHaveLength(1);
      expect(await world.audit('outside.change')).toHaveLength(1);
    },
  );
});

describe('a rollout under way', () => {
  it('pauses when its alias is moved outside the bot, and the alert is posted once', LONG, async () => {
    const started = await (await world.command('canary orders-api:canary 2 --steps 10,100 --every 10m')).response();
    expect(textOf(started)).toMatch(/Rollout of \*orders-api:canary\* started/);
    const step = { primary: '1', additional: { version: '2', weight: 0.1 } };
    await until(
      async () =>
        JSON.stringify(await world.routing('orders-api', 'canary')) === JSON.stringify(step) ? true : undefined,
      10_000,
      'the first step',
    );
    await world.accounted('orders-api', 'canary', step);

    await moveAs('orders-api', 'canary', '3');
    const alert = await world.alert((m) => m.text.includes('orders-api — canary'), 'the alert');
    expect(alert.text).toMatch(/canary moved from .* to 100% v3$/);
    await until(() => (shown(alert).includes('rollout under way') ? true : undefined), 5_000, 'the pause shown');
    expect(shown(alert)).toContain(':pause_button: The rollout under way on this alias was paused.');
    const progress = world.slack.messages.find((m) => m.text.startsWith('Rollout of orders-api:canary'));
    expect(progress).toBeDefined();
    await until(() => (shown(progress as PostedMessage).includes('*Paused*') ? true : undefined), 5_000, 'paused');
    expect(shown(progress as PostedMessage)).toContain('the alias was changed outside the bot');
    const status = textOf(await (await world.command('status orders-api:canary', 'U0CAROL')).response());
    expect(status).toMatch(/paused: the alias was changed outside the bot/);
    expect((await world.audit('canary.pause')).map((r) => [r.actor, r.alias])).toEqual([['system', 'canary']]);
    // An alias set to `alert`: left where Mallory put it.
    expect(await world.routing('orders-api', 'canary')).toEqual({ primary: '3' });

    await world.watches(2);
    expect(world.alerts('orders-api')).toHaveLength(2);
    expect(await world.audit('outside.change')).toHaveLength(2);
  });
});

describe('the leader stops', () => {
  const keys = () => redisKeys(world.prefix);
  /** The alert recorded and tried once but not posted: Slack refused it. */
  const failedOnce = async () => {
    for (const id of await world.redis.zrange(keys().outsideUndelivered, '0', '-1')) {
      if (Number(await world.redis.hget(keys().outsideAlert(id), 'failures')) >= 1) return id;
    }
    return undefined;
  };

  it('after noticing a change, before posting it: the other replica posts it, once', { timeout: 90_000 }, async () => {
    world.slack.fail('chat.postMessage', 'internal_error', 1_000);
    await moveAs('payments-api', 'prod', '1');
    await until(failedOnce, WATCH_MS + 5_000, 'the alert noticed, and its post failed');
    const leader = await world.leader();
    expect(leader).toBeDefined();
    // A crash: its lease runs out (three intervals) rather than being given up.
    leader?.child.kill('SIGKILL');
    await leader?.exited;
    world.slack.fail('chat.postMessage', 'internal_error', 0);
    await world.startReplica();

    // The dead leader's lease runs out (three intervals), then the new leader's next watch posts it.
    const alert = await until(
      () => world.alerts('payments-api')[0],
      4 * WATCH_MS + 5_000,
      'the alert, posted by another replica',
    );
    expect(alert.channel).toBe('C0PAYMENTS');
    expect(alert.text).toBe('Changed outside the bot: payments-api — prod moved from 100% v3 to 100% v1');
    // Who made it is looked up after the post, as for any alert (the lookup may not be done when it is posted).
    await until(() => named(alert), WATCH_MS, 'who made it');
    expect(await world.leader()).not.toBe(leader);
  });

  it('after posting it: the replica that leads next posts nothing more', LONG, async () => {
    const leader = await world.leader();
    expect(leader).toBeDefined();
    await leader?.stop();
    await world.watches(2);
    expect(world.alerts('payments-api')).toHaveLength(1);
    expect((await world.audit('outside.change', 'payments-api')).map((r) => r.detail)).toEqual([
      expect.stringMatching(/^changed outside the bot: prod moved from 100% v3 to 100% v1/),
    ]);
  });

  it('the audit chain verifies', async () => {
    const { code, out } = await auditVerify(world.prefix);
    expect([code, out]).toEqual([0, expect.stringMatching(/audit chain OK/)]);
  });
});
