import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, startBot, writePolicy } from '../support/bot-process.js';
import { FakeSlack } from '../support/fake-slack.js';
import { TEST_POLICY } from '../support/policy.js';

const APP_TOKEN = 'xapp-test-app-token-51c3';
let slack: FakeSlack;
let bot: BotProcess;

beforeAll(async () => {
  slack = await FakeSlack.start();
  bot = await startBot({
    SLACK_API_URL: slack.apiUrl,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_SIGNING_SECRET: undefined,
    LAMBDA_BOT_CONFIG: writePolicy(TEST_POLICY),
  });
  await slack.waitForSocket();
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
});

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('opens the connection with the app token against SLACK_API_URL', () => {
    const open = slack.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(APP_TOKEN);
  });

  it('answers /lambda help through the socket', async () => {
    const ack = await slack.sendEnvelope('slash_commands', {
      command: '/lambda',
      text: 'help',
      user_id: 'U0ALICE',
      channel_id: 'C0DEPLOY',
      team_id: 'T0FAKE',
      response_url: slack.newResponseUrl().url,
      trigger_id: 't',
    });
    expect(ack.response_type).toBe('ephemeral');
    expect(JSON.stringify(ack.blocks)).toContain('promote FN:ALIAS V');
  });

  it('publishes the Home tab on app_home_opened through the socket, and a redelivery of the event once only', async () => {
    const delivery = (user: string, eventId: string) => ({
      token: 'legacy-verification-token',
      team_id: 'T0FAKE',
      api_app_id: 'A0LAMBDA',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user, channel: 'D0HOME', tab: 'home' },
    });
    await slack.sendEnvelope('events_api', delivery('U0SOCKET', 'EvSOCKET01'));
    const call = await slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0SOCKET');
    expect(JSON.stringify(call.args.view)).toContain('Waiting for you');
    await slack.sendEnvelope('events_api', delivery('U0SOCKET', 'EvSOCKET01'));
    // A later delivery as a barrier: once its Home is published, the redelivery was handled (and dropped).
    await slack.sendEnvelope('events_api', delivery('U0LATER', 'EvSOCKET02'));
    await slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0LATER');
    await expect
      .poll(() => bot.logs.some((l) => l.includes('event already handled') && l.includes('EvSOCKET01')))
      .toBe(true);
    // Handled once: one opening logged (publishes alone would also count live updates of any change).
    const opened = bot.logs.filter((l) => l.includes('"msg":"home opened"') && l.includes('"user":"U0SOCKET"'));
    expect(opened).toHaveLength(1);
  });

  it('a click on the Home tab through the socket is checked and answered on Home', async () => {
    await slack.sendEnvelope('interactive', {
      type: 'block_actions',
      user: { id: 'U0BOB', username: 'u0bob', team_id: 'T0FAKE' },
      api_app_id: 'A0LAMBDA',
      container: { type: 'view', view_id: 'V0HOME' },
      team: { id: 'T0FAKE', domain: 'fake' },
      view: { id: 'V0HOME', type: 'home', hash: '1.hash', blocks: [] },
      actions: [{ type: 'button', action_id: 'approval.approve', block_id: 'b', value: 'not-an-id', action_ts: '1.1' }],
    });
    const call = await slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0BOB');
    expect(JSON.stringify(call.args.view)).toContain('This button is not one the bot knows');
  });

  it('does not accept HTTP events, yet keeps the health endpoints', async () => {
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '' })).status).toBe(404);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('never logs the app token', () => {
    expect([...bot.logs, ...bot.stderr].join('\n')).not.toContain(APP_TOKEN);
  });
});
