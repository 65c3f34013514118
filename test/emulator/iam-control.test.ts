import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateFunctionCommand, GetFunctionCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keysOf } from './support/accounts.js';
import { type Clients, clientsAt, type Keys } from './support/clients.js';
import { failure } from './support/contract.js';
import { type Harness, harness } from './support/emulator.js';

const ROLE = 'arn:aws:iam::111111111111:role/lambda-release-bot';
const CHAINED = 'arn:aws:iam::111111111111:role/chained';
const INVALID = 'The security token included in the request is invalid.';

describe('accounts, roles, principals and regions: control API (emulator only)', () => {
  let h: Harness;
  const made: Clients[] = [];
  const as = (key: string | Keys, region = 'us-east-1') => {
    const clients = clientsAt(h.emulator.url, region, key);
    made.push(clients);
    return clients;
  };
  const base = () => as('AKIDEMULATOR');
  const assume = async (from: Clients, input: ConstructorParameters<typeof AssumeRoleCommand>[0], region?: string) =>
    as(keysOf((await from.sts.send(new AssumeRoleCommand(input))).Credentials), region);
  beforeAll(async () => {
    h = await harness();
  });
  beforeEach(async () => {
    await h.control('POST', '/_emulator/reset');
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' });
    await h.control('PUT', '/_emulator/roles', { arn: ROLE, trust: ['arn:aws:iam::000000000000:root'] });
  });
  afterAll(async () => {
    for (const clients of made) clients.destroy();
    await h.close();
  });

  it('roles: PUT shows the role with a stable AROA id, GET lists, DELETE removes; bad input is refused', async () => {
    const first = await h.control<{ roleId: string }>('PUT', '/_emulator/roles', {
      arn: ROLE,
      trust: ['000000000000', '*'],
      externalId: 'x7',
      maxSessionDuration: 7200,
    });
    expect(first).toEqual({
      arn: ROLE,
      roleId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/),
      trust: ['arn:aws:iam::000000000000:root', '*'],
      externalId: 'x7',
      maxSessionDuration: 7200,
    });
    const again = await h.control<{ roleId: string }>('PUT', '/_emulator/roles', { arn: ROLE, trust: [] });
    expect(again.roleId).toBe(first.roleId);
    expect(await h.control('GET', '/_emulator/roles')).toEqual({
      roles: [{ arn: ROLE, roleId: first.roleId, trust: [], maxSessionDuration: 3600 }],
    });
    await h.control('DELETE', `/_emulator/roles?arn=${encodeURIComponent(ROLE)}`);
    await expect(h.control('DELETE', `/_emulator/roles?arn=${encodeURIComponent(ROLE)}`)).rejects.toThrow(/404/);
    const recreated = await h.control<{ roleId: string }>('PUT', '/_emulator/roles', { arn: ROLE, trust: [] });
    expect(recreated.roleId).not.toBe(first.roleId);
    for (const body of [
      { arn: 'arn:aws:iam::111111111111:user/x', trust: [] },
      { arn: ROLE, trust: ['someone'] },
      { arn: ROLE, trust: [], maxSessionDuration: 100 },
      { arn: ROLE, trust: [], externalId: 'x' },
    ]) {
      await expect(h.control('PUT', '/_emulator/roles', body)).rejects.toThrow(/400/);
    }
  });

  it('GetCallerIdentity for each kind of caller: default key, 12-digit key, registered user and root, session', async () => {
    const who = async (c: Clients) => {
      const { Arn, UserId, Account } = await c.sts.send(new GetCallerIdentityCommand({}));
      return { Arn, UserId, Account };
    };
    expect(await who(base())).toEqual({
      Arn: 'arn:aws:iam::000000000000:root',
      UserId: '000000000000',
      Account: '000000000000',
    });
    expect(await who(as('222222222222'))).toEqual({
      Arn: 'arn:aws:iam::222222222222:root',
      UserId: '222222222222',
      Account: '222222222222',
    });
    expect(
      await h.control('PUT', '/_emulator/principals', {
        accessKeyId: 'AKIDMALLORY',
        arn: 'arn:aws:iam::000000000000:user/mallory',
      }),
    ).toEqual({
      accessKeyId: 'AKIDMALLORY',
      arn: 'arn:aws:iam::000000000000:user/mallory',
      account: '000000000000',
      userName: 'mallory',
      userId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
    });
    const mallory = await who(as('AKIDMALLORY'));
    expect(mallory).toMatchObject({ Arn: 'arn:aws:iam::000000000000:user/mallory', Account: '000000000000' });
    expect(mallory.UserId).toMatch(/^AIDA/);
    await h.control('PUT', '/_emulator/principals', { accessKeyId: 'AKIDOPS', arn: 'arn:aws:iam::333333333333:root' });
    expect(await who(as('AKIDOPS'))).toEqual({
      Arn: 'arn:aws:iam::333333333333:root',
      UserId: '333333333333',
      Account: '333333333333',
    });
    const roleId = ((await h.control('GET', '/_emulator/roles')) as { roles: { roleId: string }[] }).roles[0]?.roleId;
    const session = await assume(base(), { RoleArn: ROLE, RoleSessionName: 'lambda-release-bot' });
    expect(await who(session)).toEqual({
      Arn: 'arn:aws:sts::111111111111:assumed-role/lambda-release-bot/lambda-release-bot',
      UserId: `${roleId}:lambda-release-bot`,
      Account: '111111111111',
    });
    expect(await h.control('GET', '/_emulator/principals')).toMatchObject({ principals: [{}, {}] });
    await h.control('DELETE', '/_emulator/principals?accessKeyId=AKIDMALLORY');
    expect((await who(as('AKIDMALLORY'))).Arn).toBe('arn:aws:iam::000000000000:root');
    await expect(
      h.control('PUT', '/_emulator/principals', { accessKeyId: 'K', arn: 'arn:aws:iam::1:user/x' }),
    ).rejects.toThrow(/400/);
  });

  it("a registered principal's calls act in its ARN's account; trust may name that user", async () => {
    await h.control('PUT', '/_emulator/principals', {
      accessKeyId: 'AKIDCAROL',
      arn: 'arn:aws:iam::444444444444:user/ops/carol',
    });
    const carol = as('AKIDCAROL', 'eu-west-1');
    const made = await carol.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'f',
        Role: 'arn:aws:iam::444444444444:role/r',
        Code: { ZipFile: Buffer.from('z') },
      }),
    );
    expect(made.FunctionArn).toBe('arn:aws:lambda:eu-west-1:444444444444:function:f');
    await h.control('PUT', '/_emulator/roles', { arn: CHAINED, trust: ['arn:aws:iam::444444444444:user/ops/carol'] });
    await assume(carol, { RoleArn: CHAINED, RoleSessionName: 'carol' });
    expect(
      await failure(() => base().sts.send(new AssumeRoleCommand({ RoleArn: CHAINED, RoleSessionName: 'xx' }))),
    ).toMatchObject({
      name: 'AccessDenied',
    });
  });

  it('an ASIA key never issued, or sent without its session token, is refused by every service', async () => {
    const stranger = as('ASIAAAAAAAAAAAAAAAAA');
    expect(await failure(() => stranger.sts.send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
      message: INVALID,
    });
    expect(await failure(() => stranger.lambda.send(new ListFunctionsCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      status: 403,
      message: INVALID,
    });
    expect(await failure(() => stranger.cloudwatch.send(new DescribeAlarmsCommand({})))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
      message: INVALID,
    });
    const out = await base().sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'tokenless' }));
    const { sessionToken: _dropped, ...keys } = keysOf(out.Credentials);
    expect(await failure(() => as(keys).lambda.send(new ListFunctionsCommand({})))).toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  it('sessions of a deleted role are denied (GetCallerIdentity still answers); a role created again does not revive them', async () => {
    const session = await assume(base(), { RoleArn: ROLE, RoleSessionName: 'bot' }, 'eu-west-1');
    await session.lambda.send(new ListFunctionsCommand({}));
    await h.control('DELETE', `/_emulator/roles?arn=${encodeURIComponent(ROLE)}`);
    await h.control('PUT', '/_emulator/roles', { arn: ROLE, trust: ['arn:aws:iam::000000000000:root'] });
    const arn = 'arn:aws:sts::111111111111:assumed-role/lambda-release-bot/bot';
    expect(await failure(() => session.lambda.send(new ListFunctionsCommand({})))).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: `User: ${arn} is not authorized to perform: lambda:ListFunctions on resource: * because no identity-based policy allows the lambda:ListFunctions action`,
    });
    expect(
      (await failure(() => session.lambda.send(new GetFunctionCommand({ FunctionName: 'pay:prod' })))).message,
    ).toBe(
      `User: ${arn} is not authorized to perform: lambda:GetFunction on resource: arn:aws:lambda:eu-west-1:111111111111:function:pay:prod because no identity-based policy allows the lambda:GetFunction action`,
    );
    expect(await failure(() => session.cloudwatch.send(new DescribeAlarmsCommand({})))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${arn} is not authorized to perform: cloudwatch:DescribeAlarms because no identity-based policy allows the cloudwatch:DescribeAlarms action`,
    });
    expect((await session.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(arn);
    expect(
      await failure(() => session.sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'again' }))),
    ).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${arn} is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
    });
    expect(await h.control('GET', '/_emulator/sessions')).toMatchObject({
      sessions: [{ arn, account: '111111111111', roleArn: ROLE, sessionName: 'bot', revoked: true }],
    });
  });

  it('a chained session may not change its SourceIdentity; the refusal names sts:SetSourceIdentity', async () => {
    await h.control('PUT', '/_emulator/roles', { arn: CHAINED, trust: [ROLE] });
    const alice = await assume(base(), { RoleArn: ROLE, RoleSessionName: 'slack-U0ALICE', SourceIdentity: 'U0ALICE' });
    expect(
      await failure(() =>
        alice.sts.send(new AssumeRoleCommand({ RoleArn: CHAINED, RoleSessionName: 'xx', SourceIdentity: 'U0BOB' })),
      ),
    ).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: arn:aws:sts::111111111111:assumed-role/lambda-release-bot/slack-U0ALICE is not authorized to perform: sts:SetSourceIdentity on resource: ${CHAINED}`,
    });
  });

  it('a region switched off refuses Lambda and CloudWatch as an unknown token, and STS as RegionDisabledException', async () => {
    expect(
      await h.control('PUT', '/_emulator/regions', { account: '222222222222', region: 'ap-east-1', enabled: false }),
    ).toEqual({ account: '222222222222', region: 'ap-east-1', enabled: false });
    const hk = as('222222222222', 'ap-east-1');
    expect(await failure(() => hk.lambda.send(new ListFunctionsCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      status: 403,
      message: INVALID,
    });
    expect(await failure(() => hk.cloudwatch.send(new DescribeAlarmsCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403,
    });
    const disabled = {
      name: 'RegionDisabledException',
      status: 403,
      message:
        'STS is not activated in this region for account:222222222222. Your account administrator can activate STS in this region using the IAM Console.',
    };
    expect(await failure(() => hk.sts.send(new GetCallerIdentityCommand({})))).toEqual(disabled);
    await as('222222222222', 'eu-west-1').lambda.send(new ListFunctionsCommand({}));
    await as('AKIDEMULATOR', 'ap-east-1').lambda.send(new ListFunctionsCommand({}));
    await h.control('PUT', '/_emulator/roles', {
      arn: 'arn:aws:iam::222222222222:role/r',
      trust: ['arn:aws:iam::000000000000:root'],
    });
    expect(
      await failure(() =>
        as('AKIDEMULATOR', 'ap-east-1').sts.send(
          new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::222222222222:role/r', RoleSessionName: 'hk' }),
        ),
      ),
    ).toEqual(disabled);
    await h.control('PUT', '/_emulator/regions', { account: '222222222222', region: 'ap-east-1', enabled: true });
    await hk.lambda.send(new ListFunctionsCommand({}));
    expect(await h.control('GET', '/_emulator/regions')).toEqual({
      regions: [{ account: '222222222222', region: 'ap-east-1', enabled: true }],
    });
    await expect(
      h.control('PUT', '/_emulator/regions', { account: '2', region: 'ap-east-1', enabled: false }),
    ).rejects.toThrow(/400/);
  });

  it('STS calls are counted and faulted like the others; reset forgets roles, principals, sessions and regions', async () => {
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'sts', operation: 'AssumeRole', account: '000000000000', throttle: 1, times: 1 }],
    });
    expect(
      await failure(() => base().sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'xx' }))),
    ).toEqual({ name: 'Throttling', status: 400, message: 'Rate exceeded' });
    const session = await assume(base(), { RoleArn: ROLE, RoleSessionName: 'xx' }, 'eu-west-1');
    await session.sts.send(new GetCallerIdentityCommand({}));
    expect(await h.control('GET', '/_emulator/calls?by=place')).toEqual({
      '000000000000/us-east-1': { 'sts.AssumeRole': 2 },
      '111111111111/eu-west-1': { 'sts.GetCallerIdentity': 1 },
    });
    await h.control('PUT', '/_emulator/principals', { accessKeyId: 'AKIDX', arn: 'arn:aws:iam::000000000000:user/x' });
    await h.control('PUT', '/_emulator/regions', { account: '222222222222', region: 'ap-east-1', enabled: false });
    await h.control('POST', '/_emulator/reset');
    for (const [path, key] of [
      ['roles', 'roles'],
      ['principals', 'principals'],
      ['regions', 'regions'],
      ['sessions', 'sessions'],
    ]) {
      expect(await h.control('GET', `/_emulator/${path}`)).toEqual({ [key as string]: [] });
    }
    expect(await failure(() => session.sts.send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'InvalidClientTokenId',
    });
  });
});
