/**
 * Issue 15, item 6: the buttons of an outside-change alert against the bot as a process. Someone at
 * the console moves an alias; the alert comes with `outside.revert` and `outside.accept`. Clicks
 * correctly signed but carrying forged values (another kind's ID, garbage, an ID the bot never
 * issued) and byte-for-byte replays of a click already honoured are each refused, told to the
 * clicker, audited as refused, and change nothing in AWS.
 */
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/domain/audit.js';
import { auditExport, auditVerify } from '../support/audit-cli.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import { TEST_POLICY } from '../support/policy.js';
import { clickBody, postSigned, sendClick } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

const MALLORY = 'arn:aws:iam::000000000000:user/mallory';
let world: World;
let mallory: LambdaClient;
let alertId: string;

async function until<T>(what: string, find: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function aliasWrites(): Promise<number> {
  const calls = await world.control<Record<string, number>>('GET', '/_emulator/calls');
  return Object.entries(calls)
    .filter(([op]) => /UpdateAlias|CreateAlias|DeleteAlias|PublishVersion/.test(op))
    .reduce((sum, [, n]) => sum + n, 0);
}

beforeAll(async () => {
  // The shortest watch the policy allows, so the alert comes within seconds.
  world = await startWorld({ policy: `watch_interval: 10s\n${TEST_POLICY}` });
  await world.control('PUT', '/_emulator/principals', { accessKeyId: 'AKIDMALLORY', arn: MALLORY });
  mallory = new LambdaClient({
    endpoint: world.emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDMALLORY', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  // The bot sets orders-api:prod itself first, so it knows what to put it back to.
  await (await world.command('promote orders-api:prod 2')).response();
  // Wait until a watch has seen the bot's own move (which it never alerts): mallory's is the next.
  const { RevisionId } = await world.lambda.send(new GetAliasCommand({ FunctionName: 'orders-api', Name: 'prod' }));
  await until('the watch to see the bot’s own move', async () => {
    const state = await world.redis.hget(`${world.prefix}{outside}:watch:orders-api`, 'state');
    return state && JSON.parse(state).aliases?.prod?.revisionId === RevisionId ? true : undefined;
  });
  await mallory.send(new UpdateAliasCommand({ FunctionName: 'orders-api', Name: 'prod', FunctionVersion: '1' }));
  const alert = await until('the outside-change alert', async () =>
    world.slack.messages.find((m) => m.channel === 'C0ALERTS' && /outside the bot/.test(m.text)),
  );
  alertId = /"value":"(x[a-z2-9]{16})"/.exec(JSON.stringify(alert.blocks))?.[1] as string;
  expect(alertId).toBeDefined();
});

afterAll(async () => {
  mallory?.destroy();
  await world?.close();
});

describe('outside-change buttons', () => {
  it('forged values are refused, told and audited as denied, and change nothing', async () => {
    const writes = await aliasWrites();
    const before = (await auditExport(world.prefix)).length;
    const clicks: Array<[action: string, value: string]> = [
      ['outside.revert', ''],
      ['outside.revert', 'garbage'],
      ['outside.revert', `x${'z'.repeat(16)}`],
      ['outside.accept', `x${'z'.repeat(16)}`],
      ['outside.revert', `o${alertId.slice(1)}`],
      ['outside.accept', `${alertId} `],
      ['outside.accept', alertId.toUpperCase()],
      ['outside.revert', '../../*'],
      ['outside.accept', '{"alert":"x"}'],
      ['outside.revert', '🚀\u0000\u202e'],
      ['outside.accept', 'x'.repeat(300)],
    ];
    const replies = await Promise.all(
      clicks.map(async ([action_id, value], i) => {
        const user = `U0FORGE${i}`;
        const r = world.slack.newResponseUrl();
        const ack = await sendClick(world.bot.url, SIGNING_SECRET, {
          action_id,
          value,
          user_id: user,
          response_url: r.url,
        });
        expect(ack.status).toBe(200);
        return { user, reply: await world.slack.waitForResponse(r.id) };
      }),
    );
    for (const { reply } of replies) {
      expect(reply.response_type).toBe('ephemeral');
      expect(textOf(reply)).toMatch(/no such outside-change alert|malformed/);
    }
    // Well-formed values the bot never issued reach the store and are refused there, by name.
    const unknown = replies.filter(({ reply }) => /no such outside-change alert/.test(textOf(reply)));
    expect(unknown.length).toBeGreaterThanOrEqual(4);
    const records = await until('the refusals on the audit log', async () => {
      const all = (await auditExport(world.prefix)).slice(before);
      return all.length >= clicks.length ? all : undefined;
    });
    for (const { user } of replies) {
      const mine = records.filter((r: AuditRecord) => r.actor === user);
      expect(mine.map((r) => [r.action, r.result])).toEqual([['denied', 'denied']]);
    }
    expect(await aliasWrites()).toBe(writes);
  });

  it('a replayed revert (the same signed request again) changes nothing, is told and audited', async () => {
    const r = world.slack.newResponseUrl();
    const body = clickBody({ action_id: 'outside.revert', value: alertId, user_id: 'U0ONCALL', response_url: r.url });
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await postSigned(world.bot.url, SIGNING_SECRET, body, { timestamp })).status).toBe(200);
    expect(textOf(await world.slack.waitForResponse(r.id))).toMatch(/Put back/);
    expect((await world.routing('orders-api', 'prod')).primary).toBe('2');
    const writes = await aliasWrites();

    const replay = world.slack.newResponseUrl();
    const again = body.replace(encodeURIComponent(r.url), encodeURIComponent(replay.url));
    // Byte for byte, within Slack's five minutes: the signature is good, so the bot must refuse it itself.
    expect((await postSigned(world.bot.url, SIGNING_SECRET, body, { timestamp })).status).toBe(200);
    expect((await postSigned(world.bot.url, SIGNING_SECRET, again, { timestamp })).status).toBe(200);
    expect(textOf(await world.slack.waitForResponse(replay.id))).toMatch(/changed nothing/);
    const accept = world.slack.newResponseUrl();
    await sendClick(world.bot.url, SIGNING_SECRET, {
      action_id: 'outside.accept',
      value: alertId,
      user_id: 'U0ALICE',
      response_url: accept.url,
    });
    expect(textOf(await world.slack.waitForResponse(accept.id))).toMatch(/changed nothing/);

    const refused = await until('the refused replays on the audit log', async () => {
      const all = (await auditExport(world.prefix)).filter((x) => x.result === 'denied' && x.request !== null);
      const mine = all.filter((x) => x.action === 'outside.revert' || x.action === 'outside.accept');
      return mine.length >= 3 ? mine : undefined;
    });
    expect(refused.map((x) => [x.actor, x.action])).toEqual([
      ['U0ONCALL', 'outside.revert'],
      ['U0ONCALL', 'outside.revert'],
      ['U0ALICE', 'outside.accept'],
    ]);
    expect(await aliasWrites()).toBe(writes);
    expect((await world.routing('orders-api', 'prod')).primary).toBe('2');
    expect((await auditVerify(world.prefix)).code).toBe(0);
  });
});
