import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';

const RELEASE = 'arn:aws:signer:eu-west-1:222222222222:/signing-profiles/Release/abcdef1234';
const NIGHTLY = 'arn:aws:signer:eu-west-1:222222222222:/signing-profiles/Nightly_2/0123456789';

/** A policy whose payments-api:prod alias has the given `gates:` body (indented under it). */
function policy(gates: string, top = '') {
  return parsePolicy(`
channels: { approvals: C0A1, alerts: C0A2 }
${top}
roles: { deployers: [], approvers: [], responders: [], breakglass: [U0ONCALL] }
functions:
  payments-api:
    aliases:
      staging: {}
      canary: {}
      prod:
        protected: true
        gates:
${gates
  .trim()
  .split('\n')
  .map((line) => `          ${line}`)
  .join('\n')}
`);
}

function problems(result: ReturnType<typeof parsePolicy>): string[] {
  return result.ok ? [] : result.problems;
}

const P = 'functions.payments-api.aliases.prod.gates';

describe('gates: in the policy file (CONTRACT §11)', () => {
  it('valid gates become the alias’s AliasGates', () => {
    const result = policy(`
soaked_on: staging
soak: 30m
signed_by: ["${RELEASE}", "${NIGHTLY}"]
same_code_as: staging
`);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const aliases = result.policy.functions.get('payments-api')?.aliases;
    expect(aliases?.get('prod')?.gates).toEqual({
      soakedOn: 'staging',
      soakMs: 1_800_000,
      signedBy: [RELEASE, NIGHTLY],
      sameCodeAs: 'staging',
    });
    expect(aliases?.get('staging')).not.toHaveProperty('gates');
  });

  it('each gate may stand alone', () => {
    const signed = policy(`signed_by: ["${RELEASE}"]`);
    expect(signed.ok && signed.policy.functions.get('payments-api')?.aliases.get('prod')?.gates).toEqual({
      signedBy: [RELEASE],
    });
    const same = policy('same_code_as: canary');
    expect(same.ok && same.policy.functions.get('payments-api')?.aliases.get('prod')?.gates).toEqual({
      sameCodeAs: 'canary',
    });
  });

  it('soaked_on and same_code_as naming a missing alias or the alias itself, and a soak without its pair, all at once', () => {
    expect(problems(policy('soaked_on: prod\nsoak: 30m\nsame_code_as: stagign'))).toEqual([
      `${P}.soaked_on: must name another alias of the function, not prod itself`,
      `${P}.same_code_as: no alias "stagign" under this function (it has staging, canary, prod)`,
    ]);
    expect(problems(policy('soaked_on: staging'))).toEqual([`${P}.soak: required with soaked_on (how long, e.g. 30m)`]);
    expect(problems(policy('soak: 30m'))).toEqual([
      `${P}.soaked_on: required with soak (which alias the version must have served)`,
    ]);
  });

  it('problems of several aliases and functions are reported together', () => {
    const result = parsePolicy(`
channels: { approvals: C0A1, alerts: C0A2 }
roles: { deployers: [], approvers: [], responders: [] }
functions:
  a:
    aliases:
      prod: { gates: { soaked_on: beta, soak: 5m } }
  b:
    aliases:
      prod: { gates: { same_code_as: prod } }
`);
    expect(problems(result)).toEqual([
      'functions.a.aliases.prod.gates.soaked_on: no alias "beta" under this function (it has prod)',
      'functions.b.aliases.prod.gates.same_code_as: must name another alias of the function, not prod itself',
    ]);
  });

  it('malformed signed_by ARNs, an empty list and bad durations are each named by path, all at once', () => {
    const result = parsePolicy(`
channels: { approvals: C0A1, alerts: C0A2 }
breakglass_review: 10s
roles: { deployers: [], approvers: [], responders: [] }
functions:
  a:
    aliases:
      staging: {}
      prod:
        gates:
          soaked_on: staging
          soak: forever
          signed_by:
            - "${RELEASE}"
            - arn:aws:signer:eu-west-1:222222222222:/signing-profiles/Release
            - arn:aws:lambda:eu-west-1:222222222222:function:a
      beta:
        gates: { signed_by: [], soaked_on: staging, soak: 721h, same_code_ass: staging }
`);
    const shape =
      'must be a signing profile version ARN (arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME/VERSION)';
    expect(problems(result)).toEqual(
      expect.arrayContaining([
        'breakglass_review: must be between 1m and 30 days',
        'functions.a.aliases.prod.gates.soak: "forever" is not a duration like 30m or 24h',
        `functions.a.aliases.prod.gates.signed_by[1]: ${shape}`,
        `functions.a.aliases.prod.gates.signed_by[2]: ${shape}`,
        'functions.a.aliases.beta.gates.signed_by: must list at least one signing profile version ARN',
        'functions.a.aliases.beta.gates.soak: must be between 1s and 30 days',
        'functions.a.aliases.beta.gates: unknown key "same_code_ass" (did you mean "same_code_as"?)',
      ]),
    );
    expect(problems(result)).toHaveLength(7);
  });

  it.each([
    ['999ms', 'must be between 1s and 30 days'],
    ['1s', undefined],
    ['720h', undefined],
    ['720h1s', 'must be between 1s and 30 days'],
    ['30', '"30" is not a duration like 30m or 24h'],
  ])('soak: %s', (soak, problem) => {
    const found = problems(policy(`soaked_on: staging\nsoak: "${soak}"`));
    expect(found).toEqual(problem === undefined ? [] : [`${P}.soak: ${problem}`]);
  });
});

describe('breakglass_review', () => {
  const review = (top: string) => policy('same_code_as: staging', top);

  it('defaults to 24h', () => {
    const result = review('');
    expect(result.ok && result.policy.breakglassReviewMs).toBe(86_400_000);
  });

  it.each([
    ['1m', 60_000],
    ['4h', 14_400_000],
    ['720h', 2_592_000_000],
  ])('reads %s', (value, ms) => {
    const result = review(`breakglass_review: ${value}`);
    expect(result.ok && result.policy.breakglassReviewMs).toBe(ms);
  });

  it.each([
    ['59s', 'breakglass_review: must be between 1m and 30 days'],
    ['721h', 'breakglass_review: must be between 1m and 30 days'],
    ['tomorrow', 'breakglass_review: "tomorrow" is not a duration like 24h'],
    ['24', 'breakglass_review: must be a string'],
  ])('refuses %s', (value, problem) => {
    expect(problems(review(`breakglass_review: ${value}`))).toEqual([problem]);
  });
});
