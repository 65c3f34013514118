import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Logger, LogLevel, type SlashCommand } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningConsole, startConsole } from '../../sandbox/console/server.js';
import type { MessageView, StateView } from '../../sandbox/console/views.js';
import { CHANNELS, PEOPLE } from '../../sandbox/demo/people.js';
import { demoWorkspace } from '../../sandbox/demo/workspace.js';
import { STATIC_DIR } from '../../sandbox/paths.js';
import { postSigned } from '../../sandbox/slack/requests.js';
import { type EventLog, openEvents } from '../support/sse.js';

/**
 * The console's protocol side, without a browser: it plays Slack to a real Bolt app (the one the
 * bot is built on), so Bolt's own request verification checks the signatures, and the page's API
 * and event stream show each person what Slack would show them.
 */
const SECRET = 'console-test-signing-secret';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const DEPLOYS = CHANNELS.deploys.id;

const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

let console_: RunningConsole;
let bot: Server;
let botUrl: string;
const commands: SlashCommand[] = [];
const clicks: Record<string, unknown>[] = [];
const streams: EventLog[] = [];

beforeAll(async () => {
  console_ = await startConsole({
    workspace: demoWorkspace(),
    signingSecret: SECRET,
    staticDir: STATIC_DIR,
    people: PEOPLE,
    suggestions: [],
  });
  const receiver = new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logger: quiet });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-console-test', botId: 'B0LAMBDABOT', botUserId: 'U0LAMBDABOT' }),
    clientOptions: { slackApiUrl: console_.slack.apiUrl },
    // One test sends a forgery on purpose: Bolt's complaint about it is expected, not news.
    logger: quiet,
  });
  app.command('/lambda', async ({ command, ack, respond, client }) => {
    commands.push(command);
    if (command.text === 'ack') return void (await ack({ response_type: 'ephemeral', text: 'only you, in the ack' }));
    await ack();
    if (command.text === 'public') await respond({ response_type: 'in_channel', text: 'for everyone' });
    if (command.text === 'post') {
      await client.chat.postMessage({
        channel: command.channel_id,
        text: 'a request',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: '*A request*' } },
          {
            type: 'actions',
            block_id: 'req',
            elements: [
              {
                type: 'button',
                action_id: 'demo.approve',
                value: 'r1',
                style: 'primary',
                text: { type: 'plain_text', text: 'Approve' },
              },
            ],
          },
        ],
      });
    }
  });
  app.action('demo.approve', async ({ ack, body, client, respond }) => {
    await ack();
    clicks.push(body as unknown as Record<string, unknown>);
    const channel = (body as { channel: { id: string } }).channel.id;
    const ts = (body as { message: { ts: string } }).message.ts;
    await client.chat.update({ channel, ts, text: `approved by ${body.user.id}`, blocks: [] });
    await respond({ response_type: 'ephemeral', replace_original: false, text: 'you approved' });
  });
  bot = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
  botUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}`;
  console_.bot.ready(botUrl);
});

afterAll(async () => {
  for (const s of streams) s.close();
  bot?.closeAllConnections();
  await new Promise((resolve) => bot?.close(resolve));
  await console_?.close();
});

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${console_.url}${path.slice(1)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function seen(user: string): Promise<readonly MessageView[]> {
  const response = await fetch(`${console_.url}console/state?user=${user}`);
  return ((await response.json()) as StateView).messages;
}

async function events(user: string): Promise<EventLog> {
  const log = await openEvents(`${console_.url}console/events?user=${user}`);
  streams.push(log);
  return log;
}

describe('slash commands', () => {
  it('reach the bot signed as Slack signs them, with every field and a response_url back to the console', async () => {
    expect(await post('/console/command', { user: ALICE, channel: DEPLOYS, text: '/lambda ack' })).toEqual({
      ok: true,
    });
    expect(commands.at(-1)).toMatchObject({
      command: '/lambda',
      text: 'ack',
      user_id: ALICE,
      user_name: 'alice',
      channel_id: DEPLOYS,
      channel_name: 'deploys',
      team_id: 'T0ACME',
      response_url: expect.stringMatching(new RegExp(`^${console_.url}response/resp\\d+$`)),
      trigger_id: expect.any(String),
    });
  });

  it('an ephemeral answer and the command itself are seen by the person who typed it, and no one else', async () => {
    const alice = (await seen(ALICE)).map((m) => [m.user, m.text, m.ephemeral]);
    expect(alice).toEqual(
      expect.arrayContaining([
        [ALICE, '/lambda ack', true],
        ['U0LAMBDABOT', 'only you, in the ack', true],
      ]),
    );
    expect((await seen(BOB)).filter((m) => m.text === '/lambda ack' || m.text.includes('in the ack'))).toEqual([]);
  });

  it('an in_channel answer is seen by everyone, and so is the command it answers', async () => {
    await post('/console/command', { user: ALICE, channel: DEPLOYS, text: '/lambda public' });
    const bob = await waitFor(async () => {
      const messages = await seen(BOB);
      return messages.some((m) => m.text === 'for everyone') ? messages : undefined;
    });
    expect(bob.filter((m) => /public|everyone/.test(m.text)).map((m) => [m.user, m.text, m.ephemeral])).toEqual([
      [ALICE, '/lambda public', false],
      ['U0LAMBDABOT', 'for everyone', false],
    ]);
  });

  it('a request Bolt cannot verify is refused there, and the person is told the command failed', async () => {
    const forged = await postSigned(botUrl, 'not-the-secret', 'command=%2Flambda&text=help');
    expect(forged.status).toBe(401);
    const refusing = createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    console_.bot.ready(`http://127.0.0.1:${(refusing.address() as AddressInfo).port}`);
    try {
      const answer = await post('/console/command', { user: ALICE, channel: DEPLOYS, text: '/lambda status' });
      expect(answer).toEqual({ ok: false, error: '/lambda failed with the error "http_401"' });
      expect((await seen(ALICE)).at(-1)).toMatchObject({ user: 'USLACKBOT', ephemeral: true });
    } finally {
      console_.bot.ready(botUrl);
      await new Promise((resolve) => refusing.close(resolve));
    }
  });

  it('while the bot is not running, a command says so instead of vanishing', async () => {
    console_.bot.stopped('test');
    try {
      const answer = await post('/console/command', { user: BOB, channel: DEPLOYS, text: '/lambda help' });
      expect(answer).toEqual({ ok: false, error: expect.stringMatching(/^The bot has stopped, so nothing was sent/) });
    } finally {
      console_.bot.ready(botUrl);
    }
  });
});

