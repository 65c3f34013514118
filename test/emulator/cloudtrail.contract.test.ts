import { type Event, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { assumed, awsAccounts, awsLacks, emulatorAccounts, ROLE_ENV } from './support/accounts.js';
import type { Clients } from './support/clients.js';
import { conformanceOf, failure } from './support/contract.js';
import { eventually } from './support/eventually.js';
import { handlerZip } from './support/zip.js';

/** CloudTrail delivers in about 5 minutes, "not guaranteed": on AWS the suite waits up to 20. */
const DELIVERY_MS = 20 * 60_000;

conformanceOf('CloudTrail LookupEvents', { emulator: emulatorAccounts, aws: awsAccounts }, (ctx, name) => {
  const needs = awsLacks(name, ROLE_ENV.otherAccount, 'CONFORMANCE_OTHER_ACCOUNT_EXECUTION_ROLE_ARN');
  let alice: Clients;
  let fn: string;
  let session: string;
  let update: { requestId: string | undefined; revisionId: string | undefined };
  let failedRequestId: string | undefined;
  beforeAll(async () => {
    if (needs) return;
    const { target } = ctx;
    session = target.unique('slack-U0ALICE');
    alice = await assumed(target, target.base, {
      RoleArn: target.roles.otherAccount,
      RoleSessionName: session,
      SourceIdentity: 'U0ALICE',
    });
    fn = target.unique('trail');
    await alice.lambda.send(
      new CreateFunctionCommand({
        FunctionName: fn,
        Role: target.otherExecutionRole,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip('trail') },
        Publish: true,
      }),
    );
    await alice.lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '1' }));
    const out = await alice.lambda.send(
      new UpdateAliasCommand({ FunctionName: fn, Name: 'live', Description: 'moved by U0ALICE' }),
    );
    update = { requestId: out.$metadata.requestId, revisionId: out.RevisionId };
    const failed = await failure(async () => {
      try {
        await alice.lambda.send(new UpdateAliasCommand({ FunctionName: fn, Name: 'missing', FunctionVersion: '1' }));
      } catch (error) {
        failedRequestId = (error as { $metadata?: { requestId?: string } }).$metadata?.requestId;
        throw error;
      }
    });
    expect(failed.name).toBe('ResourceNotFoundException');
    await alice.lambda.send(new PublishVersionCommand({ FunctionName: fn })).catch(() => undefined);
  });
  afterAll(async () => {
    if (!needs && alice)
      await alice.lambda.send(new DeleteFunctionCommand({ FunctionName: fn })).catch(() => undefined);
  });

  /** Looks events up (as alice, in the role's account) until `found` holds of them, as delivery takes a while. */
  const lookUp = (input: LookupEventsCommandInput, found: (events: Event[]) => Event[]) =>
    eventually(
      async () => {
        const out = await alice.cloudtrail.send(new LookupEventsCommand(input));
        const events = found(out.Events ?? []);
        expect(events.length).toBeGreaterThan(0);
        return events;
      },
      DELIVERY_MS,
      15_000,
    );
  const about = (events: Event[]) => events.filter((e) => e.Resources?.some((r) => r.ResourceName === fn));

  it.skipIf(needs)(
    "a Lambda write is recorded in the role's account with the assumed-role identity and the source identity",
    async () => {
      const { target } = ctx;
      const account = target.roles.otherAccount.split(':')[4];
      const roleName = target.roles.otherAccount.split('/').pop();
      const keyId = (await alice.lambda.config.credentials()).accessKeyId;
      const [event] = await lookUp(
        { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateAlias20150331' }] },
        (events) => about(events).filter((e) => JSON.parse(e.CloudTrailEvent ?? '{}').requestID === update.requestId),
      );
      expect(event).toMatchObject({
        EventName: 'UpdateAlias20150331',
        EventSource: 'lambda.amazonaws.com',
        ReadOnly: 'false',
        AccessKeyId: keyId,
        Username: session,
        Resources: [{ ResourceType: 'AWS::Lambda::Function', ResourceName: fn }],
      });
      expect(event?.EventTime).toBeInstanceOf(Date);
      const record = JSON.parse(event?.CloudTrailEvent ?? '{}');
      expect(record).toMatchObject({
        eventVersion: expect.stringMatching(/^1\.\d+$/),
        userIdentity: {
          type: 'AssumedRole',
          principalId: expect.stringMatching(new RegExp(`^AROA[A-Z0-9]+:${session}$`)),
          arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
          accountId: account,
          accessKeyId: keyId,
          sessionContext: {
            sessionIssuer: { type: 'Role', arn: target.roles.otherAccount, accountId: account, userName: roleName },
            attributes: { mfaAuthenticated: 'false' },
            sourceIdentity: 'U0ALICE',
          },
        },
        eventSource: 'lambda.amazonaws.com',
        eventName: 'UpdateAlias20150331',
        awsRegion: target.region,
        requestParameters: { functionName: fn, name: 'live', description: 'moved by U0ALICE' },
        responseElements: {
          aliasArn: `arn:aws:lambda:${target.region}:${account}:function:${fn}:live`,
          functionVersion: '1',
          revisionId: update.revisionId,
        },
        requestID: update.requestId,
        eventID: event?.EventId,
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
      });
      expect(record.userAgent).toContain('aws-sdk-js');
    },
  );

  it.skipIf(needs)('a failed write is recorded too, with its error code and message', async () => {
    const [event] = await lookUp(
      { LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: fn }] },
      (events) => events.filter((e) => JSON.parse(e.CloudTrailEvent ?? '{}').requestID === failedRequestId),
    );
    const record = JSON.parse(event?.CloudTrailEvent ?? '{}');
    expect(record).toMatchObject({
      eventName: 'UpdateAlias20150331',
      errorCode: 'ResourceNotFoundException',
      errorMessage: expect.stringContaining(`function:${fn}:missing`),
      requestParameters: { functionName: fn, name: 'missing', functionVersion: '1' },
    });
    expect(record.responseElements ?? null).toBeNull();
  });

  it.skipIf(needs)(
    "AssumeRole is recorded in the role's account with the role, session name and source identity",
    async () => {
      const { target } = ctx;
      const [event] = await lookUp(
        { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] },
        (events) =>
          events.filter((e) => JSON.parse(e.CloudTrailEvent ?? '{}').requestParameters?.roleSessionName === session),
      );
      expect(event?.EventSource).toBe('sts.amazonaws.com');
      expect(JSON.parse(event?.CloudTrailEvent ?? '{}')).toMatchObject({
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        requestParameters: { roleArn: target.roles.otherAccount, roleSessionName: session, sourceIdentity: 'U0ALICE' },
        recipientAccountId: target.roles.otherAccount.split(':')[4],
      });
    },
  );

  it.skipIf(needs)('pages newest first; a NextToken is valid only with the same parameters', async () => {
    const input = { LookupAttributes: [{ AttributeKey: 'ResourceName' as const, AttributeValue: fn }], MaxResults: 1 };
    await lookUp({ LookupAttributes: input.LookupAttributes }, (events) => (events.length >= 2 ? events : []));
    const first = await alice.cloudtrail.send(new LookupEventsCommand(input));
    expect(first.Events).toHaveLength(1);
    expect(first.NextToken).toBeTruthy();
    const second = await alice.cloudtrail.send(new LookupEventsCommand({ ...input, NextToken: first.NextToken }));
    expect(second.Events).toHaveLength(1);
    expect(second.Events?.[0]?.EventId).not.toBe(first.Events?.[0]?.EventId);
    expect((second.Events?.[0]?.EventTime?.getTime() ?? 0) <= (first.Events?.[0]?.EventTime?.getTime() ?? 0)).toBe(
      true,
    );
    const mismatch = await failure(() =>
      alice.cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAlias20150331' }],
          MaxResults: 1,
          NextToken: first.NextToken,
        }),
      ),
    );
    expect(mismatch).toMatchObject({ name: 'InvalidNextTokenException', status: 400 });
  });

  it('refuses two lookup attributes, an inverted time range, MaxResults outside 1–50 and a foreign NextToken', async () => {
    const { cloudtrail } = ctx.target.base;
    const send = (input: LookupEventsCommandInput) => failure(() => cloudtrail.send(new LookupEventsCommand(input)));
    expect(
      await send({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'UpdateAlias20150331' },
          { AttributeKey: 'ReadOnly', AttributeValue: 'false' },
        ],
      }),
    ).toMatchObject({ name: 'InvalidLookupAttributesException', status: 400 });
    expect(
      await send({ StartTime: new Date('2026-11-26T14:00:00Z'), EndTime: new Date('2026-11-26T13:00:00Z') }),
    ).toMatchObject({
      name: 'InvalidTimeRangeException',
      status: 400,
    });
    for (const MaxResults of [0, 51]) {
      expect(await send({ MaxResults })).toMatchObject({ name: 'InvalidMaxResultsException', status: 400 });
    }
    expect(await send({ NextToken: 'not-a-token' })).toMatchObject({ name: 'InvalidNextTokenException', status: 400 });
  });
});
