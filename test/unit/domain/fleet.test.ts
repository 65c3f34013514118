import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { BotError } from '../../../src/domain/errors.js';
import { Fleet } from '../../../src/domain/fleet.js';
import type { FunctionArg } from '../../../src/domain/grammar/values.js';
import type { Policy } from '../../../src/domain/policy-model.js';
import { actingFor, placeLabel, recordedPlace, sessionName } from '../../../src/domain/target.js';

const POLICY = `
accounts:
  staging: { id: "111111111111", role_arn: "arn:aws:iam::111111111111:role/lambda-release-bot" }
  prod: { id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/lambda-release-bot", external_id: x7 }
channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [U0ALICE], approvers: [U0BOB], responders: [] }
functions:
  payments-api: { account: prod, region: eu-west-1, aliases: { prod: {} } }
  payments-api-us: { account: prod, region: us-east-1, name: payments-api, aliases: { prod: {} } }
  payments-staging: { account: staging, region: eu-west-1, name: payments-api, aliases: { staging: {} } }
  orders-api: { aliases: { prod: {} } }
`;

function policy(yaml = POLICY): Policy {
  const parsed = parsePolicy(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.policy;
}

const fleet = new Fleet(policy(), { region: 'us-east-1', accountId: '000000000000' });

function refusal(ref: FunctionArg): string {
  try {
    fleet.resolve(ref);
  } catch (error) {
    if (error instanceof BotError && error.code === 'unknown-target') return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(ref)} resolved`);
}

describe('Fleet: every function with its account, region and AWS name', () => {
  it('builds one target per policy function, in the bot’s session', () => {
    const us = fleet.get('payments-api-us');
    expect(us).toMatchObject({ fn: 'payments-api-us', name: 'payments-api', managed: true, session: { kind: 'bot' } });
    expect(us && placeLabel(us.place)).toBe('prod/us-east-1');
    expect(us?.place.account).toEqual({
      name: 'prod',
      id: '222222222222',
      roleArn: 'arn:aws:iam::222222222222:role/lambda-release-bot',
      externalId: 'x7',
    });
    expect(fleet.get('orders-api')?.place).toEqual({
      account: { name: 'own', id: '000000000000' },
      region: 'us-east-1',
    });
  });

  it('lists each account and region once', () => {
    expect(fleet.places().map(placeLabel)).toEqual([
      'prod/eu-west-1',
      'prod/us-east-1',
      'staging/eu-west-1',
      'own/us-east-1',
    ]);
    expect(fleet.at(fleet.places()[0] ?? fleet.home).map((t) => t.fn)).toEqual(['payments-api']);
  });

  it('acts for a person with a session named after them; the bot’s own work stays in its session', () => {
    const target = fleet.named('payments-api');
    const alice = actingFor(target, 'U0ALICE');
    expect(alice.session).toEqual({ kind: 'person', user: 'U0ALICE' });
    expect(sessionName(alice.session)).toBe('slack-U0ALICE');
    expect(sessionName(actingFor(target, 'system').session)).toBe('lambda-release-bot');
    expect(recordedPlace(alice)).toEqual({ account: '222222222222', region: 'eu-west-1' });
  });
});

describe('Fleet.resolve: what people type', () => {
  it('a policy key is that function', () => {
    expect(fleet.resolve({ fn: 'payments-api-us' }).fn).toBe('payments-api-us');
    expect(fleet.resolve({ fn: 'payments-api' }).fn).toBe('payments-api');
  });

  it('an ARN names the entry with that account, region and name', () => {
    const arn = (region: string, account: string) => ({ fn: 'payments-api', region, account });
    expect(fleet.resolve(arn('us-east-1', '222222222222')).fn).toBe('payments-api-us');
    expect(fleet.resolve(arn('eu-west-1', '222222222222')).fn).toBe('payments-api');
    expect(fleet.resolve(arn('eu-west-1', '111111111111')).fn).toBe('payments-staging');
  });

  it('a partial ARN (no region) that fits two entries is refused, naming both', () => {
    expect(refusal({ fn: 'payments-api', account: '222222222222' })).toBe(
      'that ARN fits payments-api (prod/eu-west-1), payments-api-us (prod/us-east-1); give the full ARN with its region',
    );
    expect(fleet.resolve({ fn: 'payments-api', account: '111111111111' }).fn).toBe('payments-staging');
  });

  it('an ARN of a place the policy does not have there says what the account does have', () => {
    expect(refusal({ fn: 'payments-api', region: 'ap-south-1', account: '222222222222' })).toBe(
      'the policy file has no payments-api in account prod (222222222222), ap-south-1; it has payments-api (prod/eu-west-1), payments-api-us (prod/us-east-1)',
    );
    expect(refusal({ fn: 'orders-api', region: 'us-east-1', account: '111111111111' })).toMatch(
      /^the policy file has no orders-api in account staging \(111111111111\), us-east-1, and the bot reads/,
    );
    expect(refusal({ fn: 'x', region: 'us-east-1', account: '999999999999' })).toMatch(
      /^that ARN is in account 999999999999, which is not an account of the policy file/,
    );
  });

  it('other names are read-only functions of the bot’s own account and region', () => {
    const other = fleet.resolve({ fn: 'billing' });
    expect(other).toMatchObject({ fn: 'billing', name: 'billing', managed: false });
    expect(placeLabel(other.place)).toBe('own/us-east-1');
    expect(fleet.resolve({ fn: 'billing', region: 'us-east-1', account: '000000000000' }).managed).toBe(false);
    expect(refusal({ fn: 'billing', region: 'eu-west-1', account: '000000000000' })).toMatch(/own\/us-east-1/);
  });

  it('an AWS name shared by several entries and no key is refused, naming them', () => {
    const f = new Fleet(
      policy(
        POLICY.replace(
          'payments-api: { account: prod, region: eu-west-1,',
          'pay-eu: { account: prod, region: eu-west-1, name: payments-api,',
        ),
      ),
      { region: 'us-east-1' },
    );
    expect(() => f.resolve({ fn: 'payments-api' })).toThrow(
      'payments-api is the AWS name of pay-eu (prod/eu-west-1), payments-api-us (prod/us-east-1), payments-staging (staging/eu-west-1); name the one you mean',
    );
  });

  it('without its own account ID, ARNs of an unknown account may be its own (AWS’s answer is checked later)', () => {
    const f = new Fleet(policy(), { region: 'us-east-1' });
    expect(f.resolve({ fn: 'orders-api', region: 'us-east-1', account: '000000000000' }).fn).toBe('orders-api');
    expect(f.resolve({ fn: 'payments-api', region: 'us-east-1', account: '222222222222' }).fn).toBe('payments-api-us');
  });

  it('two entries for one function in AWS cannot be built (once the default region is known)', () => {
    const twice = POLICY.replace(
      'orders-api: { aliases: { prod: {} } }',
      'orders-api: {}\n  orders-2: { name: orders-api, region: us-east-1 }',
    );
    expect(() => new Fleet(policy(twice), { region: 'us-east-1' })).toThrow(
      'functions.orders-2: the same function as functions.orders-api (orders-api in own/us-east-1); one entry per function',
    );
    expect(() => new Fleet(policy(twice), { region: 'eu-west-2' })).not.toThrow();
  });
});