describe('button clicks, updates and the event stream', () => {
  let request: MessageView;
  let alice: EventLog;
  let bob: EventLog;

  beforeAll(async () => {
    alice = await events(ALICE);
    bob = await events(BOB);
    await post('/console/command', { user: ALICE, channel: DEPLOYS, text: '/lambda post' });
    request = (await bob.next('message', (m: MessageView) => m.text === 'a request')) as MessageView;
  });

  it('each stream starts with the bot’s state', () => {
    expect(bob.events[0]).toEqual({ event: 'bot', data: { state: 'ready' } });
  });

  it('a click sends a signed block_actions payload with the channel, the message, the clicker and a response_url', async () => {
    const answer = await post('/console/click', {
      user: BOB,
      channel: DEPLOYS,
      ts: request.ts,
      block_id: 'req',
      action_id: 'demo.approve',
    });
    expect(answer).toEqual({ ok: true });
    const payload = await waitFor(async () => clicks[0]);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: BOB, username: 'bob' },
      team: { id: 'T0ACME' },
      channel: { id: DEPLOYS, name: 'deploys' },
      container: { type: 'message', channel_id: DEPLOYS, message_ts: request.ts, is_ephemeral: false },
      message: { ts: request.ts, text: 'a request' },
      response_url: expect.stringMatching(new RegExp(`^${console_.url}response/`)),
      actions: [{ type: 'button', action_id: 'demo.approve', block_id: 'req', value: 'r1', style: 'primary' }],
    });
  });

  it('chat.update changes the message in place, marked edited, for everyone', async () => {
    for (const stream of [alice, bob]) {
      const updated = (await stream.next(
        'message',
        (m: MessageView) => m.ts === request.ts && m.edited,
      )) as MessageView;
      expect(updated).toMatchObject({ text: 'approved by U0BOB', blocks: [], edited: true, user: 'U0LAMBDABOT' });
    }
    expect((await seen(ALICE)).filter((m) => m.ts === request.ts)).toHaveLength(1);
  });

  it('the answer to the click reaches the clicker’s stream only', async () => {
    await bob.next('message', (m: MessageView) => m.text === 'you approved' && m.ephemeral);
    // Streams keep order: once Alice sees a later message, she has seen everything before it.
    await post('/console/message', { user: BOB, channel: DEPLOYS, text: 'marker' });
    await alice.next('message', (m: MessageView) => m.text === 'marker');
    expect(alice.events.some((e) => (e.data as MessageView).text === 'you approved')).toBe(false);
  });

  it('a button the message no longer has is refused without reaching the bot', async () => {
    const before = clicks.length;
    const answer = await post('/console/click', {
      user: BOB,
      channel: DEPLOYS,
      ts: request.ts,
      block_id: 'req',
      action_id: 'demo.approve',
    });
    expect(answer).toEqual({ ok: false, error: 'no such button on the message' });
    expect(clicks).toHaveLength(before);
  });
});

describe('response_url', () => {
  it('takes five posts, as Slack’s do, then refuses', async () => {
    const { url } = console_.slack.responseUrls.issue({ channel: DEPLOYS, user: ALICE });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(url, { method: 'POST', body: JSON.stringify({ text: `reply ${i}` }) });
      statuses.push(response.status);
      if (i === 5) expect(await response.text()).toBe('used_url');
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });
});

async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
