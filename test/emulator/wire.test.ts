import { gzipSync } from 'node:zlib';
import { CreateFunctionCommand, GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Harness, harness } from './support/emulator.js';

const ROLE = 'arn:aws:iam::000000000000:role/r';
const SIGV4 = (region: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKID/20261126/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

describe('wire format (emulator only)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'wire',
        Role: ROLE,
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: Buffer.from('z') },
      }),
    );
  });
  afterAll(() => h.close());

  it('Lambda errors carry x-amzn-errortype and the AWS body', async () => {
    const res = await fetch(`${h.emulator.url}/2015-03-31/functions/missing`, {
      headers: { authorization: SIGV4('us-east-1', 'lambda') },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await res.json()).toEqual({
      Type: 'User',
      Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
    });
  });

  it('decodes URI-encoded labels (%3A, %24)', async () => {
    const arn = encodeURIComponent('arn:aws:lambda:us-east-1:000000000000:function:wire:$LATEST');
    const res = await fetch(`${h.emulator.url}/2015-03-31/functions/${arn}/configuration`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { Version: string }).Version).toBe('$LATEST');
  });

  it('takes the region from the SigV4 credential scope; state is per region', async () => {
    const eu = new LambdaClient({ endpoint: h.emulator.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
    await expect(eu.send(new GetFunctionCommand({ FunctionName: 'wire' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await eu.send(
      new CreateFunctionCommand({
        FunctionName: 'wire',
        Role: ROLE,
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: Buffer.from('e') },
      }),
    );
    const out = await eu.send(new GetFunctionCommand({ FunctionName: 'wire' }));
    expect(out.Configuration?.FunctionArn).toBe('arn:aws:lambda:eu-west-1:000000000000:function:wire');
    eu.destroy();
  });

  it('CloudWatch errors are query-compatible: x-amzn-query-error, __type, Query status only in query mode', async () => {
    const send = (queryMode: boolean) =>
      fetch(`${h.emulator.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'GraniteServiceVersion20100801.SetAlarmState',
          authorization: SIGV4('us-east-1', 'monitoring'),
          ...(queryMode ? { 'x-amzn-query-mode': 'true' } : {}),
        },
        body: JSON.stringify({ AlarmName: 'missing', StateValue: 'OK', StateReason: 'x' }),
      });
    const res = await send(true);
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-query-error')).toBe('ResourceNotFound;Sender');
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(await res.json()).toEqual({ __type: 'com.amazonaws.cloudwatch#ResourceNotFound' });
    expect((await send(false)).status).toBe(400);
  });

  it('inflates gzip-encoded CloudWatch bodies', async () => {
    const body = gzipSync(
      JSON.stringify({
        Namespace: 'Wire',
        MetricData: [{ MetricName: 'M', Value: 3, Timestamp: Date.parse('2026-11-26T13:59:00Z') / 1000 }],
      }),
    );
    const headers = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-mode': 'true' };
    const put = await fetch(`${h.emulator.url}/`, {
      method: 'POST',
      headers: {
        ...headers,
        'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData',
        'content-encoding': 'gzip',
      },
      body,
    });
    expect(put.status).toBe(200);
    const get = await fetch(`${h.emulator.url}/`, {
      method: 'POST',
      headers: { ...headers, 'x-amz-target': 'GraniteServiceVersion20100801.GetMetricData' },
      body: JSON.stringify({
        StartTime: Date.parse('2026-11-26T13:59:00Z') / 1000,
        EndTime: Date.parse('2026-11-26T14:00:00Z') / 1000,
        MetricDataQueries: [
          { Id: 'm', MetricStat: { Metric: { Namespace: 'Wire', MetricName: 'M' }, Period: 60, Stat: 'Sum' } },
        ],
      }),
    });
    const out = (await get.json()) as { MetricDataResults: { Values: number[]; Timestamps: number[] }[] };
    expect(out.MetricDataResults[0]).toMatchObject({
      Values: [3],
      Timestamps: [Date.parse('2026-11-26T13:59:00Z') / 1000],
    });
  });

  it('an unknown CloudWatch action and an unknown Lambda path are answered, not crashed on', async () => {
    const cw = await fetch(`${h.emulator.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'GraniteServiceVersion20100801.Nope', 'x-amzn-query-mode': 'true' },
      body: '{}',
    });
    expect(cw.status).toBe(400);
    expect(cw.headers.get('x-amzn-query-error')).toBe('InvalidAction;Sender');
    const lambda = await fetch(`${h.emulator.url}/2015-03-31/nothing-here`);
    expect(lambda.status).toBe(404);
  });
});
