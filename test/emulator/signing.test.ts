import {
  CreateFunctionCommand,
  type FunctionConfiguration,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Clients, clientsAt } from './support/clients.js';
import { type Harness, harness } from './support/emulator.js';
import { handlerZip } from './support/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/r';
const PROFILE = 'arn:aws:signer:eu-west-1:222222222222:/signing-profiles/Release/abcdef1234';
const JOB = 'arn:aws:signer:eu-west-1:222222222222:/signing-jobs/4f1e2d3c-0b9a-4e8f-9d7c-6b5a43210fed';
const SIGNED = { SigningProfileVersionArn: PROFILE, SigningJobArn: JOB };

/** The two signing fields as the SDK hands them back, each only when present. */
const signingOf = (c: FunctionConfiguration | undefined) =>
  Object.fromEntries(
    Object.entries(c ?? {}).filter(([k]) => k === 'SigningProfileVersionArn' || k === 'SigningJobArn'),
  );

describe('code signing facts: PUT /_emulator/signing (emulator only)', () => {
  let h: Harness;
  let other: Clients;
  beforeAll(async () => {
    h = await harness();
    other = clientsAt(h.emulator.url, 'eu-west-1', '222222222222');
  });
  beforeEach(async () => {
    await h.control('POST', '/_emulator/reset');
    await h.control('POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' });
  });
  afterAll(async () => {
    other.destroy();
    await h.close();
  });

  const create = (name: string, lambda: LambdaClient = h.lambda) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: ROLE,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip(name) },
      }),
    );
  const config = (name: string, qualifier?: string, lambda: LambdaClient = h.lambda) =>
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier }));
  const versions = async (name: string) =>
    (await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions ?? [];
  /** The control call as it is on the wire: status and JSON body, refusals included. */
  const sign = async (body: Record<string, unknown>) => {
    const res = await fetch(`${h.emulator.url}/_emulator/signing`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('an unsigned function shows no signing fields anywhere', async () => {
    await create('plain');
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'plain' }));
    expect(signingOf(await config('plain'))).toEqual({});
    expect(signingOf(await config('plain', '1'))).toEqual({});
    expect(signingOf((await h.lambda.send(new GetFunctionCommand({ FunctionName: 'plain' }))).Configuration)).toEqual(
      {},
    );
    for (const v of await versions('plain')) expect(signingOf(v)).toEqual({});
  });

  it('sets the signing on $LATEST, PublishVersion copies it, every read shows it', async () => {
    await create('pay');
    const before = await config('pay');
    expect(await sign({ function: 'pay', profileVersionArn: PROFILE, jobArn: JOB })).toEqual({
      status: 200,
      body: {
        function: 'pay',
        account: '000000000000',
        region: 'us-east-1',
        version: '$LATEST',
        profileVersionArn: PROFILE,
        jobArn: JOB,
      },
    });
    const latest = await config('pay');
    expect(signingOf(latest)).toEqual(SIGNED);
    expect(latest.RevisionId).not.toBe(before.RevisionId);
    expect(latest.CodeSha256).toBe(before.CodeSha256);
    const got = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'pay' }));
    expect(signingOf(got.Configuration)).toEqual(SIGNED);
    const all = await h.lambda.send(new ListFunctionsCommand({}));
    expect(signingOf(all.Functions?.find((f) => f.FunctionName === 'pay'))).toEqual(SIGNED);

    const published = await h.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));
    expect(published.Version).toBe('1');
    expect(signingOf(published)).toEqual(SIGNED);
    expect(signingOf(await config('pay', '1'))).toEqual(SIGNED);
    const listed = await versions('pay');
    expect(listed.map((v) => [v.Version, signingOf(v)])).toEqual([
      ['$LATEST', SIGNED],
      ['1', SIGNED],
    ]);
  });

  it('signing the code a version was published from makes the next publish a new, signed version', async () => {
    await create('pay');
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));
    await sign({ function: 'pay', profileVersionArn: PROFILE, jobArn: JOB });
    const next = await h.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));
    expect(next.Version).toBe('2');
    expect(signingOf(next)).toEqual(SIGNED);
    expect(signingOf(await config('pay', '1'))).toEqual({});
  });

  it('new code on $LATEST is unsigned; the published versions keep their signing; configuration keeps it', async () => {
    await create('pay');
    await sign({ function: 'pay', profileVersionArn: PROFILE, jobArn: JOB });
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'pay', MemorySize: 256 }));
    expect(signingOf(await config('pay'))).toEqual(SIGNED);
    await h.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));

    const dry = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'pay', ZipFile: handlerZip('next'), DryRun: true }),
    );
    expect(signingOf(dry)).toEqual({});
    expect(signingOf(await config('pay'))).toEqual(SIGNED);

    const updated = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'pay', ZipFile: handlerZip('next') }),
    );
    expect(signingOf(updated)).toEqual({});
    expect(signingOf(await config('pay'))).toEqual({});
    expect(signingOf(await config('pay', '1'))).toEqual(SIGNED);
    const unsigned = await h.lambda.send(new PublishVersionCommand({ FunctionName: 'pay' }));
    expect(unsigned.Version).toBe('2');
    expect(signingOf(unsigned)).toEqual({});
  });

  it('account and region name the place, as other control endpoints do', async () => {
    await create('pay', other.lambda);
    await create('pay');
    const place = { account: '222222222222', region: 'eu-west-1' };
    expect((await sign({ function: 'pay', profileVersionArn: PROFILE, jobArn: JOB, ...place })).status).toBe(200);
    expect(signingOf(await config('pay', undefined, other.lambda))).toEqual(SIGNED);
    expect(signingOf(await config('pay'))).toEqual({});
  });

  it('refuses bad input with 400 and an unknown function with 404, changing nothing', async () => {
    await create('pay');
    const before = await config('pay');
    const good = { function: 'pay', profileVersionArn: PROFILE, jobArn: JOB };
    const refused: [Record<string, unknown>, number, RegExp][] = [
      [{ ...good, function: undefined }, 400, /function is required/],
      [{ ...good, function: '' }, 400, /function is required/],
      [{ ...good, profileVersionArn: undefined }, 400, /profileVersionArn must be/],
      [{ ...good, profileVersionArn: 'Release/abcdef1234' }, 400, /profileVersionArn must be/],
      [{ ...good, profileVersionArn: PROFILE.replace('abcdef1234', 'v1') }, 400, /profileVersionArn must be/],
      [{ ...good, profileVersionArn: PROFILE.replace('signing-profiles', 'signing-jobs') }, 400, /profileVersionArn/],
      [{ ...good, profileVersionArn: PROFILE.replace('222222222222', '2222') }, 400, /profileVersionArn must be/],
      [{ ...good, profileVersionArn: PROFILE.replace(':signer:', ':lambda:') }, 400, /profileVersionArn must be/],
      [{ ...good, jobArn: undefined }, 400, /jobArn must be/],
      [{ ...good, jobArn: PROFILE }, 400, /jobArn must be/],
      [{ ...good, jobArn: `${JOB}/extra` }, 400, /jobArn must be/],
      [{ ...good, account: '12' }, 400, /account must be a 12-digit/],
      [{ ...good, region: 'Europe' }, 400, /region must be/],
      [
        { ...good, function: 'missing' },
        404,
        /no such function: arn:aws:lambda:us-east-1:000000000000:function:missing/,
      ],
      [{ ...good, account: '222222222222' }, 404, /no such function: .*:222222222222:function:pay/],
      [{ ...good, region: 'eu-west-1' }, 404, /no such function: arn:aws:lambda:eu-west-1:/],
    ];
    for (const [body, status, message] of refused) {
      const answer = await sign(body);
      expect({ body, status: answer.status }).toEqual({ body, status });
      expect(String(answer.body.error)).toMatch(message);
    }
    const after = await config('pay');
    expect(signingOf(after)).toEqual({});
    expect(after.RevisionId).toBe(before.RevisionId);
  });
});
