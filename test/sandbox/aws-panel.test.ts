import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/index.js';
import { AwsPanel } from '../../sandbox/console/aws-panel.js';
import { IamUsers } from '../../sandbox/console/iam-users.js';
import { type RunningConsole, startConsole } from '../../sandbox/console/server.js';
import { CREDENTIALS, grantRoles, PROD, REGION, STAGING } from '../../sandbox/demo/account.js';
import { panelUsers, registerConsoleUsers } from '../../sandbox/demo/console-users.js';
import { DEPLOYMENTS, panelPlaces } from '../../sandbox/demo/functions.js';
import { ON_CALL, PEOPLE } from '../../sandbox/demo/people.js';
import { demoPolicy } from '../../sandbox/demo/policy.js';
import { seedDemo } from '../../sandbox/demo/seed.js';
import { demoWorkspace } from '../../sandbox/demo/workspace.js';
import { STATIC_DIR } from '../../sandbox/paths.js';
import { parsePolicy } from '../../src/config/policy.js';

/**
 * The demo's AWS as the sandbox leaves it (two accounts, prod in two regions, one AWS name in three
 * places), the policy the bot gets for it, and the console's panel over it: grouped by account and
 * region, "Make it fail" changing one place only, and "At the AWS console" acting as an IAM user of
 * that account, as CloudTrail then tells. On the emulator's manual clock: no traffic runs, so what
 * the panel shows is what the seed and the test wrote.
 */
interface PlaceView {
  account: string;
  accountId: string;
  region: string;
  functions: {
    name: string;
    key?: string;
    aliases: { name: string; version: string; traffic?: { versions: Record<string, unknown> } }[];
    alarms: { name: string; state: string }[];
  }[];
}

let emulator: RunningEmulator;
let panel: AwsPanel;
let users: IamUsers;
let site: RunningConsole;

beforeAll(async () => {
  emulator = await startEmulator({ clock: 'manual', updateDelayMs: 0 });
  await grantRoles(emulator.url);
  await registerConsoleUsers(emulator.url);
  await seedDemo(emulator.url);
  panel = new AwsPanel(emulator.url, panelPlaces());
  users = new IamUsers(emulator.url, panelUsers());
  site = await startConsole({
    workspace: demoWorkspace(),
    signingSecret: 'aws-panel-test',
    staticDir: STATIC_DIR,
    people: PEOPLE,
    suggestions: [],
  });
  site.setAws(panel, users);
});

afterAll(async () => {
  panel?.destroy();
  users?.destroy();
  await site?.close();
  await emulator?.close();
});

async function places(): Promise<PlaceView[]> {
  const response = await fetch(`${site.url}console/aws`);
  return ((await response.json()) as { places: PlaceView[] }).places;
}

async function traffic(body: Record<string, unknown>): Promise<{ status: number; answer: unknown }> {
  return post('console/traffic', body);
}

