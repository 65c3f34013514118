import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';

const HEAD = `
channels: { approvals: C0A1, alerts: C0A2 }
roles: { deployers: [], approvers: [], responders: [] }
`;

function problems(yaml: string, defaultRegion?: string): string[] {
  const result = parsePolicy(HEAD + yaml, { defaultRegion });
  return result.ok ? [] : result.problems;
}

describe('the accounts section and where functions live (CONTRACT §9)', () => {
  it('reads accounts, and each function’s account, region and AWS name', () => {
    const result = parsePolicy(`${HEAD}
accounts:
  staging: { id: "111111111111", role_arn: "arn:aws:iam::111111111111:role/lambda-release-bot" }
  prod: { id: 222222222222, role_arn: "arn:aws:iam::222222222222:role/lambda-release-bot", external_id: x7 }
functions:
  payments-api: { account: prod, region: eu-west-1 }
  payments-api-us: { account: prod, region: us-east-1, name: payments-api }
  orders-api: {}
`);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { policy } = result;
    expect(policy.accounts.get('prod')).toEqual({
      id: '222222222222',
      roleArn: 'arn:aws:iam::222222222222:role/lambda-release-bot',
      externalId: 'x7',
    });
    expect(policy.functions.get('payments-api-us')).toMatchObject({
      name: 'payments-api',
      account: 'prod',
      region: 'us-east-1',
    });
    expect(policy.functions.get('orders-api')).toMatchObject({ name: 'orders-api' });
    expect(policy.functions.get('orders-api')?.account).toBeUndefined();
  });

  it('without accounts every function is in the bot’s own account', () => {
    const result = parsePolicy(`${HEAD}functions: { fn: {} }\n`);
    expect(result.ok && result.policy.accounts.size).toBe(0);
  });

  it('reports every problem at once, one line each', () => {
    expect(
      problems(`
accounts:
  prod: { id: "2222", role_arn: "arn:aws:iam::222222222222:user/bot", external_id: "a b" }
  stage: { id: 12345678901, role_arn: "arn:aws:iam::111111111111:role/bot" }
  own: { id: "333333333333", role_arn: "arn:aws:iam::333333333333:role/bot" }
  qa: { id: "444444444444", role_arn: "arn:aws:iam::555555555555:role/bot" }
functions:
  a: { account: prd, region: europe }
  b: { name: "not valid" }
`),
    ).toEqual([
      'accounts.prod.id: must be a 12-digit AWS account ID, not "2222"',
      'accounts.prod.role_arn: must be an IAM role ARN like arn:aws:iam::111111111111:role/lambda-release-bot',
      'accounts.prod.external_id: must be 2–1224 characters of letters, digits and + = , . @ : / - _ (as STS requires)',
      'accounts.stage.id: must be 12 digits in quotes ("012345678901"?): YAML drops the leading zeros of a number',
      'functions.a.region: must be an AWS region like eu-west-1',
    ]);
    expect(
      problems(`
accounts:
  own: { id: "333333333333", role_arn: "arn:aws:iam::333333333333:role/bot" }
  qa: { id: "444444444444", role_arn: "arn:aws:iam::555555555555:role/bot" }
functions:
  a: { account: prd }
  b: { name: "not valid" }
`),
    ).toEqual([
      'functions.b.name: "not valid" is not a valid function name (letters, digits, - and _ only)',
      'accounts.own: "own" means the bot\'s own account; give this one another name',
      'accounts.qa.role_arn: the role is in account 555555555555, but id is 444444444444',
      'functions.a.account: no account "prd" in accounts (accounts defines own, qa)',
    ]);
  });

  it('suggests the account meant', () => {
    expect(
      problems(`
accounts:
  prod: { id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/bot" }
functions:
  a: { account: prd }
`),
    ).toEqual(['functions.a.account: no account "prd" in accounts (did you mean "prod"? accounts defines prod)']);
    expect(problems('functions:\n  a: { account: prod }\n')).toEqual([
      'functions.a.account: no account "prod" in accounts (there is no accounts section)',
    ]);
  });

  it('refuses two entries for one function in AWS; the same name in two accounts or regions is fine', () => {
    const accounts = `
accounts:
  prod: { id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/bot" }
functions:
  a: { account: prod, region: eu-west-1, name: pay }
  b: { account: prod, region: us-east-1, name: pay }
  c: { region: eu-west-1, name: pay }
`;
    expect(problems(accounts)).toEqual([]);
    expect(problems(`${accounts}  d: { account: prod, region: eu-west-1, name: pay }\n`)).toEqual([
      'functions.d: the same function as functions.a (pay in prod/eu-west-1); one entry per function',
    ]);
    // Without a region the default one counts, when known.
    expect(problems(`${accounts}  pay: {}\n`, 'eu-west-1')).toEqual([
      'functions.pay: the same function as functions.c (pay in own/eu-west-1); one entry per function',
    ]);
    expect(problems(`${accounts}  pay: {}\n`)).toEqual([]);
  });
});

describe('lambda-bot.example.yml', () => {
  it('is a valid policy, with an account and one function name in two regions', () => {
    const text = readFileSync(resolve(import.meta.dirname, '../../../lambda-bot.example.yml'), 'utf8');
    const result = parsePolicy(text);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.policy.functions.get('payments-api-us')).toMatchObject({ account: 'prod', name: 'payments-api' });
  });
});
