import { type Event, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  ListFunctionsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-lambda';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keysOf } from './support/accounts.js';
import { type Clients, clientsAt, type Keys } from './support/clients.js';
import { failure } from './support/contract.js';
import { type Harness, harness } from './support/emulator.js';

const ROLE = 'arn:aws:iam::111111111111:role/deployer';
const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:f';
const T0 = '2026-11-26T14:00:00Z';

describe('CloudTrail event history (emulator only)', () => {
  let h: Harness;
  const made: Clients[] = [];
  const as = (key: string | Keys, region = 'us-east-1') => {
    const clients = clientsAt(h.emulator.url, region, key);
    made.push(clients);
    return clients;
  };
  const me = () => as('AKIDEMULATOR');
  const create = (c: Clients, name = 'f') =>
    c.lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: 'r', Code: { ZipFile: Buffer.from('z') } }));
  const lookUp = async (c: Clients, input: LookupEventsCommandInput = {}) =>
    (await c.cloudtrail.send(new LookupEventsCommand(input))).Events ?? [];
  const record = (e: Event | undefined) => JSON.parse(e?.CloudTrailEvent ?? '{}');
  beforeAll(async () => {
    h = await harness();
  });
  beforeEach(async () => {
    await h.control('POST', '/_emulator/reset');
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: T0 });
  });
  afterAll(async () => {
    for (const clients of made) clients.destroy();
    await h.close();
  });

  it('a delivery delay hides events until the clock passes eventTime + delay; reset clears it', async () => {
    expect(await h.control('PUT', '/_emulator/cloudtrail', { delayMs: 120_000 })).toEqual({
      delayMs: 120_000,
      events: {},
    });
    await create(me());
    expect(await lookUp(me())).toEqual([]);
    expect(await h.control('GET', '/_emulator/cloudtrail')).toEqual({
      delayMs: 120_000,
      events: { '000000000000/us-east-1': 1 },
    });
    await h.advance(119_999);
    expect(await lookUp(me())).toEqual([]);
    await h.advance(1);
    expect((await lookUp(me())).map((e) => e.EventName)).toEqual(['CreateFunction20150331']);
    await h.control('POST', '/_emulator/reset');
    expect(await h.control('GET', '/_emulator/cloudtrail')).toEqual({ delayMs: 0, events: {} });
    await expect(h.control('PUT', '/_emulator/cloudtrail', { delayMs: -1 })).rejects.toThrow(/400/);
  });

  it('pages of at most 50, newest first, with a NextToken bound to the parameters', async () => {
    await create(me());
    for (let i = 1; i < 120; i++) {
      await me().lambda.send(new TagResourceCommand({ Resource: FN_ARN, Tags: { n: String(i) } }));
      if (i % 40 === 0) await h.advance(1000);
    }
    const pages: Event[][] = [];
    let token: string | undefined;
    do {
      const out = await me().cloudtrail.send(new LookupEventsCommand({ NextToken: token }));
      pages.push(out.Events ?? []);
      token = out.NextToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    const tags = pages.flat().map((e) => record(e).requestParameters.tags?.n ?? 'created');
    expect(tags).toEqual([...Array.from({ length: 119 }, (_, i) => String(119 - i)), 'created']);
    const times = pages.flat().map((e) => e.EventTime?.getTime() ?? 0);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const first = await me().cloudtrail.send(new LookupEventsCommand({ MaxResults: 10 }));
    expect(
      await failure(() =>
        me().cloudtrail.send(new LookupEventsCommand({ MaxResults: 11, NextToken: first.NextToken })),
      ),
    ).toEqual({
      name: 'InvalidNextTokenException',
      status: 400,
      message: 'Invalid NextToken: it must come from a LookupEvents call with the same parameters.',
    });
  });

  it('filters on each lookup attribute, and on a time range inclusive to the second', async () => {
    await h.control('PUT', '/_emulator/roles', { arn: ROLE, trust: ['*'] });
    await h.control('PUT', '/_emulator/principals', {
      accessKeyId: 'AKIDMALLORY',
      arn: 'arn:aws:iam::111111111111:user/mallory',
    });
    const out = await me().sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'slack-U0BOB' }));
    const bob = as(keysOf(out.Credentials));
    await h.advance(60_000);
    await create(bob, 'one');
    await h.advance(60_000);
    await create(as('AKIDMALLORY'), 'two');
    const names = async (input: LookupEventsCommandInput) =>
      (await lookUp(bob, input)).map((e) => `${e.EventName}:${e.Username}`);
    const by = (
      AttributeKey: NonNullable<LookupEventsCommandInput['LookupAttributes']>[number]['AttributeKey'],
      AttributeValue: string,
    ) => names({ LookupAttributes: [{ AttributeKey, AttributeValue }] });
    const all = await lookUp(bob);
    expect(all.map((e) => `${e.EventName}:${e.Username}`)).toEqual([
      'CreateFunction20150331:mallory',
      'CreateFunction20150331:slack-U0BOB',
      'AssumeRole:undefined',
    ]);
    expect(await by('Username', 'mallory')).toEqual(['CreateFunction20150331:mallory']);
    expect(await by('AccessKeyId', out.Credentials?.AccessKeyId ?? '')).toEqual(['CreateFunction20150331:slack-U0BOB']);
    expect(await by('AccessKeyId', 'AKIDEMULATOR')).toEqual(['AssumeRole:undefined']);
    expect(await by('EventId', all[1]?.EventId ?? '')).toEqual(['CreateFunction20150331:slack-U0BOB']);
    expect(await by('EventName', 'AssumeRole')).toEqual(['AssumeRole:undefined']);
    expect(await by('EventSource', 'lambda.amazonaws.com')).toHaveLength(2);
    expect(await by('ReadOnly', 'true')).toEqual(['AssumeRole:undefined']);
    expect(await by('ResourceName', 'two')).toEqual(['CreateFunction20150331:mallory']);
    expect(await by('ResourceType', 'AWS::IAM::Role')).toEqual(['AssumeRole:undefined']);
    expect(await by('ResourceType', 'AWS::Lambda::Function')).toHaveLength(2);
    const minute = new Date('2026-11-26T14:01:00Z');
    expect(await names({ StartTime: minute, EndTime: minute })).toEqual(['CreateFunction20150331:slack-U0BOB']);
    expect(await names({ StartTime: minute })).toHaveLength(2);
    expect(await names({ EndTime: minute })).toHaveLength(2);
    // Event history keeps 90 days (bob's session has long expired: the account's root looks).
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: '2027-02-24T14:01:30Z' });
    expect((await lookUp(as('111111111111'))).map((e) => e.Username)).toEqual(['mallory']);
  });

  it("records who called as CloudTrail writes it: Root, IAMUser, AssumedRole, and AWSAccount in the role's account", async () => {
    await create(as('222222222222'));
    const [root] = await lookUp(as('222222222222'));
    expect(record(root).userIdentity).toEqual({
      type: 'Root',
      principalId: '222222222222',
      arn: 'arn:aws:iam::222222222222:root',
      accountId: '222222222222',
      accessKeyId: '222222222222',
    });
    expect(root?.Username).toBe('root');
    await h.control('PUT', '/_emulator/principals', {
      accessKeyId: 'AKIDMALLORY',
      arn: 'arn:aws:iam::000000000000:user/mallory',
    });
    await as('AKIDMALLORY')
      .lambda.send(new TagResourceCommand({ Resource: FN_ARN.replace('function:f', 'function:g'), Tags: {} }))
      .catch(() => undefined);
    const [user] = await lookUp(me());
    expect(record(user).userIdentity).toEqual({
      type: 'IAMUser',
      principalId: expect.stringMatching(/^AIDA/),
      arn: 'arn:aws:iam::000000000000:user/mallory',
      accountId: '000000000000',
      accessKeyId: 'AKIDMALLORY',
      userName: 'mallory',
    });
    expect(record(user)).toMatchObject({ eventName: 'TagResource20170331v2', errorCode: 'ResourceNotFoundException' });
    await h.control('PUT', '/_emulator/roles', { arn: ROLE, trust: ['000000000000'] });
    const out = await me().sts.send(
      new AssumeRoleCommand({
        RoleArn: ROLE,
        RoleSessionName: 'slack-U0BOB',
        SourceIdentity: 'U0BOB',
        DurationSeconds: 900,
      }),
    );
    const [assume] = await lookUp(as(keysOf(out.Credentials)));
    expect(record(assume)).toMatchObject({
      userIdentity: { type: 'AWSAccount', principalId: '000000000000', accountId: '000000000000' },
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      requestParameters: {
        roleArn: ROLE,
        roleSessionName: 'slack-U0BOB',
        durationSeconds: 900,
        sourceIdentity: 'U0BOB',
      },
      responseElements: {
        credentials: { accessKeyId: out.Credentials?.AccessKeyId, expiration: 'Nov 26, 2026, 2:15:00 PM' },
        assumedRoleUser: { arn: out.AssumedRoleUser?.Arn, assumedRoleId: out.AssumedRoleUser?.AssumedRoleId },
        sourceIdentity: 'U0BOB',
      },
      readOnly: true,
      resources: [{ accountId: '111111111111', type: 'AWS::IAM::Role', ARN: ROLE }],
      recipientAccountId: '111111111111',
    });
    expect(assume?.Resources).toEqual([
      { ResourceType: 'AWS::IAM::AccessKey', ResourceName: out.Credentials?.AccessKeyId },
      { ResourceType: 'AWS::STS::AssumedRole', ResourceName: out.AssumedRoleUser?.Arn },
      { ResourceType: 'AWS::IAM::Role', ResourceName: ROLE },
    ]);
    // The caller's own account does not get the event; other regions of the role's account neither.
    expect((await lookUp(me())).map((e) => e.EventName)).not.toContain('AssumeRole');
    expect(await lookUp(as(keysOf(out.Credentials), 'eu-west-1'))).toEqual([]);
  });

  it('records writes only: not reads, injected faults or refused credentials', async () => {
    await create(me());
    await me().lambda.send(new GetFunctionCommand({ FunctionName: 'f' }));
    await me().lambda.send(new ListFunctionsCommand({}));
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'lambda', operation: 'TagResource', error5xx: 1 }],
    });
    await failure(() => me().lambda.send(new TagResourceCommand({ Resource: FN_ARN, Tags: { a: 'b' } })));
    await h.control('DELETE', '/_emulator/faults');
    await failure(() => as('ASIAAAAAAAAAAAAAAAAA').lambda.send(new TagResourceCommand({ Resource: FN_ARN, Tags: {} })));
    expect((await lookUp(me())).map((e) => e.EventName)).toEqual(['CreateFunction20150331']);
  });

  it('answers errors with its messages, refuses bad credentials, and takes either target prefix', async () => {
    const send = (input: LookupEventsCommandInput) =>
      failure(() => me().cloudtrail.send(new LookupEventsCommand(input)));
    expect(await send({ LookupAttributes: [{ AttributeKey: 'Nope' as 'EventName', AttributeValue: 'x' }] })).toEqual({
      name: 'InvalidLookupAttributesException',
      status: 400,
      message:
        'AttributeKey must be one of AccessKeyId, EventId, EventName, EventSource, ReadOnly, ResourceName, ResourceType, Username.',
    });
    expect((await send({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] })).message).toBe(
      'AttributeValue must be 1 to 2000 characters long.',
    );
    expect(
      (
        await send({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'a' },
            { AttributeKey: 'EventName', AttributeValue: 'b' },
          ],
        })
      ).message,
    ).toBe('You can specify only one lookup attribute.');
    expect((await send({ StartTime: new Date(T0), EndTime: new Date(0) })).message).toBe(
      'Start time must be earlier than end time.',
    );
    expect((await send({ MaxResults: 51 })).message).toBe('MaxResults must be between 1 and 50.');
    expect(await send({ EventCategory: 'other' as 'insight' })).toMatchObject({
      name: 'InvalidEventCategoryException',
    });
    expect(await lookUp(me(), { EventCategory: 'insight' })).toEqual([]);
    expect(await failure(() => as('ASIAAAAAAAAAAAAAAAAA').cloudtrail.send(new LookupEventsCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      status: 400,
      message: 'The security token included in the request is invalid.',
    });
    await h.control('PUT', '/_emulator/regions', { account: '000000000000', region: 'ap-east-1', enabled: false });
    expect(
      await failure(() => as('AKIDEMULATOR', 'ap-east-1').cloudtrail.send(new LookupEventsCommand({}))),
    ).toMatchObject({
      name: 'UnrecognizedClientException',
    });
    await h.control('PUT', '/_emulator/faults', {
      rules: [{ service: 'cloudtrail', operation: 'LookupEvents', throttle: 1 }],
    });
    expect(await send({})).toMatchObject({ name: 'ThrottlingException', status: 429 });
    await h.control('DELETE', '/_emulator/faults');
    await create(me());
    for (const target of [
      'CloudTrail_20131101.LookupEvents',
      'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
    ]) {
      const res = await fetch(`${h.emulator.url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        body: JSON.stringify({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateFunction20150331' }],
        }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      const body = (await res.json()) as { Events: { EventTime: number; ReadOnly: string }[] };
      expect(body.Events).toHaveLength(1);
      expect(body.Events[0]).toMatchObject({ EventTime: Date.parse(T0) / 1000, ReadOnly: 'false' });
    }
  });
});
