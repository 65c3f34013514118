import { describe, expect, it } from 'vitest';
import { parseAuditArgs } from '../../../src/cli/audit-args.js';

describe('parseAuditArgs', () => {
  it('verify, and export with its filters', () => {
    expect(parseAuditArgs(['verify'])).toEqual({ verb: 'verify', archive: false });
    expect(parseAuditArgs(['export'])).toEqual({ verb: 'export', archive: false });
    expect(parseAuditArgs(['export', '--function', 'payments-api', '--since', '2025-01-31T12:00:00Z'])).toEqual({
      verb: 'export',
      archive: false,
      fn: 'payments-api',
      since: new Date('2025-01-31T12:00:00Z'),
    });
    expect(parseAuditArgs(['export', '--since=2025-01-31'])).toEqual({
      verb: 'export',
      archive: false,
      since: new Date('2025-01-31T00:00:00Z'),
    });
  });

  it('--own-credentials, only with --archive', () => {
    expect(parseAuditArgs(['verify', '--archive', '--own-credentials'])).toEqual({
      verb: 'verify',
      archive: true,
      ownCredentials: true,
    });
    expect(parseAuditArgs(['export', '--own-credentials', '--archive', '--function', 'orders-api'])).toEqual({
      verb: 'export',
      archive: true,
      ownCredentials: true,
      fn: 'orders-api',
    });
    expect(parseAuditArgs(['verify', '--own-credentials'])).toEqual({
      problem: '--own-credentials is for reading the archive: give --archive too',
    });
    expect(parseAuditArgs(['verify', '--archive', '--own-credentials=yes'])).toEqual({
      problem: '--own-credentials takes no value',
    });
  });

  it('--archive, on either verb and in any place among the options', () => {
    expect(parseAuditArgs(['verify', '--archive'])).toEqual({ verb: 'verify', archive: true });
    expect(parseAuditArgs(['--archive', 'verify'])).toEqual({ verb: 'verify', archive: true });
    expect(parseAuditArgs(['export', '--archive'])).toEqual({ verb: 'export', archive: true });
    expect(parseAuditArgs(['export', '--since', '2025-01-31', '--archive', '--function', 'orders-api'])).toEqual({
      verb: 'export',
      archive: true,
      fn: 'orders-api',
      since: new Date('2025-01-31T00:00:00Z'),
    });
  });

  it.each([
    [[], 'say what to do: verify or export'],
    [['verfy'], 'unknown command "verfy"'],
    [['verify', 'now'], 'unexpected argument "now"'],
    [['verify', '--function', 'f'], 'verify takes no --function or --since: it checks the whole chain'],
    [['verify', '--archive', '--since', '2025-01-31'], 'verify takes no --function or --since'],
    [['export', '--fn', 'f'], 'unknown option --fn'],
    [['export', '--archives'], 'unknown option --archives'],
    [['export', '--archive=yes'], '--archive takes no value'],
    [['verify', '--archive', '--archive'], '--archive is given twice'],
    [['export', '--archive', 's3'], 'unexpected argument "s3"'],
    [['export', '--function'], '--function needs a value'],
    [['export', '--function', 'a', '--function', 'b'], '--function is given twice'],
    [['export', '--function', 'no spaces'], '--function: "no spaces" is not a valid function name'],
    [['export', '--since', 'yesterday'], '--since: "yesterday" is not an ISO-8601 date'],
    [['export', '--since', '2025-02-30T99:00'], '--since: "2025-02-30T99:00" is not an ISO-8601 date'],
  ])('%j is refused: %s', (argv, problem) => {
    const result = parseAuditArgs(argv);
    expect('problem' in result && result.problem).toContain(problem);
  });
});
