/**
 * Issue 16, fault suite: break-glass against the bot as a process. Correctly signed clicks on
 * `breakglass.review` carrying forged values (garbage, too long, another kind's ID, the ID of a
 * change already reviewed, no string at all), break-glass asked by people outside the role, and
 * reasons too short to review: each refused, nothing changed in AWS or on the announcements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/domain/audit.js';
import { buttonValue, shown, until } from '../support/alarm-world.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { type GlassWorld, startGlassWorld } from '../support/glass-world.js';
import { clickBody, postSigned } from '../support/slack-requests.js';
import { textOf } from '../support/world.js';

const REASON = 'checkout errors at 40%, approver unreachable';
let world: GlassWorld;
/** Reviewed by Bob in beforeAll. */
let reviewedId: string;
/** Open: no forged click may review it. */
let openId: string;
let rolloutId: string;

const announced = () => world.slack.messages.filter((m) => m.text.startsWith('Break-glass: '));

/** What AWS holds and was asked to write, and what the announcements show: none of it may move. */
async function state() {
  const history = await world.control<unknown[]>('GET', '/_emulator/alias-history');
  const calls = await world.control<Record<string, number>>('GET', '/_emulator/calls');
  const writes = Object.entries(calls)
    .filter(([op]) => /UpdateAlias|PublishVersion|CreateAlias|DeleteAlias|UpdateFunction/.test(op))
    .reduce((sum, [, n]) => sum + n, 0);
  const announcements = announced().map((m) => ({ ts: m.ts, updates: m.updates, shown: shown(m) }));
  return { history, writes, announcements };
}

/** Audit records appended after `before`, once there are at least `n`. */
async function appended(before: number, n: number): Promise<AuditRecord[]> {
  return until(
    async () => {
      const all = (await world.audit()).slice(before);
      return all.length >= n ? all : undefined;
    },
    20_000,
    `${n} audit records`,
  );
}

async function breakGlass(text: string): Promise<string> {
  const count = announced().length;
  expect((await world.say(`${text} --break-glass ${REASON}`, 'U0ONCALL')).response_type).toBe('in_channel');
  const [first] = await until(
    () => (announced().length >= count + 2 ? announced().slice(count) : undefined),
    10_000,
    'the announcements',
  );
  return buttonValue(first as PostedMessage, 'breakglass.review');
}

beforeAll(async () => {
  world = await startGlassWorld();
  reviewedId = await breakGlass('promote payments-api:prod 4');
  openId = await breakGlass('promote orders-api:prod 2');
  const reviewed = await world.click('breakglass.review', reviewedId, 'U0BOB');
  expect(textOf(await reviewed.reply())).toContain('You reviewed the break-glass promote to v4');
  expect(textOf(await world.say('canary payments-api:staging 4 --steps 10,100 --every 1h'))).toMatch(/started/);
  const progress = await until(
    () => world.slack.messages.find((m) => m.text.startsWith('Rollout of payments-api:staging')),
    10_000,
    'the progress message',
  );
  rolloutId = /"value":"(o[a-z2-9]{16})"/.exec(JSON.stringify(progress.blocks))?.[1] as string;
  expect(rolloutId).toBeDefined();
  // Its first step is taken in the background; the next is an hour away on a clock nobody moves.
  await until(
    async () => ((await world.routing('payments-api', 'staging')).additional?.weight === 0.1 ? true : undefined),
    10_000,
    'the canary’s first step',
  );
});

afterAll(async () => {
  await world?.close();
});

