/** A chain of sealed audit records for tests of what reads records (archive segments, trimming). */
import { type AuditEntry, type AuditRecord, GENESIS, seal } from '../../src/domain/audit.js';

export const ENTRY: AuditEntry = {
  actor: 'U0ALICE',
  action: 'promote',
  function: 'payments-api',
  alias: 'prod',
  from: { version: '42', weights: { '42': 1 } },
  to: { version: '43', weights: { '43': 1 } },
  result: 'ok',
  detail: '',
  request: 'r1',
};

/** Records 1..n, one a minute from `start`, each chained on the one before. */
export function chainOf(n: number, start = Date.UTC(2025, 0, 1), entry: Partial<AuditEntry> = {}): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) {
    const prev = records.at(-1)?.hash ?? GENESIS;
    records.push(
      seal({ ...ENTRY, ...entry, request: `r${i}` }, { id: i, at: new Date(start + (i - 1) * 60_000), prev }),
    );
  }
  return records;
}
