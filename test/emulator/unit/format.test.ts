import { describe, expect, it } from 'vitest';
import { isoWithOffset, javaDouble, longDate, reasonDate } from '../../../emulator/core/format.js';
import { regionFromAuthorization } from '../../../emulator/core/region.js';

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

  it('reads the region from a SigV4 credential scope', () => {
    expect(
      regionFromAuthorization(
        'AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/lambda/aws4_request, SignedHeaders=host',
      ),
    ).toBe('eu-west-1');
    expect(regionFromAuthorization(undefined)).toBe('us-east-1');
  });
});
