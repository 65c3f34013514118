/**
 * One bot, several accounts and regions, end to end (CONTRACT §9): the bot as a process, assuming
 * roles in the emulator's accounts; commands and clicks over signed HTTP; CloudTrail in each
 * account read through the SDK; the audit log through the CLI. One world, in order, as a day of
 * releases would go.
 */
import { CloudTrailClient, type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../src/domain/audit.js';
import { buttonsOf, buttonValue, POLL_MS, shown, until } from '../support/alarm-world.js';
import { putLambdaAlarm, setAlarm } from '../support/alarms.js';
import { auditExport } from '../support/audit-cli.js';
import { SIGNING_SECRET } from '../support/bot-process.js';
import type { PostedMessage } from '../support/fake-slack.js';
import { sendClick } from '../support/slack-requests.js';
import { type Place, startWorld, textOf, type World } from '../support/world.js';

const ROLE = (account: string) => `arn:aws:iam::${account}:role/lambda-release-bot`;
const BOT_ROOT = 'arn:aws:iam::000000000000:root';
const PROD_EU: Place = { account: '222222222222', region: 'eu-west-1' };
const PROD_US: Place = { account: '222222222222', region: 'us-east-1' };
const STAGING: Place = { account: '111111111111', region: 'eu-west-1' };
const SANDBOX: Place = { account: '333333333333', region: 'eu-west-1' };

const POLICY = `
accounts:
  staging: { id: "111111111111", role_arn: "${ROLE('111111111111')}" }
  prod: { id: "222222222222", role_arn: "${ROLE('222222222222')}", external_id: x7 }
  sandbox: { id: "333333333333", role_arn: "${ROLE('333333333333')}" }
channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
alarm_poll_interval: 5s
roles: { deployers: [U0ALICE], approvers: [U0BOB], responders: [U0ONCALL] }
functions:
  payments-api: { account: prod, region: eu-west-1, aliases: { live: {} } }
  payments-api-us: { account: prod, region: us-east-1, name: payments-api, aliases: { live: {} } }
  payments-staging: { account: staging, region: eu-west-1, name: payments-api, aliases: { live: {} } }
  payments-sandbox: { account: sandbox, region: eu-west-1, name: payments-api, aliases: { live: {} } }
`;

const seeded = [{ name: 'payments-api', versions: 4, aliases: { live: '1' } }];
let world: World;
const clients: { destroy(): void }[] = [];

function cloudwatchIn(place: Place): CloudWatchClient {
  const client = new CloudWatchClient({
    endpoint: world.emulator.url,
    region: place.region,
    credentials: { accessKeyId: place.account, secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

/** UpdateAlias events in CloudTrail of one account and region, newest first, read as that account. */
async function trail(place: Place): Promise<Event[]> {
  const client = new CloudTrailClient({
    endpoint: world.emulator.url,
    region: place.region,
    credentials: { accessKeyId: place.account, secretAccessKey: 'x' },
  });
  clients.push(client);
  const out = await client.send(
    new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateAlias20150331' }],
    }),
  );
  return out.Events ?? [];
}

const identity = (e: Event | undefined) => JSON.parse(e?.CloudTrailEvent ?? '{}').userIdentity;
const records = async (action: string): Promise<AuditRecord[]> =>
  (await auditExport(world.prefix)).filter((r) => r.action === action);
const alerts = () => world.slack.messages.filter((m) => m.channel === 'C0ALERTS' && !m.thread_ts);

async function say(text: string, user = 'U0ALICE'): Promise<string> {
  return textOf(await (await world.command(text, user)).response());
}

beforeAll(async () => {
  world = await startWorld({
    policy: POLICY,
    functions: [],
    places: [PROD_EU, PROD_US, STAGING, SANDBOX].map((p) => ({ ...p, functions: seeded })),
    roles: [
      { arn: ROLE('111111111111'), trust: [BOT_ROOT] },
      { arn: ROLE('222222222222'), trust: [BOT_ROOT], externalId: 'x7' },
      // Trusts someone else: the bot can never act in this account.
      { arn: ROLE('333333333333'), trust: ['arn:aws:iam::999999999999:root'] },
    ],
  });
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  await world?.close();
});

describe('one function name in three places', () => {
  it('a promote of prod/eu-west-1 changes that alias only, as the person, and says where', async () => {
    const answer = await say('promote payments-api:live 2');
    expect(answer).toContain('*payments-api:live* (prod/eu-west-1)');
    expect(await world.routing('payments-api', 'live', PROD_EU)).toEqual({ primary: '2' });
    for (const other of [PROD_US, STAGING, SANDBOX]) {
      expect(await world.routing('payments-api', 'live', other)).toEqual({ primary: '1' });
    }
    expect((await records('promote')).map((r) => [r.function, r.result, r.account, r.region])).toEqual([
      ['payments-api', 'pending', '222222222222', 'eu-west-1'],
      ['payments-api', 'ok', '222222222222', 'eu-west-1'],
    ]);
    const [event] = await trail(PROD_EU);
    expect(identity(event)).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::222222222222:assumed-role/lambda-release-bot/slack-U0ALICE',
      sessionContext: { sourceIdentity: 'U0ALICE' },
    });
    expect(event?.Username).toBe('slack-U0ALICE');
  });

  it('an ARN names the entry of its account and region', async () => {
    await say('promote arn:aws:lambda:us-east-1:222222222222:function:payments-api:live 3');
    expect(await world.routing('payments-api', 'live', PROD_US)).toEqual({ primary: '3' });
    expect(await world.routing('payments-api', 'live', PROD_EU)).toEqual({ primary: '2' });
    const refused = await say('status arn:aws:lambda:ap-south-1:222222222222:function:payments-api');
    expect(refused).toContain('the policy file has no payments-api in account prod (222222222222), ap-south-1');
  });

  it('status shows the account and region', async () => {
    const status = await say('status payments-staging');
    expect(status).toContain('In account staging (111111111111), eu-west-1');
    expect(status).toContain('named `payments-api` in AWS');
  });
});

describe('a role that cannot be assumed', () => {
  it('refuses the command naming the account, the role and AWS’s reason; nothing changes; an error record', async () => {
    const answer = await say('promote payments-sandbox:live 2');
    expect(answer).toContain('account sandbox (333333333333)');
    expect(answer).toContain(ROLE('333333333333'));
    expect(answer).toMatch(/AccessDenied.*not authorized to perform: sts:AssumeRole/);
    expect(answer).toContain('Nothing was changed');
    expect(await world.routing('payments-api', 'live', SANDBOX)).toEqual({ primary: '1' });
    const [error] = (await records('promote')).filter((r) => r.function === 'payments-sandbox');
    expect(error).toMatchObject({ result: 'error', actor: 'U0ALICE', account: '333333333333', region: 'eu-west-1' });
  });

  it('other accounts keep working, /readyz names the pair and stays ready, the poller goes on', async () => {
    await say('promote payments-staging:live 2');
    await say('promote payments-staging:live 3');
    expect(await world.routing('payments-api', 'live', STAGING)).toEqual({ primary: '3' });
    const ready = await fetch(`${world.bot.url}/readyz`);
    const body = (await ready.json()) as { checks: Record<string, string>; degraded?: string[] };
    expect(ready.status).toBe(200);
    expect(body.degraded).toEqual(['aws:sandbox/eu-west-1']);
    expect(body.checks['aws:sandbox/eu-west-1']).toContain(ROLE('333333333333'));
    expect(body.checks['aws:prod/eu-west-1']).toBe('ok');
    await until(
      () =>
        world.bot.logs.find(
          (l) => l.includes('alarms of one account and region not read') && l.includes('sandbox/eu-west-1'),
        ),
      3 * POLL_MS,
      'the poller reporting the sandbox account',
    );
  });
});

describe('alarms of two accounts', () => {
  let prodAlert: PostedMessage;
  let stagingAlert: PostedMessage;

  it('alert with the right account, region and rollback target', async () => {
    // The same alarm name in two accounts: two alarms.
    for (const place of [PROD_EU, STAGING]) {
      await putLambdaAlarm(cloudwatchIn(place), 'payments-errors', { fn: 'payments-api', alias: 'live' });
    }
    await world.control('POST', '/_emulator/clock/advance', { ms: 1000 });
    // Seen first (INSUFFICIENT_DATA), then moved.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 500));
    for (const place of [PROD_EU, STAGING]) await setAlarm(cloudwatchIn(place), 'payments-errors', 'ALARM');
    const found = await until(() => (alerts().length >= 2 ? alerts() : undefined), 3 * POLL_MS, 'two alerts');
    prodAlert = found.find((m) => m.text.includes('(prod/eu-west-1)')) as PostedMessage;
    stagingAlert = found.find((m) => m.text.includes('(staging/eu-west-1)')) as PostedMessage;
    expect(shown(prodAlert)).toContain('In account prod (222222222222), eu-west-1');
    expect(shown(stagingAlert)).toContain('In account staging (111111111111), eu-west-1');
    expect(buttonsOf(prodAlert)[0]?.text.text).toBe('Roll back to v1');
    expect(buttonsOf(stagingAlert)[0]?.text.text).toBe('Roll back to v2');
    const raised = await records('alarm.alert');
    expect(raised.map((r) => [r.function, r.account]).sort()).toEqual([
      ['payments-api', '222222222222'],
      ['payments-staging', '111111111111'],
    ]);
  });

  it('a rollback from one alert moves that account’s alias only, as the responder', async () => {
    const { url } = world.slack.newResponseUrl();
    await sendClick(world.bot.url, SIGNING_SECRET, {
      action_id: 'alarm.rollback',
      value: buttonValue(stagingAlert, 'alarm.rollback'),
      user_id: 'U0ONCALL',
      channel_id: stagingAlert.channel,
      message_ts: stagingAlert.ts,
      response_url: url,
    });
    await until(
      async () => ((await world.routing('payments-api', 'live', STAGING)).primary === '2' ? true : undefined),
      10_000,
      'the staging rollback',
    );
    expect(await world.routing('payments-api', 'live', PROD_EU)).toEqual({ primary: '2' });
    expect(identity((await trail(STAGING))[0])).toMatchObject({ sessionContext: { sourceIdentity: 'U0ONCALL' } });
  });
});

describe('a rollout rolled back by its alarm', () => {
  it('steps as the person who started it; the automatic rollback in the bot’s own session', async () => {
    const cloudwatch = cloudwatchIn(PROD_US);
    await putLambdaAlarm(cloudwatch, 'us-errors', { fn: 'payments-api', alias: 'live' });
    await new Promise((resolve) => setTimeout(resolve, POLL_MS + 500));
    const started = await say('canary payments-api-us:live 4 --steps 50,100 --every 5m');
    expect(started).toContain('(prod/us-east-1)');
    await until(
      async () => ((await world.routing('payments-api', 'live', PROD_US)).additional ? true : undefined),
      10_000,
      'the first step',
    );
    await setAlarm(cloudwatch, 'us-errors', 'ALARM');
    await until(
      async () => {
        const r = await world.routing('payments-api', 'live', PROD_US);
        return r.primary === '3' && !r.additional ? true : undefined;
      },
      3 * POLL_MS,
      'the automatic rollback',
    );
    const [rollback, step] = await trail(PROD_US);
    expect(identity(rollback)).toMatchObject({
      arn: 'arn:aws:sts::222222222222:assumed-role/lambda-release-bot/lambda-release-bot',
    });
    expect(identity(rollback).sessionContext?.sourceIdentity).toBeUndefined();
    expect(identity(step)).toMatchObject({ sessionContext: { sourceIdentity: 'U0ALICE' } });
    const aborted = (await records('canary.abort')).filter((r) => r.result === 'ok').at(-1);
    expect(aborted).toMatchObject({ actor: 'system', function: 'payments-api-us', account: '222222222222' });
  });
});

describe('credentials', () => {
  it('no session credential reaches the log, Slack or the audit log', async () => {
    const { sessions } = await world.control<{ sessions: { accessKeyId: string }[] }>('GET', '/_emulator/sessions');
    const keys = sessions.map((s) => s.accessKeyId);
    expect(keys.length).toBeGreaterThan(0);
    const everything = [
      ...world.bot.logs,
      ...world.bot.stderr,
      ...world.slack.messages.map((m) => JSON.stringify(m)),
      ...(await auditExport(world.prefix)).map((r) => JSON.stringify(r)),
    ].join('\n');
    for (const key of keys) expect(everything).not.toContain(key);
    expect(everything).not.toMatch(/ASIA[A-Z0-9]{16}|secretAccessKey|sessionToken|SessionToken/);
  });
});
