import { describe, expect, it } from 'vitest';
import { checkAliasName, checkFunctionName, parseFunctionRef, parseVersion } from '../../../src/domain/names.js';

describe('function names (AWS: [a-zA-Z0-9-_]+, at most 64)', () => {
  it('accepts names AWS accepts', () => {
    expect(checkFunctionName('payments-api')).toBeUndefined();
    expect(checkFunctionName('A_b-9')).toBeUndefined();
    expect(checkFunctionName('x'.repeat(64))).toBeUndefined();
  });

  it('refuses a name over 64 characters', () => {
    expect(checkFunctionName('x'.repeat(65))?.problem).toMatch(/longer than 64/);
  });

  it.each(['pay ments', 'pay.ments', 'paymënts', ''])('refuses %j', (name) => {
    expect(checkFunctionName(name)).toBeDefined();
  });
});

describe('alias names (AWS: (?!^[0-9]+$)([a-zA-Z0-9-_]+), 1–128)', () => {
  it.each(['prod', 'staging-2', '2024-01-02', 'v2', 'a'.repeat(128)])('accepts %s', (name) => {
    expect(checkAliasName(name)).toBeUndefined();
  });

  it('refuses an all-digit name, which would be a version', () => {
    expect(checkAliasName('2024')?.problem).toMatch(/all digits/);
  });

  it.each(['', 'pr od', 'prod!', 'a'.repeat(129)])('refuses %j', (name) => {
    expect(checkAliasName(name)).toBeDefined();
  });
});

describe('parseVersion', () => {
  it.each([
    ['42', '42'],
    ['v42', '42'],
    ['V7', '7'],
    ['007', '7'],
  ])('%s → %s', (text, version) => {
    expect(parseVersion(text)).toBe(version);
  });

  it.each(['$LATEST', '-1', '4.2', 'v', '12345678901', 'latest'])('refuses %j', (text) => {
    expect(parseVersion(text)).toBeUndefined();
  });
});

describe('parseFunctionRef', () => {
  it('reads a name and a qualifier', () => {
    expect(parseFunctionRef('payments-api:prod')).toEqual({ name: 'payments-api', qualifier: 'prod' });
  });

  it('reads a full ARN with and without an alias', () => {
    expect(parseFunctionRef('arn:aws:lambda:eu-west-1:123456789012:function:payments-api')).toEqual({
      name: 'payments-api',
      region: 'eu-west-1',
      account: '123456789012',
    });
    expect(parseFunctionRef('arn:aws:lambda:us-gov-west-1:123456789012:function:fn:live')).toMatchObject({
      name: 'fn',
      region: 'us-gov-west-1',
      qualifier: 'live',
    });
  });

  it('reads a partial ARN', () => {
    expect(parseFunctionRef('123456789012:function:fn:prod')).toEqual({
      name: 'fn',
      account: '123456789012',
      qualifier: 'prod',
    });
  });

  it('refuses ARNs of other services and bad names', () => {
    expect(parseFunctionRef('arn:aws:s3:::bucket')).toHaveProperty('problem');
    expect(parseFunctionRef(`${'x'.repeat(65)}:prod`)).toHaveProperty('problem');
  });
});
