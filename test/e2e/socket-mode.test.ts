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

  it('does not accept HTTP events, yet keeps the health endpoints', async () => {
    expect((await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '' })).status).toBe(404);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('never logs the app token', () => {
    expect([...bot.logs, ...bot.stderr].join('\n')).not.toContain(APP_TOKEN);
  });
});
