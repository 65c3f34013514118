/**
 * The App Home tab end to end (CONTRACT §12): the bot as a process, the fake Slack recording
 * views.publish, the emulator, Redis. Opening Home publishes the console; a click on Home is
 * checked as any click is and answered on Home; Slack's retries of an event are handled once,
 * across replicas too; url_verification is answered; other events and malformed bodies do nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExport } from '../support/audit-cli.js';
import { type BotProcess, SIGNING_SECRET } from '../support/bot-process.js';
import type { ApiCall, PostedMessage } from '../support/fake-slack.js';
import { sendEvent, sendHomeClick, sendJson } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';

let world: World;
let replica: BotProcess;

beforeAll(async () => {
  world = await startWorld();
  replica = await world.startReplica();
});

afterAll(async () => {
  await world?.close();
});

const homeOpened = (user: string) => ({ type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' });

function viewOf(call: ApiCall): { type: string; blocks: Record<string, unknown>[] } {
  const view = call.args.view;
  return (typeof view === 'string' ? JSON.parse(view) : view) as { type: string; blocks: Record<string, unknown>[] };
}

const publishesFor = (user: string) => world.slack.callsTo('views.publish').filter((c) => c.args.user_id === user);

/** Waits for a views.publish for `user` whose view matches, made after `after` publishes for them. */
async function published(user: string, match: RegExp = /./, after = 0): Promise<string> {
  const call = await world.slack.waitForCall(
    'views.publish',
    (c) => c.args.user_id === user && publishesFor(user).indexOf(c) >= after && match.test(JSON.stringify(viewOf(c))),
    20_000,
  );
  return JSON.stringify(viewOf(call));
}

/** Alice asks for a change on the protected alias; resolves with the request message and its ID. */
async function requestPromote(version: string): Promise<{ message: PostedMessage; id: string }> {
  const before = world.slack.messages.length;
  const { response } = await world.command(`promote payments-api:prod ${version}`, 'U0ALICE');
  await response();
  await world.slack.waitForCall('chat.postMessage', () => world.slack.messages.length > before);
  const message = world.slack.messages.slice(before).find((m) => m.channel === 'C0APPROVALS') as PostedMessage;
  const id = /request `(a[a-z2-9]{16})`/.exec(JSON.stringify(message.blocks))?.[1] as string;
  return { message, id };
}

/** Waits for a line one of the bot processes logged (pino JSON). */
/** How many times the bots handled someone opening Home (live updates publish too, so publishes do not tell). */
function openings(bots: BotProcess[], user: string): number {
  const lines = bots.flatMap((b) => b.logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)));
  return lines.filter((l) => l.msg === 'home opened' && l.user === user).length;
}

