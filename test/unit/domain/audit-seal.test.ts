import { describe, expect, it } from 'vitest';
import { type AuditEntry, GENESIS, hashOf, seal } from '../../../src/domain/audit.js';

const entry: AuditEntry = {
  actor: 'U0ALICE',
  action: 'shift',
  function: 'payments-api',
  alias: 'prod',
  from: { version: '41', weights: { '41': 1 } },
  to: { version: '41', weights: { '42': 0.1, '41': 0.9 } },
  result: 'ok',
  detail: '10% to v42',
  request: 'req-1',
};
const at = new Date('2025-01-02T03:04:05.678Z');

describe('seal', () => {
  // Golden values: a change here changes every hash ever written, and breaks `audit verify` of
  // existing logs. They were computed by the first implementation of seal.
  it('hashes exactly as it always has', () => {
    const first = seal(entry, { id: 7, at, prev: GENESIS });
    expect(first.hash).toBe('e86617e4155d9bb52eb11360762fa7e0919b46687bc86b1c4912edd6a72ae1de');
    const denied = { ...entry, function: null, alias: null, from: null, to: null, action: 'denied' as const };
    expect(seal({ ...denied, result: 'denied' }, { id: 8, at, prev: first.hash }).hash).toBe(
      'ccaf42f68877fbb4cf9368f069ab8bbea3ee0231118f2bf5671a9aafc8156376',
    );
  });

  it('keeps the entry, adds its place in the chain, and a hash over both', () => {
    const record = seal(entry, { id: 7, at, prev: GENESIS });
    expect(record).toEqual({ ...entry, id: '7', at: '2025-01-02T03:04:05.678Z', prev: GENESIS, hash: record.hash });
    expect(Object.keys(record)).toEqual([...Object.keys(entry), 'id', 'at', 'prev', 'hash']);
    const { hash, ...rest } = record;
    expect(hashOf(rest)).toBe(hash);
  });

  it('leaves out anything that is not a field of an entry', () => {
    const record = seal({ ...entry, extra: 'not hashed' } as AuditEntry, { id: 1, at, prev: GENESIS });
    expect(record).not.toHaveProperty('extra');
  });
});
