/**
 * The bot's AWS adapters across accounts and regions, against the emulator through the real SDK
 * (CONTRACT §9): state never crosses between places, AssumeRole once per (account, person) and
 * renewed before expiry, CloudTrail names the person, and a role that cannot be assumed refuses
 * with the account, the role and AWS's reason while other accounts keep working.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BotError } from '../../../src/domain/errors.js';
import { actingFor, type Target } from '../../../src/domain/target.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { seedFunction } from '../../support/aws-world.js';
import { botAws } from '../../support/bot-aws.js';

/**
 * The emulator's manual clock starts at the real time: session expiry is judged by the SDK and the bot
 * on the process clock, so an emulator in the past would hand out credentials already expired.
 */
const T0 = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
const STAGING_ROLE = 'arn:aws:iam::111111111111:role/lambda-release-bot';
const PROD_ROLE = 'arn:aws:iam::222222222222:role/lambda-release-bot';

const POLICY = `
accounts:
  staging: { id: "111111111111", role_arn: "${STAGING_ROLE}" }
  prod: { id: "222222222222", role_arn: "${PROD_ROLE}", external_id: x7 }
channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [U0ALICE, U0BOB], approvers: [U0CAROL], responders: [] }
functions:
  payments-api: { account: prod, region: eu-west-1, aliases: { live: {} } }
  payments-api-us: { account: prod, region: us-east-1, name: payments-api, aliases: { live: {} } }
  payments-staging: { account: staging, region: eu-west-1, name: payments-api, aliases: { live: {} } }
  payments-own: { name: payments-api, aliases: { live: {} } }
`;

let h: Harness;
let aws: ReturnType<typeof botAws>;
const direct = new Map<string, LambdaClient>();

/** An SDK client acting directly in an account (a 12-digit key is that account in the emulator). */
function lambdaIn(account: string, region: string): LambdaClient {
  const key = `${account}/${region}`;
  let client = direct.get(key);
  if (!client) {
    client = new LambdaClient({
      endpoint: h.emulator.url,
      region,
      credentials: { accessKeyId: account, secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    direct.set(key, client);
  }
  return client;
}

async function version(account: string, region: string): Promise<string | undefined> {
  const alias = await lambdaIn(account, region).send(
    new GetAliasCommand({ FunctionName: 'payments-api', Name: 'live' }),
  );
  return alias.FunctionVersion;
}

async function calls(op: string): Promise<number> {
  return (await h.control<Record<string, number>>('GET', '/_emulator/calls'))[op] ?? 0;
}

function target(fn: string): Target {
  const t = aws.fleet.get(fn);
  if (!t) throw new Error(`no ${fn}`);
  return t;
}

async function trust(): Promise<void> {
  await h.control('PUT', '/_emulator/roles', { arn: STAGING_ROLE, trust: ['arn:aws:iam::000000000000:root'] });
  await h.control('PUT', '/_emulator/roles', {
    arn: PROD_ROLE,
    trust: ['arn:aws:iam::000000000000:root'],
    externalId: 'x7',
  });
}

beforeAll(async () => {
  h = await harness({ at: T0 });
  await trust();
  const places: [string, string, number][] = [
    ['222222222222', 'eu-west-1', 3],
    ['222222222222', 'us-east-1', 4],
    ['111111111111', 'eu-west-1', 5],
    ['000000000000', 'us-east-1', 6],
  ];
  for (const [account, region, n] of places) {
    await seedFunction(lambdaIn(account, region), { name: 'payments-api', versions: n, aliases: { live: '1' } });
  }
});

beforeEach(async () => {
  aws = botAws(h.emulator.url, testPolicy(POLICY));
  await h.control('DELETE', '/_emulator/calls');
});

afterEach(() => {
  aws.close();
  vi.useRealTimers();
});

afterAll(async () => {
  for (const client of direct.values()) client.destroy();
  await h.close();
});

describe('one function name in two accounts and two regions', () => {
  it('each target reads its own place', async () => {
    const arns = await Promise.all(
      ['payments-api', 'payments-api-us', 'payments-staging', 'payments-own'].map(
        async (fn) => (await aws.lambda.getAlias(target(fn), 'live')).arn,
      ),
    );
    expect(arns).toEqual([
      'arn:aws:lambda:eu-west-1:222222222222:function:payments-api:live',
      'arn:aws:lambda:us-east-1:222222222222:function:payments-api:live',
      'arn:aws:lambda:eu-west-1:111111111111:function:payments-api:live',
      'arn:aws:lambda:us-east-1:000000000000:function:payments-api:live',
    ]);
    const versions = await aws.lambda.listVersions(target('payments-api-us'));
    expect(versions.map((v) => v.version)).toEqual(['1', '2', '3', '4']);
  });

  it('a change in one place changes nothing in the others', async () => {
    const us = actingFor(target('payments-api-us'), 'U0ALICE');
    const current = await aws.lambda.getAlias(us, 'live');
    await aws.lambda.updateAlias(us, 'live', { primary: '3' }, current.revisionId);
    expect(await version('222222222222', 'us-east-1')).toBe('3');
    expect(await version('222222222222', 'eu-west-1')).toBe('1');
    expect(await version('111111111111', 'eu-west-1')).toBe('1');
    expect(await version('000000000000', 'us-east-1')).toBe('1');
  });
});

describe('sessions', () => {
  it('one AssumeRole per (account, person), shared by the account’s regions; none for the bot’s own account', async () => {
    for (const user of ['U0ALICE', 'U0BOB', 'U0ALICE']) {
      for (const fn of ['payments-api', 'payments-api-us', 'payments-own']) {
        await aws.lambda.getAlias(actingFor(target(fn), user), 'live');
      }
    }
    await aws.lambda.getAlias(target('payments-api'), 'live');
    await aws.lambda.getAlias(target('payments-api-us'), 'live');
    // Alice and Bob in prod, and the bot's own session there; the own account needs none.
    expect(await calls('sts.AssumeRole')).toBe(3);
  });

  it('CloudTrail in that account names the person as source identity, and the bot’s session for its own work', async () => {
    const eu = target('payments-api');
    const before = await aws.lambda.getAlias(actingFor(eu, 'U0BOB'), 'live');
    const after = await aws.lambda.updateAlias(actingFor(eu, 'U0BOB'), 'live', { primary: '2' }, before.revisionId);
    await aws.lambda.updateAlias(eu, 'live', { primary: '1' }, after.revisionId);
    const trail = new CloudTrailClient({
      endpoint: h.emulator.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' },
    });
    const { Events = [] } = await trail.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateAlias20150331' }],
      }),
    );
    trail.destroy();
    const identities = Events.map((e) => JSON.parse(e.CloudTrailEvent ?? '{}').userIdentity);
    // Newest first: the bot's own change, then Bob's.
    expect(identities[0]).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::222222222222:assumed-role/lambda-release-bot/lambda-release-bot',
    });
    expect(identities[0].sessionContext?.sourceIdentity).toBeUndefined();
    expect(identities[1]).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::222222222222:assumed-role/lambda-release-bot/slack-U0BOB',
      sessionContext: { sourceIdentity: 'U0BOB' },
    });
    expect(Events[1]?.Username).toBe('slack-U0BOB');
  });

  it('is renewed 5 minutes before it expires, by the clock (fake here), and not before', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date(T0) });
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: T0 });
    const alice = actingFor(target('payments-api'), 'U0ALICE');
    await aws.lambda.getAlias(alice, 'live');
    const advance = async (ms: number) => {
      vi.setSystemTime(Date.now() + ms);
      await h.advance(ms);
    };
    await advance(54 * 60_000);
    await aws.lambda.getAlias(alice, 'live');
    expect(await calls('sts.AssumeRole')).toBe(1);
    await advance(2 * 60_000);
    await aws.lambda.getAlias(alice, 'live');
    expect(await calls('sts.AssumeRole')).toBe(2);
    await advance(30 * 60_000);
    await aws.lambda.getAlias(alice, 'live');
    expect(await calls('sts.AssumeRole')).toBe(2);
  });
});

