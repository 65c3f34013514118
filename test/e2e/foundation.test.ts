import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pastEndOfLife } from '../../src/domain/node-line.js';
import {
  BOT_TOKEN,
  type BotProcess,
  runBotToExit,
  SIGNING_SECRET,
  startBot,
  writePolicy,
} from '../support/bot-process.js';
import { FakeSlack } from '../support/fake-slack.js';
import { TEST_POLICY } from '../support/policy.js';
import { sendCommand, sendEvent } from '../support/slack-requests.js';

const policyFile = writePolicy(TEST_POLICY);
let slack: FakeSlack;
let bot: BotProcess;

beforeAll(async () => {
  slack = await FakeSlack.start();
  bot = await startBot({
    SLACK_API_URL: slack.apiUrl,
    LAMBDA_BOT_CONFIG: policyFile,
    // Nothing listens here: /readyz must name AWS as what fails.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  });
});

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
});

function blocksText(body: Record<string, unknown> | undefined): string {
  return JSON.stringify(body?.blocks ?? '');
}

describe('slash commands over signed HTTP', () => {
  it('/lambda help answers with the usage in the acknowledgement', async () => {
    const reply = await sendCommand(bot.url, SIGNING_SECRET, { text: 'help' });
    expect(reply.status).toBe(200);
    expect(reply.json?.response_type).toBe('ephemeral');
    for (const usage of [
      'promote FN:ALIAS V',
      'shift FN:ALIAS V PERCENT',
      'rollback FN:ALIAS [V] [--reason TEXT] [--break-glass REASON…]',
      'audit verify',
    ]) {
      expect(blocksText(reply.json)).toContain(usage);
    }
  });

  it('a typo gets an ephemeral usage with the corrected command', async () => {
    const reply = await sendCommand(bot.url, SIGNING_SECRET, { text: 'promte payments-api:prod 42' });
    expect(reply.status).toBe(200);
    expect(reply.json?.response_type).toBe('ephemeral');
    expect(blocksText(reply.json)).toContain('Did you mean `/lambda promote payments-api:prod 42`?');
    expect(blocksText(reply.json)).toContain('Usage: `/lambda promote FN:ALIAS V [--break-glass REASON…]`');
    expect(String(reply.json?.text)).toContain('Nothing was changed');
  });

  it('a command that does work acknowledges at once and answers on response_url', async () => {
    const responseUrl = slack.newResponseUrl();
    const reply = await sendCommand(bot.url, SIGNING_SECRET, {
      text: 'history payments-api',
      response_url: responseUrl.url,
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    // This bot has no Redis prefix of its own and no AWS: the answer is an error, but it comes, and it says why.
    const body = await slack.waitForResponse(responseUrl.id);
    expect(body.response_type).toBe('ephemeral');
    expect(String(body.text).length).toBeGreaterThan(0);
  });

  it('App Home shows the console when opened, and says what it could not read', async () => {
    const reply = await sendEvent(bot.url, SIGNING_SECRET, {
      type: 'app_home_opened',
      user: 'U0ALICE',
      channel: 'D0HOME',
      tab: 'home',
    });
    expect(reply.status).toBe(200);
    const call = await slack.waitForCall('views.publish', (c) => c.args.user_id === 'U0ALICE');
    const view = JSON.stringify(call.args.view);
    for (const section of ['Waiting for you', 'In flight', 'Fleet', 'Last changes', '/lambda help']) {
      expect(view).toContain(section);
    }
    expect(call.token).toBe(BOT_TOKEN);
  });
});

describe('signatures', () => {
  it('a wrong signature gets 401', async () => {
    const reply = await sendCommand(bot.url, SIGNING_SECRET, { text: 'help' }, { signature: `v0=${'0'.repeat(64)}` });
    expect(reply.status).toBe(401);
  });

  it('a request signed with another secret gets 401', async () => {
    expect((await sendCommand(bot.url, 'not-the-secret', { text: 'help' })).status).toBe(401);
  });

  it('a timestamp 6 minutes old gets 401', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await sendCommand(bot.url, SIGNING_SECRET, { text: 'help' }, { timestamp })).status).toBe(401);
  });

  it('a missing signature gets 401', async () => {
    expect((await sendCommand(bot.url, SIGNING_SECRET, { text: 'help' }, { unsigned: true })).status).toBe(401);
  });
});

