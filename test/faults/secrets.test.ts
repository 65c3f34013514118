/**
 * Issue 9, item 7: secrets. The bot runs with known token values and functions whose environment
 * variables hold unique canary strings; representative flows run (reads, diffs, errors, a
 * publish, a promote, an approval by button, an alarm alert and its rollback, Slack answering
 * invalid_auth, AWS answering 5xx). Then every log line, everything the fake Slack received,
 * every audit record and every value under the bot's Redis prefix is searched for each secret.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerZip } from '../emulator/support/zip.js';
import { buttonValue } from '../support/alarm-world.js';
import { putLambdaAlarm, setAlarm } from '../support/alarms.js';
import { auditExport } from '../support/audit-cli.js';
import { ROLE } from '../support/aws-world.js';
import { TEST_POLICY } from '../support/policy.js';
import { sendClick, sendCommand } from '../support/slack-requests.js';
import { startWorld, textOf, type World } from '../support/world.js';
import { redisText } from './redis-dump.js';

const RUN = randomBytes(6).toString('hex');
const SECRETS: Record<string, string> = {
  SLACK_BOT_TOKEN: `xoxb-${RUN}-canary-bot-token`,
  SLACK_SIGNING_SECRET: `canary-signing-secret-${RUN}`,
  AWS_ACCESS_KEY_ID: `AKIACANARY${RUN.toUpperCase()}`,
  AWS_SECRET_ACCESS_KEY: `canary-aws-secret-${RUN}`,
};
/** Function environment values, per version: every one must stay unseen. */
const ENV = [1, 2, 3].map((v) => ({
  DB_PASSWORD: `canary-db-password-v${v}-${RUN}`,
  API_KEY: `canary-api-key-v${v}-${RUN}`,
  ...(v > 1 ? { WEBHOOK_SECRET: `canary-webhook-v${v}-${RUN}` } : {}),
}));
/** The seeded functions' own values (test/support/aws-world.ts). */
const SEEDED = [0, 1, 2, 3, 4].map((v) => `never-shown-${v}`);
const POLICY = `${TEST_POLICY.replace('alarm_poll_interval: 30s', 'alarm_poll_interval: 5s')}
  secrets-api:
    aliases:
      prod: {}
`;

let world: World;
const answers: unknown[] = [];

async function ask(text: string, user = 'U0ALICE'): Promise<string> {
  const r = world.slack.newResponseUrl();
  const ack = await sendCommand(world.bot.url, SECRETS.SLACK_SIGNING_SECRET as string, {
    text,
    user_id: user,
    response_url: r.url,
  });
  expect(ack.status).toBe(200);
  answers.push(ack.text);
  if (ack.json && Object.keys(ack.json).length > 0) return textOf(ack.json);
  return textOf(await world.slack.waitForResponse(r.id, () => true, 20_000));
}

async function click(action_id: string, value: string, user: string): Promise<string> {
  const r = world.slack.newResponseUrl();
  const ack = await sendClick(world.bot.url, SECRETS.SLACK_SIGNING_SECRET as string, {
    action_id,
    value,
    user_id: user,
    response_url: r.url,
  });
  expect(ack.status).toBe(200);
  return textOf(await world.slack.waitForResponse(r.id, () => true, 20_000).catch(() => ({})));
}

async function until<T>(what: string, find: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  // At debug level, so that the most talkative logging is the one searched.
  world = await startWorld({ policy: POLICY, env: { ...SECRETS, LOG_LEVEL: 'debug' } });
  const lambda = world.lambda;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'secrets-api',
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      Code: { ZipFile: handlerZip('secrets-api-1') },
      Environment: { Variables: ENV[0] },
    }),
  );
  await lambda.send(new PublishVersionCommand({ FunctionName: 'secrets-api', Description: 'first' }));
  await lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: 'secrets-api', Environment: { Variables: ENV[1] } }),
  );
  await lambda.send(new PublishVersionCommand({ FunctionName: 'secrets-api', Description: 'second' }));
  await lambda.send(new CreateAliasCommand({ FunctionName: 'secrets-api', Name: 'prod', FunctionVersion: '1' }));
});

afterAll(async () => {
  await world?.close();
});

