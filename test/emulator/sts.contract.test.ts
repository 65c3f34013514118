import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { expect, it } from 'vitest';
import { awsAccounts, awsLacks, emulatorAccounts, keysOf, ROLE_ENV } from './support/accounts.js';
import { conformanceOf, failure } from './support/contract.js';

const denied = (caller: string, role: string) => ({
  name: 'AccessDenied',
  status: 403,
  message: `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${role}`,
});

conformanceOf('STS AssumeRole and GetCallerIdentity', { emulator: emulatorAccounts, aws: awsAccounts }, (ctx, name) => {
  const me = async () => (await ctx.target.base.sts.send(new GetCallerIdentityCommand({}))).Arn as string;

  it.skipIf(awsLacks(name, ROLE_ENV.trusted))(
    "issues ASIA credentials in the role's account, expiring DurationSeconds from now; the session knows who it is",
    async () => {
      const { target } = ctx;
      const before = await target.now();
      const out = await target.base.sts.send(
        new AssumeRoleCommand({
          RoleArn: target.roles.trusted,
          RoleSessionName: 'conformance-1',
          DurationSeconds: 900,
        }),
      );
      const account = target.roles.trusted.split(':')[4];
      const roleName = target.roles.trusted.split('/').pop();
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
      expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
      expect(out.AssumedRoleUser).toEqual({
        Arn: `arn:aws:sts::${account}:assumed-role/${roleName}/conformance-1`,
        AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]{13,}:conformance-1$/),
      });
      const expires = out.Credentials?.Expiration?.getTime() ?? 0;
      expect(expires - before).toBeGreaterThan(899_000);
      expect(expires - before).toBeLessThanOrEqual(901_000);
      expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      const session = target.as(keysOf(out.Credentials));
      const who = await session.sts.send(new GetCallerIdentityCommand({}));
      expect(who).toMatchObject({
        Account: account,
        Arn: out.AssumedRoleUser?.Arn,
        UserId: out.AssumedRoleUser?.AssumedRoleId,
      });
    },
  );

  it('GetCallerIdentity names the base caller', async () => {
    const who = await ctx.target.base.sts.send(new GetCallerIdentityCommand({}));
    expect(who.Account).toMatch(/^\d{12}$/);
    expect(who.Arn).toMatch(new RegExp(`^arn:aws:(iam|sts)::${who.Account}:`));
    expect(who.UserId).toBeTruthy();
  });

  it.skipIf(awsLacks(name, ROLE_ENV.untrusted))(
    'a role that does not trust the caller, or does not exist, is AccessDenied',
    async () => {
      const { target } = ctx;
      const caller = await me();
      const untrusted = await failure(() =>
        target.base.sts.send(new AssumeRoleCommand({ RoleArn: target.roles.untrusted, RoleSessionName: 'nope' })),
      );
      expect(untrusted).toEqual(denied(caller, target.roles.untrusted));
      const account = (await target.base.sts.send(new GetCallerIdentityCommand({}))).Account;
      const missing = `arn:aws:iam::${account}:role/${target.unique('does-not-exist')}`;
      const none = await failure(() =>
        target.base.sts.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'nope' })),
      );
      expect(none).toEqual(denied(caller, missing));
    },
  );

  it.skipIf(awsLacks(name, ROLE_ENV.withExternalId, 'CONFORMANCE_STS_EXTERNAL_ID'))(
    'a role wanting an external ID refuses a missing or wrong one, and accepts the right one',
    async () => {
      const { target } = ctx;
      const caller = await me();
      const role = target.roles.withExternalId;
      for (const ExternalId of [undefined, 'wrong-id']) {
        const e = await failure(() =>
          target.base.sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'ext', ExternalId })),
        );
        expect(e).toEqual(denied(caller, role));
      }
      const out = await target.base.sts.send(
        new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'ext', ExternalId: target.externalId }),
      );
      expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    },
  );

  it.skipIf(awsLacks(name, ROLE_ENV.trusted))('validates as STS does, with its messages', async () => {
    const { target } = ctx;
    const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]>) =>
      failure(() =>
        target.base.sts.send(
          new AssumeRoleCommand({ RoleArn: target.roles.trusted, RoleSessionName: 'valid', ...input }),
        ),
      );
    const invalid = (message: string) => ({ name: 'ValidationError', status: 400, message });
    expect(await assume({ RoleSessionName: 'Session1:2' })).toEqual(
      invalid(
        "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ),
    );
    const long = 's'.repeat(65);
    expect(await assume({ RoleSessionName: long })).toEqual(
      invalid(
        `1 validation error detected: Value '${long}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      ),
    );
    expect(await assume({ DurationSeconds: 899 })).toEqual(
      invalid(
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ),
    );
    expect(await assume({ SourceIdentity: 'aws:me' })).toEqual(
      invalid(
        "1 validation error detected: Value 'aws:me' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ),
    );
    const two = await assume({ RoleSessionName: 'x', DurationSeconds: 100 });
    expect(two.name).toBe('ValidationError');
    expect(two.message).toMatch(/^2 validation errors detected: /);
    expect(two.message).toContain("Value 'x' at 'roleSessionName' failed to satisfy constraint");
    expect(two.message).toContain("Value '100' at 'durationSeconds' failed to satisfy constraint");
    expect(await assume({ RoleArn: 'nothing-valid-in-here' })).toEqual(invalid('nothing-valid-in-here is invalid'));
    expect(await assume({ DurationSeconds: 43200 })).toEqual(
      invalid('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
    );
    expect(
      await assume({
        Tags: [
          { Key: 'team', Value: 'a' },
          { Key: 'TEAM', Value: 'b' },
        ],
      }),
    ).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    });
    expect(await assume({ Tags: [{ Key: 'team', Value: 'a' }], TransitiveTagKeys: ['other'] })).toEqual({
      name: 'InvalidParameterValue',
      status: 400,
      message: 'The specified transitive tag key must be included in the requested tags.',
    });
  });

  it.skipIf(awsLacks(name, ROLE_ENV.trusted, ROLE_ENV.chained))(
    'role chaining: SourceIdentity persists and cannot change; a chained session lasts at most one hour',
    async () => {
      const { target } = ctx;
      const first = await target.base.sts.send(
        new AssumeRoleCommand({
          RoleArn: target.roles.trusted,
          RoleSessionName: 'slack-U0ALICE',
          SourceIdentity: 'U0ALICE',
        }),
      );
      expect(first.SourceIdentity).toBe('U0ALICE');
      const alice = target.as(keysOf(first.Credentials));
      const chained = await alice.sts.send(
        new AssumeRoleCommand({ RoleArn: target.roles.chained, RoleSessionName: 'slack-U0ALICE' }),
      );
      expect(chained.SourceIdentity).toBe('U0ALICE');
      const again = await alice.sts.send(
        new AssumeRoleCommand({ RoleArn: target.roles.chained, RoleSessionName: 'same', SourceIdentity: 'U0ALICE' }),
      );
      expect(again.SourceIdentity).toBe('U0ALICE');
      const changed = await failure(() =>
        alice.sts.send(
          new AssumeRoleCommand({
            RoleArn: target.roles.chained,
            RoleSessionName: 'other',
            SourceIdentity: 'U0MALLORY',
          }),
        ),
      );
      expect(changed).toMatchObject({ name: 'AccessDenied', status: 403 });
      const long = await failure(() =>
        alice.sts.send(
          new AssumeRoleCommand({ RoleArn: target.roles.chained, RoleSessionName: 'long', DurationSeconds: 3601 }),
        ),
      );
      expect(long).toEqual({
        name: 'ValidationError',
        status: 400,
        message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      });
    },
  );

  // On AWS this would wait 15 minutes; the emulator moves its clock instead.
  it.skipIf(name === 'aws')('credentials past their Expiration are refused by every service', async () => {
    const { target } = ctx;
    const out = await target.base.sts.send(
      new AssumeRoleCommand({ RoleArn: target.roles.trusted, RoleSessionName: 'short', DurationSeconds: 900 }),
    );
    const session = target.as(keysOf(out.Credentials));
    await session.sts.send(new GetCallerIdentityCommand({}));
    await target.advance(900_000);
    const expired = 'The security token included in the request is expired';
    expect(await failure(() => session.sts.send(new GetCallerIdentityCommand({})))).toEqual({
      name: 'ExpiredToken',
      status: 403,
      message: expired,
    });
    expect(await failure(() => session.lambda.send(new ListFunctionsCommand({})))).toEqual({
      name: 'ExpiredTokenException',
      status: 403,
      message: expired,
    });
    expect(await failure(() => session.cloudwatch.send(new DescribeAlarmsCommand({})))).toEqual({
      name: 'ExpiredToken',
      status: 403,
      message: expired,
    });
  });
});