describe('operations endpoints', () => {
  it('/healthz answers 200', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
  });

  it('/readyz answers 503 naming what does not answer', async () => {
    const response = await fetch(`${bot.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { ready: boolean; checks: Record<string, string> };
    expect(body.ready).toBe(false);
    expect(body.checks['redis:node']).toBe('ok');
    const aws = Object.entries(body.checks).filter(([name]) => name.startsWith('aws:'));
    expect(aws.map(([name]) => name)).toEqual(['aws:own/us-east-1']);
    expect(aws[0]?.[1]).not.toBe('ok');
  });

  it('/metrics counts requests and ack latency by command, and rejected signatures', async () => {
    await sendCommand(bot.url, SIGNING_SECRET, { text: 'help' });
    const text = await (await fetch(`${bot.url}/metrics`)).text();
    expect(text).toMatch(/lambda_bot_slack_requests_total\{type="command",name="help",outcome="ok"\} \d+/);
    expect(text).toMatch(/lambda_bot_ack_seconds_count\{type="command",name="help"\} \d+/);
    expect(text).toMatch(/lambda_bot_http_responses_total\{route="\/slack\/events",status="401"\} \d+/);
  });

  it('calls auth.test once at start, not per request', () => {
    expect(slack.callsTo('auth.test')).toHaveLength(1);
  });

  it('never logs the token or the signing secret', () => {
    const all = [...bot.logs, ...bot.stderr].join('\n');
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain('legacy-verification-token');
  });
});

describe('start-up on this Node.js line', () => {
  const parsed = () =>
    bot.logs.flatMap((line) => {
      try {
        return [JSON.parse(line) as { level?: string; msg?: string; node?: string }];
      } catch {
        return [];
      }
    });

  it('runs on the Node.js the tests run on (CI runs them on each line it tests)', () => {
    expect(parsed().find((r) => r.msg === 'listening')?.node).toBe(process.version);
  });

  it('prints no AWS SDK notice about the Node.js line, on stdout or stderr', () => {
    // The bot's environment here does not carry the SDK's switch: the bot sets it itself.
    const all = [...bot.logs, ...bot.stderr].join('\n');
    expect(all).not.toContain('NodeVersionSupportWarning');
    expect(all).not.toContain('AWS SDK for JavaScript');
  });

  it('logs once, at warn, that a line past its end of life is; nothing on a maintained line', () => {
    const notes = parsed().filter((r) => r.msg?.includes('end of life'));
    const past = pastEndOfLife(process.versions.node);
    if (!past) {
      expect(notes).toEqual([]);
      return;
    }
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warn', node: process.version, endOfLife: past.endOfLife });
    expect(notes[0]?.msg).toMatch(
      new RegExp(`^Node\\.js ${past.line} is past its end of life \\(${past.endOfLife}\\)`),
    );
    expect(bot.stderr).toEqual([]);
  });
});

describe('start-up configuration', () => {
  it('a missing SLACK_SIGNING_SECRET stops the process with exit 1 and one line naming it', async () => {
    const result = await runBotToExit({ SLACK_SIGNING_SECRET: undefined, LAMBDA_BOT_CONFIG: policyFile });
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      'config: SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
  });

  it('an invalid policy file names the YAML path', async () => {
    const bad = writePolicy(TEST_POLICY.replace('required_approvals: 1', 'required_approvals: none'));
    const result = await runBotToExit({ LAMBDA_BOT_CONFIG: bad });
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      `config: ${bad}: functions.payments-api.aliases.prod.required_approvals: must be a number`,
    ]);
  });
});