describe('no secret leaves the bot', () => {
  it('reads, diffs and refusals', async () => {
    await ask('help');
    expect(await ask('status secrets-api')).toMatch(/prod/);
    await ask('versions secrets-api');
    const diff = await ask('diff secrets-api 1 2');
    // The names of the variables are shown, so the values were there to leak.
    expect(diff).toMatch(/WEBHOOK_SECRET/);
    await ask('diff payments-api 1 4');
    await ask('history secrets-api');
    await ask('alarms secrets-api');
    expect(await ask('promote secrets-api:prod 99')).toMatch(/99/);
    await ask('promote nope-api:prod 1');
    await ask('promte secrets-api:prod 2');
    expect(await ask('promote secrets-api:prod 2', 'U0STRANGER')).toMatch(/deployers/);
  });

  it('a publish, a promote, and an approval by button', async () => {
    await world.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'secrets-api', Environment: { Variables: ENV[2] } }),
    );
    expect(await ask('publish secrets-api canary build')).toMatch(/version 3|v3/);
    await ask('promote secrets-api:prod 2');
    expect(await world.routing('secrets-api', 'prod')).toEqual({ primary: '2' });
    await ask('promote payments-api:prod 4');
    const request = await until('the approval request', () =>
      world.slack.messages.find((m) => m.channel === 'C0APPROVALS'),
    );
    const id = /request `(a[a-z2-9]{16})`/.exec(JSON.stringify(request.blocks))?.[1] as string;
    await click('approval.approve', id, 'U0BOB');
    await until('the approved promote', async () =>
      (await world.routing('payments-api', 'prod')).primary === '4' ? true : undefined,
    );
  });

  it('an alarm alert and its rollback button', async () => {
    await putLambdaAlarm(world.cloudwatch, 'secrets-api-errors', { fn: 'secrets-api', alias: 'prod' });
    await setAlarm(world.cloudwatch, 'secrets-api-errors', 'ALARM');
    const alert = await until('the alert', () =>
      world.slack.messages.find((m) => m.channel === 'C0ALERTS' && m.text.includes('secrets-api-errors')),
    );
    await click('alarm.rollback', buttonValue(alert, 'alarm.rollback'), 'U0ONCALL');
    await until('the rollback', async () =>
      (await world.routing('secrets-api', 'prod')).primary === '1' ? true : undefined,
    );
  });

  it('error paths: Slack answers invalid_auth, AWS answers 5xx', async () => {
    world.slack.fail('chat.postMessage', 'invalid_auth', 5);
    world.slack.fail('chat.update', 'invalid_auth', 5);
    await ask('promote payments-api:prod 3');
    await ask('canary secrets-api:prod 3 --steps 50,100 --every 1h');
    await until('invalid_auth in the log', () => world.bot.logs.find((l) => l.includes('invalid_auth')));
    await world.control('PUT', '/_emulator/faults', {
      rules: [
        { service: 'lambda', operation: '*', error5xx: 1, times: 40 },
        { service: 'cloudwatch', operation: '*', error5xx: 1, times: 40 },
      ],
    });
    await ask('status secrets-api');
    await ask('rollback secrets-api:prod 1');
    await ask('diff secrets-api 2 3');
    await world.control('DELETE', '/_emulator/faults');
  });

  it('no log line, Slack message, response, audit record or Redis value holds a secret', async () => {
    const secrets: Array<[string, string]> = [
      ...Object.entries(SECRETS),
      ...ENV.flatMap((vars, i) => Object.entries(vars).map(([k, v]) => [`${k} of v${i + 1}`, v] as [string, string])),
      ...SEEDED.map((v) => ['a seeded SECRET_TOKEN', v] as [string, string]),
    ];
    const audit = await auditExport(world.prefix);
    const sources: Record<string, string[]> = {
      'bot stdout': world.bot.logs,
      'bot stderr': world.bot.stderr,
      'Slack API calls': world.slack.calls.map((c) => `${c.method} ${JSON.stringify(c.args)}`),
      'response_url posts': world.slack.responses.map((r) => JSON.stringify(r.body)),
      acknowledgements: answers.map((a) => String(a)),
      'audit records': audit.map((r) => JSON.stringify(r)),
      'Redis values': await redisText(world.redis, world.prefix),
    };
    const found: string[] = [];
    for (const [source, lines] of Object.entries(sources)) {
      for (const line of lines) {
        for (const [name, value] of secrets)
          if (line.includes(value)) found.push(`${name} in ${source}: ${line.slice(0, 200)}`);
      }
    }
    expect(found).toEqual([]);
    // The scan saw real traffic, errors included.
    expect(world.slack.calls.some((c) => c.token === SECRETS.SLACK_BOT_TOKEN)).toBe(true);
    const warned = (pattern: RegExp) => world.bot.logs.some((l) => /"level":"warn"/.test(l) && pattern.test(l));
    expect(warned(/invalid_auth/)).toBe(true);
    expect(warned(/aws-unavailable/)).toBe(true);
    const counts = Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, v.length]));
    console.log(`[secrets] ${secrets.length} secret values searched for in ${JSON.stringify(counts)}: none found`);
  });
});