describe('forged breakglass.review values', () => {
  it('garbage, too long, another kind’s ID, an unknown ID: refused, told, audited; nothing changes', async () => {
    const before = await state();
    const audited = (await world.audit()).length;
    const clicks: Array<[action: string, value: string, told: RegExp]> = [
      ['breakglass.review', '', /no such break-glass change/],
      ['breakglass.review', 'garbage', /no such break-glass change/],
      ['breakglass.review', `b${'z'.repeat(16)}`, /no such break-glass change/],
      ['breakglass.review', `${openId} `, /no such break-glass change/],
      ['breakglass.review', openId.toUpperCase(), /no such break-glass change/],
      ['breakglass.review', `a${openId.slice(1)}`, /no such break-glass change/],
      ['breakglass.review', rolloutId, /no such break-glass change/],
      ['breakglass.review', '../../*', /no such break-glass change/],
      ['breakglass.review', `{"id":"${openId}"}`, /no such break-glass change/],
      ['breakglass.review', '🚀\u0000\u202e', /no such break-glass change/],
      ['breakglass.review', `b${'z'.repeat(200)}`, /malformed button value/],
      ['breakglass.review', openId.repeat(100), /malformed button value/],
      ['approval.approve', openId, /no such approval request/],
      ['rollout.abort', openId, /no such rollout/],
    ];
    const replies = await Promise.all(
      clicks.map(async ([action, value], i) => {
        const user = `U0FORGE${i}`;
        const { ack, reply } = await world.click(action, value, user);
        expect(ack.status).toBe(200);
        return { user, reply: await reply() };
      }),
    );
    replies.forEach(({ reply }, i) => {
      expect(reply.response_type).toBe('ephemeral');
      expect(textOf(reply)).toMatch(clicks[i]?.[2] as RegExp);
      expect(textOf(reply)).toContain('Nothing was changed');
    });
    const records = await appended(audited, clicks.length);
    expect(records).toHaveLength(clicks.length);
    for (const { user } of replies) {
      expect(records.filter((r) => r.actor === user).map((r) => [r.action, r.result])).toEqual([['denied', 'denied']]);
    }
    expect(await state()).toEqual(before);
  });

  it('the ID of a change already reviewed: refused, says by whom, audited as a refused review', async () => {
    const before = await state();
    const audited = (await world.audit()).length;
    const { reply } = await world.click('breakglass.review', reviewedId, 'U0CAROL');
    // Who reviewed it as a mention Slack shows as a name, not as escaped text.
    expect(textOf(await reply())).toMatch(/Your click changed nothing: it was already reviewed at \S+ \(by <@U0BOB>\)/);
    const [record] = await appended(audited, 1);
    expect(record).toMatchObject({ actor: 'U0CAROL', action: 'breakglass.review', result: 'denied' });
    expect(record?.detail).toContain(`break-glass ${reviewedId}`);
    expect(await state()).toEqual(before);
  });

  it('a value that is no string: a missing one refused and audited; a number, object or null never dispatched', async () => {
    const before = await state();
    const audited = (await world.audit()).length;
    const forged = (value: unknown, user: string, responseUrl: string) => {
      const form = new URLSearchParams(
        clickBody({ action_id: 'breakglass.review', value: openId, user_id: user, response_url: responseUrl }),
      );
      const payload = JSON.parse(form.get('payload') as string);
      if (value === undefined) delete payload.actions[0].value;
      else payload.actions[0].value = value;
      return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    };
    const missing = world.slack.newResponseUrl();
    const sent = await postSigned(world.bot.url, SIGNING_SECRET, forged(undefined, 'U0NOVALUE', missing.url));
    expect(sent.status).toBe(200);
    expect(textOf(await world.slack.waitForResponse(missing.id))).toMatch(/malformed button value/);
    const [record] = await appended(audited, 1);
    expect(record).toMatchObject({ actor: 'U0NOVALUE', action: 'denied', result: 'denied' });

    const responses = world.slack.responses.length;
    for (const value of [42, { id: openId }, null, [openId], true]) {
      const r = world.slack.newResponseUrl();
      const answer = await postSigned(world.bot.url, SIGNING_SECRET, forged(value, 'U0NOSTRING', r.url));
      // Refused at the door (signed, but no payload Slack sends): as every malformed body, answered 400 and not audited.
      expect([value, answer.status, answer.text]).toEqual([value, 400, expect.stringMatching(/no string/)]);
    }
    expect(world.slack.responses.length).toBe(responses);
    expect((await world.audit()).length).toBe(audited + 1);
    expect(await state()).toEqual(before);
  });
});

describe('break-glass outside the role', () => {
  it('refused with who may, audited as denied, on every command it may end; nothing changes', async () => {
    const before = await state();
    const audited = (await world.audit()).length;
    const asks: Array<[user: string, text: string]> = [
      ['U0ALICE', 'promote payments-api:prod 5'],
      ['U0CAROL', 'shift payments-api:prod 5 10'],
      ['U0STRANGER', 'rollback payments-api:prod 3'],
      ['U0BOB', 'canary orders-api:prod 3 --steps 50,100 --every 1m'],
    ];
    for (const [user, text] of asks) {
      const reply = await world.say(`${text} --break-glass ${REASON}`, user);
      expect(reply.response_type).toBe('ephemeral');
      expect(textOf(reply)).toContain('Who may: <@U0ONCALL>, <@U0DAVE>.');
    }
    const records = await appended(audited, asks.length);
    expect(records.map((r) => [r.actor, r.result])).toEqual(asks.map(([user]) => [user, 'denied']));
    for (const r of records) expect(r.detail).toMatch(/^break-glass refused/);
    expect(records.some((r) => r.breakglass)).toBe(false);
    expect(await state()).toEqual(before);
  });
});

describe('a reason too short to review', () => {
  it('gets the usage, nothing audited as a change, nothing changed', async () => {
    const before = await state();
    const audited = await world.audit();
    for (const reason of ['', 'oops', 'two words', 'x y z', `${'long '.repeat(101)}`]) {
      const reply = await world.say(`promote payments-api:prod 5 --break-glass ${reason}`, 'U0ONCALL');
      expect(reply.response_type).toBe('ephemeral');
      expect(textOf(reply)).toMatch(/--break-glass needs a (value|reason of at least 3 words)|keep it under 500/);
      expect(textOf(reply)).toMatch(/promote FN:ALIAS V/);
    }
    const after = await world.audit();
    // Refused as usage before any service: no change, no intent, no break-glass on the record.
    expect(after.slice(audited.length).filter((r) => r.result !== 'denied' || r.breakglass)).toEqual([]);
    expect(await state()).toEqual(before);
  });
});