async function loggedByEither(bots: BotProcess[], match: (line: Record<string, unknown>) => boolean): Promise<void> {
  const seen = () => bots.some((b) => b.logs.some((l) => l.startsWith('{') && match(JSON.parse(l))));
  for (let i = 0; i < 400 && !seen(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!seen()) throw new Error('the expected log line never came');
}

const logged = (bot: BotProcess, match: (line: Record<string, unknown>) => boolean) => loggedByEither([bot], match);

describe('opening the Home tab', () => {
  it('publishes the console for that person: waiting for you, in flight, fleet, last changes', async () => {
    const reply = await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0CAROL'));
    expect(reply.status).toBe(200);
    const view = await published('U0CAROL');
    for (const section of ['"type":"home"', 'Waiting for you', 'In flight', 'Fleet', 'Last changes']) {
      expect(view).toContain(section);
    }
    expect(view).toContain('payments-api:prod');
    expect(view).toContain('orders-api:prod');
    expect(publishesFor('U0CAROL')[0]?.token).toBe('xoxb-test-bot-token-9d1e7b');
  });

  it('the messages tab opening publishes nothing', async () => {
    await sendEvent(world.bot.url, SIGNING_SECRET, { ...homeOpened('U0MSGTAB'), tab: 'messages' });
    await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0BARRIER1'));
    await published('U0BARRIER1');
    expect(publishesFor('U0MSGTAB')).toHaveLength(0);
  });
});

describe('deciding from Home', () => {
  it('an approver approves from Home: the change is made, the channel message updated, the Home answered', async () => {
    const { message, id } = await requestPromote('4');
    await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0BOB'));
    const view = await published('U0BOB', new RegExp(id));
    expect(view).toMatch(new RegExp(`"action_id":"approval.approve"[^}]*"value":"${id}"`));
    const before = publishesFor('U0BOB').length;
    const click = await sendHomeClick(world.bot.url, SIGNING_SECRET, {
      action_id: 'approval.approve',
      value: id,
      user_id: 'U0BOB',
    });
    expect(click.status).toBe(200);
    const answer = await published('U0BOB', /You approved: the change is applied/, before);
    // The request has left Waiting for you, and the change is among the last changes.
    expect(answer).not.toContain(`"value":"${id}"`);
    await world.slack.waitForCall(
      'chat.update',
      (c) => c.args.ts === message.ts && /Applied/.test(JSON.stringify(c.args.blocks)),
    );
    expect(textOf(message as unknown as Record<string, unknown>)).toMatch(/Applied/);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '4' });
    const records = await auditExport(world.prefix);
    expect(records.find((r) => r.action === 'approval.approve' && r.result === 'ok')?.actor).toBe('U0BOB');
  });

  it('someone with no role sees no button, and a click they forge from Home is refused, audited, answered on Home', async () => {
    const { id } = await requestPromote('3');
    await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0NOBODY'));
    const view = await published('U0NOBODY');
    expect(view).not.toContain('"type":"actions"');
    const before = publishesFor('U0NOBODY').length;
    await sendHomeClick(world.bot.url, SIGNING_SECRET, {
      action_id: 'approval.approve',
      value: id,
      user_id: 'U0NOBODY',
    });
    await published('U0NOBODY', /only approvers may approve/, before);
    const denied = (await auditExport(world.prefix)).filter((r) => r.actor === 'U0NOBODY' && r.result === 'denied');
    expect(denied.map((r) => r.action)).toEqual(['approval.approve']);
    expect(await world.routing('payments-api', 'prod')).toEqual({ primary: '4' });
  });

  it('a forged value from Home is refused and audited like any forged click', async () => {
    const before = publishesFor('U0CAROL').length;
    await sendHomeClick(world.bot.url, SIGNING_SECRET, {
      action_id: 'rollout.abort',
      value: 'onotarolloutatall',
      user_id: 'U0CAROL',
    });
    await published('U0CAROL', /no such rollout|does not exist|no longer/i, before);
    const records = await auditExport(world.prefix);
    expect(
      records.some((r) => r.actor === 'U0CAROL' && r.action === 'denied' && /onotarolloutatall/.test(r.detail)),
    ).toBe(true);
  });
});

describe('rollouts from Home', () => {
  it('a deployer pauses then aborts a rollout from Home; the progress message follows and Home answers', async () => {
    const reply = await (await world.command('canary orders-api:prod 2 --steps 10,50,100 --every 10m')).response();
    expect(textOf(reply)).toMatch(/Rollout of .*orders-api:prod.* started/);
    const id = await (async () => {
      await world.slack.waitForCall('chat.update', (c) => /Step 1 of 3/.test(JSON.stringify(c.args.blocks)));
      const progress = world.slack.messages.find((m) => /Rollout of orders-api:prod/.test(m.text)) as PostedMessage;
      return /rollout `(o[a-z2-9]{16})`/.exec(JSON.stringify(progress.blocks))?.[1] as string;
    })();
    await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0ALICE'));
    const view = await published('U0ALICE', new RegExp(`"action_id":"rollout.pause","value":"${id}"`));
    expect(view).toMatch(/step 1 of 3 \(10%\)/);
    expect(view).toContain(`"action_id":"rollout.abort","value":"${id}"`);
    let before = publishesFor('U0ALICE').length;
    await sendHomeClick(world.bot.url, SIGNING_SECRET, { action_id: 'rollout.pause', value: id, user_id: 'U0ALICE' });
    await published('U0ALICE', /paused/i, before);
    await world.slack.waitForCall('chat.update', (c) => /Paused/.test(JSON.stringify(c.args.blocks)));
    before = publishesFor('U0ALICE').length;
    await sendHomeClick(world.bot.url, SIGNING_SECRET, { action_id: 'rollout.abort', value: id, user_id: 'U0ALICE' });
    const after = await published('U0ALICE', /abort/i, before);
    expect(after).toContain('No rollout under way');
    expect(await world.routing('orders-api', 'prod')).toEqual({ primary: '1' });
    const records = await auditExport(world.prefix);
    expect(
      records.filter((r) => r.actor === 'U0ALICE' && /^canary\.(pause|abort)$/.test(r.action)).map((r) => r.action),
    ).toEqual(['canary.pause', 'canary.abort']);
  });
});

