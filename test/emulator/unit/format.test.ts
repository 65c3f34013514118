import { describe, expect, it } from 'vitest';
import { isoWithOffset, javaDouble, longDate, reasonDate } from '../../../emulator/core/format.js';
import { signingOf } from '../../../emulator/core/sigv4.js';

describe('AWS text formats', () => {
  it('writes numbers as Java doubles', () => {
    expect([25, 0, 0.02, 7.272883842388789, -1, 0.0001, 12345678, 1e21].map(javaDouble)).toEqual([
      '25.0',
      '0.0',
      '0.02',
      '7.272883842388789',
      '-1.0',
      '1.0E-4',
      '1.2345678E7',
      '1.0E21',
    ]);
  });

  it('writes the timestamp forms', () => {
    const t = Date.UTC(2022, 6, 22, 15, 57, 45, 394);
    expect(isoWithOffset(t)).toBe('2022-07-22T15:57:45.394+0000');
    expect(reasonDate(t)).toBe('22/07/22 15:57:45');
    expect(longDate(t)).toBe('Friday 22 July, 2022 15:57:45 UTC');
  });

  it('reads the access key, region and service from a SigV4 credential scope', () => {
    const none = new URLSearchParams();
    expect(
      signingOf(
        {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/lambda/aws4_request, SignedHeaders=host',
          'x-amz-security-token': 'tok',
        },
        none,
      ),
    ).toEqual({ accessKeyId: 'AKID', region: 'eu-west-1', service: 'lambda', sessionToken: 'tok' });
    expect(signingOf({}, none)).toEqual({
      accessKeyId: undefined,
      region: 'us-east-1',
      service: undefined,
      sessionToken: undefined,
    });
    const presigned = new URLSearchParams({ 'X-Amz-Credential': '111111111111/20261126/ap-east-1/sts/aws4_request' });
    expect(signingOf({}, presigned)).toMatchObject({
      accessKeyId: '111111111111',
      region: 'ap-east-1',
      service: 'sts',
    });
  });
});
