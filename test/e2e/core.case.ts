/**
 * The core of the end-to-end suite as one scenario, run against any Redis topology (issue 14):
 * publish, promote, a protected promote approved on the second replica, an alarm alert, a canary
 * rolled back by its alarm, and the audit log through `npm run audit`. Two bots run as processes
 * on the topology, on the emulator's real clock (the canary's traffic and alarm move with the
 * bots' time). Everything is asserted from outside: Slack messages, the emulator's alias history,
 * the CLI's output; the topology's own checks (where the keys are) come from the caller.
 */
import { UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { handlerZip } from '../emulator/support/zip.js';
import { type AlarmWorld, buttonsOf, POLL_MS, shown, startAlarmWorld, until } from '../support/alarm-world.js';
import { putLambdaAlarm, setAlarm } from '../support/alarms.js';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import type { BotProcess } from '../support/bot-process.js';
import type { PostedMessage } from '../support/fake-slack.js';
import type { RedisCluster, SentinelSet } from '../support/redis-topology.js';
import { textOf } from '../support/world.js';

export interface TopologyCase<T extends SentinelSet | RedisCluster> {
  /** For the describe: what runs, in words. */
  readonly name: string;
  /** The check /readyz names Redis by on this topology (docs/operations.md). */
  readonly readiness: string;
  start(): Promise<T>;
  /** What only this topology can show: where the bot's keys and records ended up. */
  placement(topology: T, world: AlarmWorld, records: number): Promise<void>;
}

/** Every audit record the scenario writes, in order: what `verify` must count and `export` list. */
const RECORDS = [
  ['publish', 'pending', 'U0ALICE'],
  ['publish', 'ok', 'U0ALICE'],
  ['promote', 'pending', 'U0ALICE'],
  ['promote', 'ok', 'U0ALICE'],
  ['approval.request', 'ok', 'U0ALICE'],
  ['approval.approve', 'ok', 'U0CAROL'],
  ['promote', 'pending', 'U0ALICE'],
  ['promote', 'ok', 'U0ALICE'],
  ['alarm.alert', 'ok', 'system'],
  ['canary.start', 'ok', 'U0ALICE'],
  ['canary.step', 'pending', 'system'],
  ['canary.step', 'ok', 'system'],
  // The alarm's poller rolls the canary back (the rollout's end, then the alias's intent and
  // outcome) before it records the alert, so that traffic moves back before anyone is told.
  ['canary.abort', 'ok', 'system'],
  ['canary.abort', 'pending', 'system'],
  ['canary.abort', 'ok', 'system'],
  ['alarm.alert', 'ok', 'system'],
];

/** The canary's alarm: errors of the canary version alone, so that it stays in ALARM once rolled back. */
const CANARY_ALARM = 'payments-staging-v5-errors';

async function aliasUpdates(world: AlarmWorld, fn: string, alias: string) {
  const all = await world.control<{ operation: string; functionVersion: string; routing: Record<string, number> }[]>(
    'GET',
    `/_emulator/alias-history?function=${fn}&alias=${alias}`,
  );
  return all.filter((h) => h.operation === 'UpdateAlias').map((h) => [h.functionVersion, h.routing]);
}

export function coreScenario<T extends SentinelSet | RedisCluster>(c: TopologyCase<T>): void {
  describe(c.name, () => {
    let topology: T | undefined;
    let world: AlarmWorld;
    let replica: BotProcess;
    /** Alarm alerts proper, not other messages that name the alarm (a rollback's notice). */
    const alertsOf = (channel: string, alarm: string) =>
      world.alerts(channel, alarm).filter((m) => m.text.startsWith(`ALARM: ${alarm} `));
    /** The state the poller last recorded for an alarm, once it has seen it. */
    const seen = async (alarm: string) =>
      (await world.redis.hget(redisKeys(world.prefix).alarmSeen, alarm)) ?? undefined;

    beforeAll(async () => {
      topology = await c.start();
      console.log(`[topology] ${c.readiness} started in ${(topology.startupMs / 1000).toFixed(1)} s`);
      world = await startAlarmWorld({ redis: topology, clock: 'real' });
      replica = await world.startReplica();
      // Made now, so that the poller has seen them (not yet in ALARM) by the time the steps below
      // move them. `ignore`: a state set by SetAlarmState, or reached, stays until the test ends.
      await putLambdaAlarm(world.cloudwatch, 'orders-errors', {
        fn: 'orders-api',
        alias: 'prod',
        treatMissingData: 'ignore',
      });
      await putLambdaAlarm(world.cloudwatch, CANARY_ALARM, {
        fn: 'payments-api',
        alias: 'staging',
        version: '5',
        period: 10,
        threshold: 0,
        treatMissingData: 'ignore',
      });
    }, 120_000);

    afterAll(async () => {
      await world?.close();
      await topology?.stop();
    });

    it(`/readyz on both replicas names the topology: ${c.readiness}`, async () => {
      for (const bot of [world.bot, replica]) {
        const response = await fetch(`${bot.url}/readyz`);
        const body = (await response.json()) as { ready: boolean; checks: Record<string, string> };
        expect([response.status, body.checks[c.readiness]]).toEqual([200, 'ok']);
      }
    });

    it('publish: the next version, announced in the channel', async () => {
      await world.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: 'payments-api', ZipFile: handlerZip('canary-candidate') }),
      );
      const reply = await (await world.command('publish payments-api canary candidate')).response();
      expect(reply.response_type).toBe('in_channel');
      expect(textOf(reply)).toMatch(/published \*payments-api\* v5 — canary candidate/);
    });

    it('promote of an unprotected alias: moved at once', async () => {
      const reply = await (await world.command('promote orders-api:prod 2')).response();
      expect(reply.response_type).toBe('in_channel');
      expect(textOf(reply)).toContain('100% v1 → 100% v2');
      expect(await aliasUpdates(world, 'orders-api', 'prod')).toEqual([['2', {}]]);
    });

    it('promote of a protected alias: approved by someone else, on the second replica', async () => {
      const asked = await (await world.command('promote payments-api:prod 4')).response();
      expect(textOf(asked)).toMatch(/waits for approval/);
      const request = await until(
        () => world.slack.messages.find((m) => m.channel === 'C0APPROVALS' && shown(m).includes('payments-api:prod')),
        10_000,
        'the approval request',
      );
      const click = await world.click(request, 'approval.approve', 'U0CAROL', undefined, replica);
      expect(textOf(await click.reply())).toMatch(/You approved: the change is applied/);
      await world.slack.waitForCall(
        'chat.update',
        (call) => call.args.ts === request.ts && /Applied/.test(JSON.stringify(call.args.blocks)),
      );
      expect(shown(request)).toMatch(/Approved by <@U0CAROL>/);
      expect(await aliasUpdates(world, 'payments-api', 'prod')).toEqual([['4', {}]]);
    });

    let alert: PostedMessage;
    it('an alarm in ALARM: one alert, with the release behind it', async () => {
      await until(() => seen('orders-errors'), 15_000, 'orders-errors seen by the poller');
      await setAlarm(world.cloudwatch, 'orders-errors', 'ALARM');
      alert = await until(() => alertsOf('C0ALERTS', 'orders-errors')[0], 3 * POLL_MS, 'the alert');
      expect(shown(alert)).toContain('Errors (sum over 1 min) was 25, above the threshold of 10.');
      expect(shown(alert)).toContain('100% v1 → 100% v2');
      expect(buttonsOf(alert)[0]?.text.text).toBe('Roll back to v1');
    });

    it('a canary whose version errs is rolled back by its alarm, no one asking', async () => {
      await until(() => seen(CANARY_ALARM), 15_000, `${CANARY_ALARM} seen by the poller`);
      await world.control('PUT', '/_emulator/traffic', {
        function: 'payments-api',
        alias: 'staging',
        rps: 100,
        versions: { '3': { errorRate: 0, durationMs: 100 }, '5': { errorRate: 0.2, durationMs: 120 } },
      });
      const reply = await (await world.command('canary payments-api:staging 5 --steps 10,100 --every 60s')).response();
      expect(textOf(reply)).toMatch(/Rollout of \*payments-api:staging\* started: v3 → v5/);
      // The alarm's period (10 s) and one poll (5 s), with room for a busy machine.
      const steps = await until(
        async () => {
          const updates = await aliasUpdates(world, 'payments-api', 'staging');
          return updates.length >= 2 ? updates : undefined;
        },
        40_000,
        'the rollback',
      );
      expect(steps).toEqual([
        ['3', { '5': 0.1 }],
        ['3', {}],
      ]);
      const progress = world.slack.messages.find(
        (m) => m.channel === 'C0DEPLOY' && m.text.startsWith('Rollout of payments-api:staging'),
      );
      await world.slack.waitForCall(
        'chat.update',
        (call) => call.args.ts === progress?.ts && /Rolled back/.test(JSON.stringify(call.args.blocks)),
      );
      await until(
        () =>
          world.alerts('C0PAYMENTS', CANARY_ALARM).find((m) => m.text.startsWith('Rollout of payments-api:staging')),
        10_000,
        'the rollback notice in the function’s channel',
      );
      // The alarm is alerted too, after the rollback (its record follows the rollback's records).
      const canaryAlert = await until(() => alertsOf('C0PAYMENTS', CANARY_ALARM)[0], 3 * POLL_MS, 'the canary alert');
      expect(shown(canaryAlert)).toMatch(/Errors \(sum over 10 s\) was \d+, above the threshold of 0\./);
    }, 60_000);

    it('npm run audit: verify counts every record, export lists them; the alert was posted once', async () => {
      const { code, out } = await auditVerify(world.prefix, world.redisEnv);
      expect([code, out]).toEqual([0, `audit chain OK: ${RECORDS.length} records\n`]);
      const records = await auditExport(world.prefix, [], world.redisEnv);
      expect(records.map((r) => [r.action, r.result, r.actor])).toEqual(RECORDS);
      expect(records.find((r) => r.action === 'canary.abort')?.detail).toContain(`alarm ${CANARY_ALARM}`);
      // Both replicas polled all along (one at a time, by lease): still one alert per alarm.
      expect(alertsOf('C0ALERTS', 'orders-errors')).toEqual([alert]);
      expect(alertsOf('C0PAYMENTS', CANARY_ALARM)).toHaveLength(1);
      expect(world.alerts('C0PAYMENTS', CANARY_ALARM)).toHaveLength(2);
      await c.placement(topology as T, world, RECORDS.length);
    });
  });
}
