/**
 * The bot's Lambda adapter reading what the emulator holds, through the SDK: here, the code signing facts a
 * `signed_by` gate reads (CONTRACT §11), set with `PUT /_emulator/signing` as a signed deployment would leave them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../../src/domain/target.js';
import { type Harness, harness } from '../../emulator/support/emulator.js';
import { testPolicy } from '../../fakes/kit.js';
import { seedFunction } from '../../support/aws-world.js';
import { botAws } from '../../support/bot-aws.js';

const PROFILE = 'arn:aws:signer:us-east-1:000000000000:/signing-profiles/Release/abcdef1234';
const JOB = 'arn:aws:signer:us-east-1:000000000000:/signing-jobs/4f1e2d3c-0b9a-4e8f-9d7c-6b5a43210fed';
const SIGNED = { signingProfileVersionArn: PROFILE, signingJobArn: JOB };

let h: Harness;
let aws: ReturnType<typeof botAws>;
let target: Target;

beforeAll(async () => {
  h = await harness({ at: new Date().toISOString() });
  await seedFunction(h.lambda, { name: 'payments-api', versions: 2, aliases: { staging: '1' } });
  aws = botAws(h.emulator.url, testPolicy());
  target = aws.fleet.named('payments-api');
});

afterAll(async () => {
  aws.close();
  await h.close();
});

/** The signing fields of a configuration, each only when the adapter set it. */
const signingOf = (c: object) =>
  Object.fromEntries(Object.entries(c).filter(([k]) => k === 'signingProfileVersionArn' || k === 'signingJobArn'));

describe('AwsLambdaGateway: code signing', () => {
  it('unsigned code: no signing fields on $LATEST or the versions', async () => {
    expect(signingOf(await aws.lambda.getConfiguration(target, '$LATEST'))).toEqual({});
    for (const v of await aws.lambda.listVersions(target)) expect(signingOf(v)).toEqual({});
  });

  it('after the control call, getConfiguration, publishVersion and listVersions carry the signing', async () => {
    const before = await aws.lambda.getConfiguration(target, '$LATEST');
    await h.control('PUT', '/_emulator/signing', { function: 'payments-api', profileVersionArn: PROFILE, jobArn: JOB });

    const latest = await aws.lambda.getConfiguration(target, '$LATEST');
    expect(latest).toMatchObject({ version: '$LATEST', codeSha256: before.codeSha256, ...SIGNED });
    expect(latest.revisionId).not.toBe(before.revisionId);

    const published = await aws.lambda.publishVersion(target, {
      codeSha256: latest.codeSha256,
      revisionId: latest.revisionId,
      description: 'signed release',
    });
    expect(published).toMatchObject({ version: '3', ...SIGNED });
    expect(await aws.lambda.getConfiguration(target, '3')).toMatchObject({ version: '3', ...SIGNED });
    expect(signingOf(await aws.lambda.getConfiguration(target, '2'))).toEqual({});
    const listed = await aws.lambda.listVersions(target);
    expect(listed.map((v) => [v.version, signingOf(v)])).toEqual([
      ['1', {}],
      ['2', {}],
      ['3', SIGNED],
    ]);
  });
});
