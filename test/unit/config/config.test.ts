import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';
import { loadConfig } from '../../../src/config.js';
import { DEFAULT_THRESHOLDS } from '../../../src/domain/judge.js';
import { writePolicy } from '../../support/bot-process.js';
import { TEST_POLICY } from '../../support/policy.js';

const policyFile = writePolicy(TEST_POLICY);
const valid = {
  SLACK_BOT_TOKEN: 'xoxb-secret-value',
  SLACK_SIGNING_SECRET: 'shh-secret-value',
  LAMBDA_BOT_CONFIG: policyFile,
};

describe('loadConfig: environment', () => {
  it('applies the defaults of CONTRACT §2', () => {
    const result = loadConfig(valid);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config).toMatchObject({
      slack: { apiUrl: 'https://slack.com/api/', signingSecret: 'shh-secret-value' },
      port: 3000,
      redis: {
        topology: { kind: 'node', url: 'redis://127.0.0.1:6379' },
        keyPrefix: 'lambda-bot:',
        replicasAck: 0,
        ackTimeoutMs: 1000,
      },
      aws: {},
      logLevel: 'info',
    });
    expect(result.config.slack.appToken).toBeUndefined();
  });

  it('reads every variable', () => {
    const result = loadConfig({
      ...valid,
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_API_URL: 'http://127.0.0.1:9000/api',
      PORT: '8080',
      REDIS_URL: 'redis://redis:6379/2',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      LOG_LEVEL: 'debug',
    });
    expect(result.ok && result.config).toMatchObject({
      slack: { appToken: 'xapp-1', apiUrl: 'http://127.0.0.1:9000/api/' },
      port: 8080,
      redis: { topology: { kind: 'node', url: 'redis://redis:6379/2' } },
      aws: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' },
      logLevel: 'debug',
    });
  });

  it('Socket Mode needs no signing secret', () => {
    expect(loadConfig({ ...valid, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1' }).ok).toBe(true);
  });

  it('reports every problem at once, one line each, naming the variable and never its value', () => {
    const result = loadConfig({
      SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
      SLACK_APP_TOKEN: 'bad-app-token-secret',
      PORT: '99999',
      REDIS_URL: 'http://nope',
      AWS_REGION: 'mars',
      LOG_LEVEL: 'loud',
      LAMBDA_BOT_CONFIG: policyFile,
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['AWS_REGION', 'LOG_LEVEL', 'PORT', 'REDIS_URL', 'SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN'].sort(),
    );
    for (const p of problems) {
      expect(p).not.toContain('\n');
      expect(p).not.toMatch(/secret/);
    }
  });

  it('a missing signing secret in HTTP mode is one line naming it', () => {
    const result = loadConfig({ ...valid, SLACK_SIGNING_SECRET: undefined });
    expect(result).toEqual({
      ok: false,
      problems: ['SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)'],
    });
  });

  it('empty variables count as unset', () => {
    expect(loadConfig({ ...valid, PORT: '', SLACK_APP_TOKEN: '' }).ok).toBe(true);
  });

  it('a missing policy file is named', () => {
    const result = loadConfig({ ...valid, LAMBDA_BOT_CONFIG: '/nonexistent/lambda-bot.yml' });
    expect(result).toEqual({ ok: false, problems: ['LAMBDA_BOT_CONFIG: /nonexistent/lambda-bot.yml: no such file'] });
  });
});

describe('parsePolicy', () => {
  it('reads the CONTRACT §4 example', () => {
    const result = parsePolicy(TEST_POLICY);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { policy } = result;
    expect(policy.channels).toEqual({ approvals: 'C0APPROVALS', alerts: 'C0ALERTS' });
    expect(policy.approvalTtlMs).toBe(30 * 60_000);
    expect(policy.alarmPollIntervalMs).toBe(30_000);
    expect(policy.watchIntervalMs).toBe(60_000);
    expect(policy.roles.get('deployers')).toEqual(['U0ALICE', 'U0BOB', 'S0DEPLOY']);
    const payments = policy.functions.get('payments-api');
    expect(payments?.alertsChannel).toBe('C0PAYMENTS');
    expect(payments?.alarms).toEqual(['payments-api-p99']);
    const judge = DEFAULT_THRESHOLDS;
    expect(payments?.aliases.get('prod')).toEqual({
      protected: true,
      requiredApprovals: 1,
      approvers: ['approvers'],
      judge,
      outsideChanges: 'alert',
    });
    expect(payments?.aliases.get('staging')).toEqual({
      protected: false,
      requiredApprovals: 1,
      approvers: ['approvers'],
      judge,
      outsideChanges: 'alert',
    });
  });

  it('applies defaults for durations', () => {
    const result = parsePolicy(`
channels: { approvals: C0A1, alerts: C0A2 }
roles: { deployers: [], approvers: [], responders: [] }
functions: { fn: { aliases: { prod: } } }
`);
    expect(
      result.ok && [result.policy.approvalTtlMs, result.policy.alarmPollIntervalMs, result.policy.realertAfterMs],
    ).toEqual([1_800_000, 30_000, 600_000]);
  });

  it('reads realert_after, and names it when it is out of bounds or not a duration', () => {
    const policy = (extra: string) =>
      parsePolicy(`
channels: { approvals: C0A1, alerts: C0A2 }
${extra}
roles: { deployers: [], approvers: [], responders: [] }
functions: {}
`);
    const ok = policy('realert_after: 1h30m');
    expect(ok.ok && ok.policy.realertAfterMs).toBe(5_400_000);
    for (const [value, problem] of [
      ['30s', 'realert_after: must be between 1m and 1 day'],
      ['25h', 'realert_after: must be between 1m and 1 day'],
      ['soon', 'realert_after: "soon" is not a duration like 30s, 5m or 1h'],
      ['10', 'realert_after: must be a string'],
    ]) {
      expect(policy(`realert_after: ${value}`)).toEqual({ ok: false, problems: [problem] });
    }
  });

  it('reports every problem with its YAML path', () => {
    const result = parsePolicy(`
channels:
  approvals: not-a-channel
approval_ttl: soon
alarm_poll_interval: 1s
roles:
  deployers: [U0ALICE, alice]
  approvers: [U0BOB]
functions:
  payments-api:
    aliases:
      prod:
        protect: true
        required_approvals: 0
      "2024": {}
      staging:
        approvers: [leads]
  "bad name": {}
`);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'channels.approvals: must be a Slack channel ID (C…, G… or D…)',
        'channels.alerts: required',
        'approval_ttl: "soon" is not a duration like 30s, 5m or 1h',
        'alarm_poll_interval: must be at least 5s (CloudWatch quotas) and at most 1 day',
        'roles.deployers[1]: must be a Slack user ID (U…/W…) or user-group ID (S…)',
        'functions.payments-api.aliases.prod: unknown key "protect" (did you mean "protected"?)',
        'functions.payments-api.aliases.prod.required_approvals: must be at least 1',
      ]),
    );
  });

  it('checks names and role references once the shape is right', () => {
    const result = parsePolicy(`
channels: { approvals: C0A1, alerts: C0A2 }
roles: { deployers: [], approvers: [] }
functions:
  "bad name": {}
  fn:
    aliases:
      "2024": {}
      staging: { approvers: [leads] }
`);
    expect(result.ok ? [] : result.problems).toEqual([
      'roles.responders: missing (use [] for nobody)',
      'functions.bad name: "bad name" is not a valid function name (letters, digits, - and _ only)',
      'functions.fn.aliases.2024: "2024" is all digits, so it would be a version, not an alias name',
      'functions.fn.aliases.staging.approvers[0]: no role "leads" in roles',
    ]);
  });

  it('reads judgement thresholds per alias over the defaults, and checks them', () => {
    const yaml = TEST_POLICY.replace(
      '      staging: {}',
      '      staging:\n        judge: { min_invocations: 50, max_wait: 2m, fail_p: 0.001 }',
    );
    const result = parsePolicy(yaml);
    expect(result.ok && result.policy.functions.get('payments-api')?.aliases.get('staging')?.judge).toEqual({
      ...DEFAULT_THRESHOLDS,
      minInvocations: 50,
      maxWaitMs: 120_000,
      failP: 0.001,
    });
    const bad = parsePolicy(
      TEST_POLICY.replace(
        '      staging: {}',
        '      staging:\n        judge: { fail_p: 0.2, marginal_p: 0.1, p99_fail_ration: 2 }',
      ),
    );
    expect(bad.ok ? [] : bad.problems).toEqual([
      'functions.payments-api.aliases.staging.judge: unknown key "p99_fail_ration" (did you mean "p99_fail_ratio"?)',
    ]);
    const inverted = parsePolicy(
      TEST_POLICY.replace('      staging: {}', '      staging:\n        judge: { fail_p: 0.2, marginal_p: 0.1 }'),
    );
    expect(inverted.ok ? [] : inverted.problems).toEqual([
      'functions.payments-api.aliases.staging.judge: fail_p must not be above marginal_p',
    ]);
  });

  it('reports YAML syntax errors and duplicate keys', () => {
    expect(parsePolicy('channels: [').ok).toBe(false);
    const dup = parsePolicy('channels: {approvals: C1, alerts: C2}\nchannels: {}\n');
    expect(dup.ok ? [] : dup.problems[0]).toMatch(/^YAML: .*unique/i);
  });
});