describe('a role that cannot be assumed', () => {
  afterEach(trust);

  async function refusal(work: Promise<unknown>): Promise<BotError> {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof BotError)) throw new Error(`expected a BotError, got ${String(error)}`);
    return error;
  }

  it('not trusted: refused naming the account, the role and AWS’s reason; other accounts work', async () => {
    await h.control('PUT', '/_emulator/roles', { arn: PROD_ROLE, trust: ['arn:aws:iam::999999999999:root'] });
    const error = await refusal(aws.lambda.getAlias(actingFor(target('payments-api'), 'U0ALICE'), 'live'));
    expect(error.code).toBe('account-unavailable');
    expect(error.message).toContain('account prod (222222222222)');
    expect(error.message).toContain(PROD_ROLE);
    expect(error.message).toMatch(/AccessDenied.*not authorized to perform: sts:AssumeRole/);
    expect((await aws.lambda.getAlias(actingFor(target('payments-staging'), 'U0ALICE'), 'live')).routing).toEqual({
      primary: '1',
    });
    expect((await aws.lambda.getAlias(target('payments-own'), 'live')).alias).toBe('live');
  });

  it('a wrong external ID is refused the same way', async () => {
    await h.control('PUT', '/_emulator/roles', {
      arn: PROD_ROLE,
      trust: ['arn:aws:iam::000000000000:root'],
      externalId: 'other',
    });
    const error = await refusal(aws.lambda.getAlias(target('payments-api-us'), 'live'));
    expect(error).toMatchObject({ code: 'account-unavailable' });
    expect(error.message).toContain(PROD_ROLE);
  });

  it('a region not enabled for the account is named', async () => {
    await h.control('PUT', '/_emulator/regions', { account: '222222222222', region: 'eu-west-1', enabled: false });
    try {
      const error = await refusal(aws.lambda.getAlias(target('payments-api'), 'live'));
      expect(error.code).toBe('account-unavailable');
      expect(error.message).toMatch(/prod\/eu-west-1 .*is eu-west-1 enabled for account prod \(222222222222\)\?/);
      expect((await aws.lambda.getAlias(target('payments-api-us'), 'live')).alias).toBe('live');
    } finally {
      await h.control('PUT', '/_emulator/regions', { account: '222222222222', region: 'eu-west-1', enabled: true });
    }
  });

  it('the alarm sweep reports the place and reads the others', async () => {
    await h.control('DELETE', '/_emulator/roles?arn=' + encodeURIComponent(STAGING_ROLE));
    const sweep = await aws.alarms.sweep();
    expect(sweep.failed.map((f) => `${f.place.account.name}/${f.place.region}`)).toEqual(['staging/eu-west-1']);
    expect(sweep.failed[0]?.reason).toContain(STAGING_ROLE);
    expect(await calls('cloudwatch.DescribeAlarms')).toBe(3);
  });
});
