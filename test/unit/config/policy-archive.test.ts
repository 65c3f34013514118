import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/config/policy.js';

/** A policy with the given top-level lines (audit_archive and its friends). */
function policy(top: string) {
  return parsePolicy(`
channels: { approvals: C0A1, alerts: C0A2 }
accounts:
  prod: { id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/bot" }
roles: { deployers: [], approvers: [], responders: [] }
functions: { payments-api: { aliases: { prod: {} } } }
${top}
`);
}

describe('audit_archive', () => {
  it('is absent by default, and Redis keeps records 30 days', () => {
    const result = policy('');
    expect(result.ok && result.policy.auditArchive).toBeUndefined();
    expect(result.ok && result.policy.auditRetainInRedisMs).toBe(30 * 86_400_000);
  });

  it('reads the archive with its defaults', () => {
    const result = policy(`
audit_archive:
  bucket: acme-lambda-audit
  account: prod
  region: eu-west-1
  mode: COMPLIANCE
  retain: 7y
audit_retain_in_redis: 45d`);
    expect(result.ok && result.policy.auditArchive).toEqual({
      bucket: 'acme-lambda-audit',
      prefix: 'lambda-release-bot/',
      account: 'prod',
      region: 'eu-west-1',
      mode: 'COMPLIANCE',
      retain: { unit: 'years', n: 7 },
      intervalMs: 300_000,
      maxRecords: 1000,
      alertLagMs: 3_600_000,
    });
    expect(result.ok && result.policy.auditRetainInRedisMs).toBe(45 * 86_400_000);
  });

  it('reads every setting', () => {
    const result = policy(`
audit_archive: { bucket: b-1.audit, prefix: "", mode: GOVERNANCE, retain: 400d, interval: 1m, max_records: 50, alert_lag: 2h }`);
    expect(result.ok && result.policy.auditArchive).toEqual({
      bucket: 'b-1.audit',
      prefix: '',
      mode: 'GOVERNANCE',
      retain: { unit: 'days', n: 400 },
      intervalMs: 60_000,
      maxRecords: 50,
      alertLagMs: 7_200_000,
    });
  });

  it('reports every problem at once, each with its path', () => {
    const result = policy(`
audit_archive:
  bucket: Acme_Audit
  prefix: /audit
  account: staging
  mode: strict
  retain: 7 years
  interval: 5x
  max_records: 0
  alert_lag: 10s
audit_retain_in_redis: 12h`);
    expect(result.ok ? [] : result.problems.sort()).toEqual(
      [
        'audit_archive.bucket: must be an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)',
        'audit_archive.prefix: must be empty or end with "/" (and not start with one)',
        'audit_archive.mode: must be COMPLIANCE or GOVERNANCE',
        'audit_archive.retain: "7 years" is not a period like 7y or 400d',
        'audit_archive.interval: "5x" is not a duration like 30s, 5m or 1h',
        'audit_archive.max_records: must be at least 1',
        'audit_archive.alert_lag: must be between 1m and 30 days',
        'audit_retain_in_redis: must be between 1d and 3650d',
      ].sort(),
    );
  });

  it('needs an account named in accounts, and a bucket, a mode and a retention', () => {
    expect(policy('audit_archive: { bucket: audit-b, account: staging, mode: GOVERNANCE, retain: 1y }')).toEqual({
      ok: false,
      problems: [
        `audit_archive.account: no account "staging" in accounts (it has prod); leave it out for the bot's own`,
      ],
    });
    const missing = policy('audit_archive: { prefix: x/ }');
    expect(missing.ok ? [] : missing.problems.sort()).toEqual([
      'audit_archive.bucket: required',
      'audit_archive.mode: must be COMPLIANCE or GOVERNANCE',
      'audit_archive.retain: required',
    ]);
    const typo = policy('audit_archive: { bucket: audit-b, mode: GOVERNANCE, retain: 1y, max_record: 5 }');
    expect(typo.ok ? [] : typo.problems).toEqual([
      'audit_archive: unknown key "max_record" (did you mean "max_records"?)',
    ]);
  });
});