async function post(path: string, body: Record<string, unknown>): Promise<{ status: number; answer: unknown }> {
  const response = await fetch(`${site.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, answer: await response.json() };
}

describe('the demo world', () => {
  it('the panel groups it by account and region, prod first, each function with the name /lambda uses', async () => {
    const seen = (await places()).map((p) => ({
      place: `${p.account} · ${p.accountId} · ${p.region}`,
      functions: p.functions.map((f) => `${f.name}=${f.key}:${f.aliases.map((a) => `${a.name}@${a.version}`)}`),
    }));
    expect(seen).toEqual([
      {
        place: 'prod · 222222222222 · eu-west-1',
        functions: [
          'orders-api=orders-api:prod@3,staging@3',
          'payments-api=payments-api:prod@4',
          'search-api=search-api:prod@2',
        ],
      },
      { place: 'prod · 222222222222 · us-east-1', functions: ['payments-api=payments-api-us:prod@4'] },
      {
        place: 'staging · 111111111111 · eu-west-1',
        functions: [
          'orders-api=orders-staging:staging@4',
          'payments-api=payments-staging:staging@4',
          'search-api=search-staging:staging@3',
        ],
      },
    ]);
  });

  it('each alias has its two alarms and its traffic, in its own place', async () => {
    for (const p of await places()) {
      for (const f of p.functions) {
        expect(f.alarms).toEqual(
          f.aliases.flatMap((a) => [
            { name: `${f.name}-${a.name}-error-rate`, state: 'INSUFFICIENT_DATA' },
            { name: `${f.name}-${a.name}-p99`, state: 'INSUFFICIENT_DATA' },
          ]),
        );
        for (const a of f.aliases) expect(a.traffic).toMatchObject({ versions: {} });
      }
    }
  });

  it('the bot accepts the demo policy, and it puts each function where the seed did', () => {
    const parsed = parsePolicy(demoPolicy(), { defaultRegion: REGION });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const placed = [...parsed.policy.functions].map(([fn, f]) => [fn, f.account, f.region, f.name]);
    expect(placed).toEqual(DEPLOYMENTS.map((d) => [d.key, d.place.account.name, d.place.region, d.fn.name]));
    expect(parsed.policy.accounts.get('prod')).toMatchObject({
      id: PROD.id,
      roleArn: PROD.roleArn,
      externalId: PROD.externalId,
    });
    // The tour's gates and break-glass: orders-api's prod only, and the on-call responder may break the glass.
    const gated = [...parsed.policy.functions].flatMap(([fn, f]) =>
      [...f.aliases].filter(([, a]) => a.gates).map(([alias, a]) => [`${fn}:${alias}`, a.gates]),
    );
    expect(gated).toEqual([['orders-api:prod', { soakedOn: 'staging', soakMs: 60_000, sameCodeAs: 'staging' }]]);
    expect(parsed.policy.roles.get('breakglass')).toEqual([ON_CALL.id]);
  });

  it('each account’s role lets the bot in, and prod’s only with its external ID', async () => {
    const sts = new STSClient({
      endpoint: emulator.url,
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    try {
      const assume = (roleArn: string, externalId?: string) =>
        sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test', ExternalId: externalId }));
      expect((await assume(STAGING.roleArn)).AssumedRoleUser?.Arn).toBe(
        'arn:aws:sts::111111111111:assumed-role/lambda-release-bot/test',
      );
      expect((await assume(PROD.roleArn, PROD.externalId)).AssumedRoleUser?.Arn).toBe(
        'arn:aws:sts::222222222222:assumed-role/lambda-release-bot/test',
      );
      await expect(assume(PROD.roleArn)).rejects.toThrow(/not authorized to perform: sts:AssumeRole/);
    } finally {
      sts.destroy();
    }
  });
});

describe('Make it fail', () => {
  it('changes the alias in the account and region named, and no other place with that name', async () => {
    const body = { function: 'payments-api', alias: 'prod', version: '4', errorRate: 0.5, durationMs: 300 };
    expect(await traffic({ ...body, account: PROD.id, region: 'us-east-1' })).toEqual({
      status: 200,
      answer: { ok: true },
    });
    const failing = (await places()).map((p) => [
      `${p.account}/${p.region}`,
      p.functions.find((f) => f.name === 'payments-api')?.aliases[0]?.traffic?.versions,
    ]);
    expect(failing).toEqual([
      ['prod/eu-west-1', {}],
      ['prod/us-east-1', { '4': { errorRate: 0.5, durationMs: 300 } }],
      ['staging/eu-west-1', {}],
    ]);
  });

  it('refuses a place the panel does not show, or none', async () => {
    const body = { function: 'payments-api', alias: 'prod', version: '4', errorRate: 0.5, durationMs: 300 };
    expect(await traffic({ ...body, account: STAGING.id, region: 'us-east-1' })).toEqual({
      status: 400,
      answer: { ok: false, error: 'the panel has no account 111111111111 in us-east-1' },
    });
    expect(await traffic(body)).toEqual({
      status: 400,
      answer: { ok: false, error: 'account and region are required' },
    });
  });
});

describe('At the AWS console', () => {
  const mallory = { user: 'mallory', account: PROD.id, region: 'eu-west-1' };

  /** Who made each event of this name in one place, newest first, as CloudTrail tells the account's root. */
  async function trail(account: string, region: string, eventName: string): Promise<unknown[]> {
    const client = new CloudTrailClient({
      endpoint: emulator.url,
      region,
      credentials: { accessKeyId: account, secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    try {
      const { Events = [] } = await client.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }),
      );
      return Events.map((e) => JSON.parse(e.CloudTrailEvent ?? '{}').userIdentity);
    } finally {
      client.destroy();
    }
  }

  it('the panel lists its IAM users, each with its account, and never their keys', async () => {
    const response = await fetch(`${site.url}console/aws`);
    const { users: listed } = (await response.json()) as { users: unknown[] };
    expect(listed).toEqual([
      { name: 'mallory', arn: 'arn:aws:iam::222222222222:user/mallory', accountId: PROD.id },
      { name: 'dave', arn: 'arn:aws:iam::111111111111:user/dave', accountId: STAGING.id },
    ]);
    expect(JSON.stringify(listed)).not.toContain('AKID');
  });

  it('moves an alias as that user, in that place only, and CloudTrail there names them', async () => {
    const moved = await post('console/act', {
      ...mallory,
      kind: 'move',
      function: 'payments-api',
      alias: 'prod',
      version: '3',
    });
    expect(moved).toEqual({ status: 200, answer: { ok: true, kind: 'move', from: '4', to: '3' } });
    const prod = (await places()).map((p) => [
      `${p.account}/${p.region}`,
      p.functions.find((f) => f.name === 'payments-api')?.aliases[0]?.version,
    ]);
    expect(prod).toEqual([
      ['prod/eu-west-1', '3'],
      ['prod/us-east-1', '4'],
      ['staging/eu-west-1', '4'],
    ]);
    expect((await trail(PROD.id, 'eu-west-1', 'UpdateAlias20150331'))[0]).toMatchObject({
      type: 'IAMUser',
      arn: 'arn:aws:iam::222222222222:user/mallory',
      userName: 'mallory',
    });
  });

  it('publishes $LATEST as that user, and says when there was nothing new to publish', async () => {
    const dave = { user: 'dave', account: STAGING.id, region: 'eu-west-1', kind: 'publish', function: 'payments-api' };
    expect(await post('console/act', dave)).toEqual({
      status: 200,
      answer: { ok: true, kind: 'publish', version: '6', created: true },
    });
    expect(await post('console/act', dave)).toEqual({
      status: 200,
      answer: { ok: true, kind: 'publish', version: '6', created: false },
    });
    expect((await trail(STAGING.id, 'eu-west-1', 'PublishVersion20150331'))[0]).toMatchObject({
      arn: 'arn:aws:iam::111111111111:user/dave',
    });
  });

  it('refuses someone it does not know, a place outside their account, and says why AWS refused', async () => {
    const move = { kind: 'move', function: 'payments-api', alias: 'prod', version: '5' };
    expect(await post('console/act', { ...mallory, ...move, user: 'eve' })).toEqual({
      status: 400,
      answer: { ok: false, error: 'user must be one of the panel’s IAM users' },
    });
    expect(await post('console/act', { ...mallory, ...move, account: STAGING.id })).toEqual({
      status: 400,
      answer: { ok: false, error: 'mallory has access to account 222222222222 only' },
    });
    expect(await post('console/act', { ...mallory, ...move, region: 'ap-south-1' })).toEqual({
      status: 400,
      answer: { ok: false, error: 'the panel has no account 222222222222 in ap-south-1' },
    });
    const refused = await post('console/act', { ...mallory, ...move, version: '9' });
    expect(refused.status).toBe(400);
    expect(refused.answer).toMatchObject({ ok: false, error: expect.stringMatching(/not found/i) });
    // Nothing moved.
    const eu = (await places())[0]?.functions.find((f) => f.name === 'payments-api');
    expect(eu?.aliases[0]?.version).toBe('3');
  });
});