describe('Events API deliveries', () => {
  it('a delivery Slack retries (same event_id, X-Slack-Retry-Num) is handled once', async () => {
    const eventId = 'EvRETRY0001';
    await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0RETRY'), { eventId });
    await published('U0RETRY');
    const retry = await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0RETRY'), { eventId, retryNum: 1 });
    expect(retry.status).toBe(200);
    await logged(world.bot, (l) => l.msg === 'event already handled' && l.event === eventId && l.retry === 1);
    expect(openings([world.bot], 'U0RETRY')).toBe(1);
    expect(publishesFor('U0RETRY').length).toBeGreaterThanOrEqual(1);
  });

  it('a retry that reaches another replica is handled once across both', async () => {
    const eventId = 'EvRETRY0002';
    await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0TWICE'), { eventId });
    await published('U0TWICE');
    await sendEvent(replica.url, SIGNING_SECRET, homeOpened('U0TWICE'), { eventId, retryNum: 1 });
    await logged(replica, (l) => l.msg === 'event already handled' && l.event === eventId);
    // Both at once, as when Slack's retry overlaps a slow answer: one of them publishes.
    const raced = 'EvRETRY0003';
    await Promise.all([
      sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0RACE'), { eventId: raced }),
      sendEvent(replica.url, SIGNING_SECRET, homeOpened('U0RACE'), { eventId: raced, retryNum: 1 }),
    ]);
    await published('U0RACE');
    await loggedByEither([world.bot, replica], (l) => l.msg === 'event already handled' && l.event === raced);
    // Handled once each; the publishes may be more, since a viewer also gets live updates of earlier changes.
    expect(openings([world.bot, replica], 'U0TWICE')).toBe(1);
    expect(openings([world.bot, replica], 'U0RACE')).toBe(1);
    expect(publishesFor('U0TWICE').length).toBeGreaterThanOrEqual(1);
    expect(publishesFor('U0RACE').length).toBeGreaterThanOrEqual(1);
  });

  it('url_verification is answered with the challenge when signed, and refused unsigned', async () => {
    const body = JSON.stringify({ token: 'legacy', challenge: 'c-3b1f', type: 'url_verification' });
    const signed = await sendJson(world.bot.url, SIGNING_SECRET, body);
    expect(signed.status).toBe(200);
    expect(signed.text).toContain('c-3b1f');
    expect((await sendJson(world.bot.url, SIGNING_SECRET, body, { unsigned: true })).status).toBe(401);
  });

  it('an event of an unknown type and malformed bodies are answered without effect', async () => {
    const calls = world.slack.calls.length;
    const records = (await auditExport(world.prefix)).length;
    const unknown = await sendEvent(world.bot.url, SIGNING_SECRET, { type: 'reaction_added', user: 'U0STRANGER' });
    expect(unknown.status).toBe(200);
    const noUser = await sendEvent(world.bot.url, SIGNING_SECRET, { type: 'app_home_opened', tab: 'home' });
    expect(noUser.status).toBe(200);
    const forged = await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('<!channel>'));
    expect(forged.status).toBe(200);
    for (const body of ['not json', '{"type":"event_callback"}', '{"type":"event_callback","event":[]}', 'null']) {
      expect((await sendJson(world.bot.url, SIGNING_SECRET, body)).status).toBe(400);
    }
    // A barrier: by the time this is published, the deliveries above were handled.
    await sendEvent(world.bot.url, SIGNING_SECRET, homeOpened('U0BARRIER2'));
    await published('U0BARRIER2');
    // Messages, and views for anyone these deliveries name: reading user groups for the barrier's own
    // Home is no effect, and earlier tests' viewers may get live updates of their own meanwhile.
    const named = new Set(['U0STRANGER', '<!channel>', undefined]);
    const effects = world.slack.calls
      .slice(calls)
      .filter((c) => /^chat\./.test(c.method) || (/^views\./.test(c.method) && named.has(c.args.user_id as string)));
    expect(effects.map((c) => c.method)).toEqual([]);
    expect(await auditExport(world.prefix)).toHaveLength(records);
    expect(world.bot.child.exitCode).toBeNull();
  });
});
