import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  type AuditRecord,
  ChainVerifier,
  canonical,
  GENESIS,
  hashOf,
  seal,
} from '../../../src/domain/audit.js';

const entry: AuditEntry = {
  actor: 'U0ONCALL',
  action: 'promote',
  function: 'payments-api',
  alias: 'prod',
  from: { version: '4', weights: { '4': 1 } },
  to: { version: '5', weights: { '5': 1 } },
  result: 'ok',
  detail: 'break-glass: checkout errors at 40%, approver unreachable',
  request: 'req-1',
};
const place = (id: number, prev: string) => ({ id, at: new Date(Date.UTC(2026, 11, 5, 10, 0, id)), prev });

/** The hash as the bots before break-glass computed it: twelve fields in CONTRACT §7's order. */
function legacyHash(r: AuditRecord): string {
  const snap = (s: AuditRecord['from']) =>
    s === null
      ? null
      : [
          s.version,
          Object.keys(s.weights)
            .sort()
            .map((k) => [k, s.weights[k]]),
        ];
  const fields = [
    r.id,
    r.at,
    r.actor,
    r.action,
    r.function,
    r.alias,
    snap(r.from),
    snap(r.to),
    r.result,
    r.detail,
    r.request,
    r.prev,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

function verify(records: readonly AuditRecord[]) {
  const v = new ChainVerifier();
  for (const r of records) {
    const problem = v.push(r);
    if (problem) return problem;
  }
  return v.finish({ id: records.length, hash: records.at(-1)?.hash ?? GENESIS });
}

describe('the breakglass field of an audit record (CONTRACT §7, §11)', () => {
  it('a record without it hashes exactly as before it existed', () => {
    const record = seal(entry, place(1, GENESIS));
    expect(record).not.toHaveProperty('breakglass');
    expect(record.hash).toBe(legacyHash(record));
  });

  it('a record with it keeps it, is hashed over it, and hashes differently from one without', () => {
    const plain = seal(entry, place(1, GENESIS));
    const glass = seal({ ...entry, breakglass: true }, place(1, GENESIS));
    expect(glass.breakglass).toBe(true);
    expect(glass.hash).not.toBe(plain.hash);
    expect(JSON.parse(canonical(glass))).toEqual([...JSON.parse(canonical(plain)), true]);
    const { hash, ...rest } = glass;
    expect(hashOf(rest)).toBe(hash);
  });

  it('is appended after account and region when all are present', () => {
    const record = seal(
      { ...entry, account: '222222222222', region: 'eu-west-1', breakglass: true },
      place(1, GENESIS),
    );
    expect(JSON.parse(canonical(record)).slice(12)).toEqual(['222222222222', 'eu-west-1', true]);
  });

  it('a chain with break-glass records verifies', () => {
    const first = seal(entry, place(1, GENESIS));
    const second = seal({ ...entry, request: 'req-2', breakglass: true }, place(2, first.hash));
    const third = seal({ ...entry, request: 'req-3' }, place(3, second.hash));
    expect(verify([first, second, third])).toBeUndefined();
  });

  it('removing or adding the flag afterwards breaks verify at that record', () => {
    const first = seal(entry, place(1, GENESIS));
    const second = seal({ ...entry, request: 'req-2', breakglass: true }, place(2, first.hash));
    const { breakglass: _, ...hidden } = second;
    expect(verify([first, hidden])).toEqual({ id: '2', reason: expect.stringMatching(/changed/) });
    expect(verify([{ ...first, breakglass: true }, second])).toEqual({
      id: '1',
      reason: expect.stringMatching(/changed/),
    });
  });

  it('anything but true is not a break-glass record and is not sealed as one', () => {
    const record = seal({ ...entry, breakglass: false as unknown as true }, place(1, GENESIS));
    expect(record).not.toHaveProperty('breakglass');
    expect(record.hash).toBe(legacyHash(record));
  });
});
