import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness } from './support/emulator.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const SIGV4 = (key: string, region: string) =>
  `AWS4-HMAC-SHA256 Credential=${key}/20261126/${region}/sts/aws4_request, SignedHeaders=host, Signature=00`;

/** What `curl -d 'Action=…&Version=2011-06-15' localhost:4566/` sees. */
async function post(h: Harness, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.emulator.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    id: res.headers.get('x-amzn-requestid'),
    text: await res.text(),
  };
}

describe('STS wire format: the AWS Query protocol (emulator only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.control('PUT', '/_emulator/roles', {
      arn: 'arn:aws:iam::111111111111:role/deploy',
      trust: ['arn:aws:iam::000000000000:root'],
    });
  });
  afterAll(() => h.close());

  it('GetCallerIdentity answers text/xml in the STS namespace, with the request id in body and header', async () => {
    const res = await post(h, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/xml');
    expect(res.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.text).toBe(
      `<GetCallerIdentityResponse xmlns="${NS}">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::000000000000:root</Arn>
    <UserId>000000000000</UserId>
    <Account>000000000000</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>${res.id}</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>
`,
    );
  });

  it('AssumeRole, signed for sts with a 12-digit key, answers the documented document', async () => {
    const res = await post(
      h,
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fdeploy' +
        '&RoleSessionName=slack-U123&DurationSeconds=900&SourceIdentity=alice%40example.com&Tags=&TransitiveTagKeys=',
      { authorization: SIGV4('000000000000', 'eu-west-1') },
    );
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      new RegExp(
        `^<AssumeRoleResponse xmlns="${NS}">
  <AssumeRoleResult>
    <SourceIdentity>alice@example.com</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::111111111111:assumed-role/deploy/slack-U123</Arn>
      <AssumedRoleId>AROA[A-Z2-7]{17}:slack-U123</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIA[A-Z2-7]{16}</AccessKeyId>
      <SecretAccessKey>[A-Za-z0-9+/]{40}</SecretAccessKey>
      <SessionToken>[A-Za-z0-9+/]+</SessionToken>
      <Expiration>2026-11-26T14:15:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata>
    <RequestId>${res.id}</RequestId>
  </ResponseMetadata>
</AssumeRoleResponse>
$`,
      ),
    );
  });

  it('errors are an ErrorResponse with Type, Code, Message and RequestId, at the AWS status', async () => {
    const res = await post(
      h,
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fnone&RoleSessionName=s1',
    );
    expect(res.status).toBe(403);
    expect(res.type).toBe('text/xml');
    expect(res.text).toBe(
      `<ErrorResponse xmlns="${NS}">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/none</Message>
  </Error>
  <RequestId>${res.id}</RequestId>
</ErrorResponse>
`,
    );
  });

  it('escapes text, and refuses an unknown Action or Version', async () => {
    const res = await post(h, 'Action=AssumeRole&Version=2011-06-15&RoleArn=a%3Cb%26c&RoleSessionName=s1');
    expect(res.text).toContain("<Message>1 validation error detected: Value 'a&lt;b&amp;c' at 'roleArn'");
    const unknown = await post(h, 'Action=GetSessionToken&Version=2011-06-15');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(unknown.text).toContain(
      '<Message>Could not find operation GetSessionToken for version 2011-06-15</Message>',
    );
    const version = await post(h, 'Action=GetCallerIdentity&Version=2010-01-01');
    expect(version.text).toContain('Could not find operation GetCallerIdentity for version 2010-01-01');
    // A form body signed for CloudWatch is its old Query protocol, which the emulator does not speak: not STS.
    const monitoring = await post(h, 'Action=DescribeAlarms&Version=2010-08-01', {
      authorization: SIGV4('AKID', 'us-east-1').replace('/sts/', '/monitoring/'),
    });
    expect(monitoring.status).toBe(404);
  });
});
