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

function chain(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let i = 1; i <= n; i++) {
    records.push(
      seal(
        { ...entry, request: `r${i}` },
        { id: i, at: new Date(Date.UTC(2026, 10, 26, 12, 0, i)), prev: records.at(-1)?.hash ?? GENESIS },
      ),
    );
  }
  return records;
}

function verify(records: AuditRecord[], head = { id: records.length, hash: records.at(-1)?.hash ?? GENESIS }) {
  const v = new ChainVerifier();
  for (const r of records) {
    const problem = v.push(r);
    if (problem) return problem;
  }
  return v.finish(head);
}

describe('audit chain', () => {
  it('seals records with SHA-256 over prev and every other field', () => {
    const [first] = chain(1);
    expect(first?.prev).toBe(GENESIS);
    expect(first?.hash).toMatch(/^[0-9a-f]{64}$/);
    const { hash, ...rest } = first as AuditRecord;
    expect(hashOf(rest)).toBe(hash);
  });

  it('hashes weights independently of key order', () => {
    const a = seal(
      { ...entry, to: { version: '42', weights: { '42': 0.9, '43': 0.1 } } },
      { id: 1, at: new Date(0), prev: GENESIS },
    );
    const b = seal(
      { ...entry, to: { version: '42', weights: { '43': 0.1, '42': 0.9 } } },
      { id: 1, at: new Date(0), prev: GENESIS },
    );
    expect(a.hash).toBe(b.hash);
  });

  it('every field is covered by the hash', () => {
    const [record] = chain(1) as [AuditRecord];
    const changes: Partial<AuditRecord>[] = [
      { id: '2' },
      { at: '2026-01-01T00:00:00.000Z' },
      { actor: 'U0MALLORY' },
      { action: 'rollback' },
      { function: 'other' },
      { alias: 'staging' },
      { from: null },
      { to: { version: '43', weights: { '43': 0.5 } } },
      { result: 'error' },
      { detail: 'x' },
      { request: 'r2' },
      { prev: 'f'.repeat(64) },
    ];
    for (const change of changes) {
      const { hash: _, ...rest } = { ...record, ...change };
      expect(hashOf(rest), JSON.stringify(change)).not.toBe(record.hash);
    }
    expect(canonical(record)).toContain('"payments-api"');
  });

  it('an intact chain verifies', () => {
    expect(verify(chain(5))).toBeUndefined();
    expect(verify([], { id: 0, hash: GENESIS })).toBeUndefined();
  });

  it('names a changed record', () => {
    const records = chain(5);
    records[2] = { ...(records[2] as AuditRecord), actor: 'U0MALLORY' };
    expect(verify(records)).toEqual({ id: '3', reason: expect.stringMatching(/changed/) });
  });

  it('names the place of a removed record', () => {
    const records = chain(5);
    records.splice(1, 1);
    expect(verify(records)).toEqual({ id: '3', reason: expect.stringMatching(/missing or out of order/) });
  });

  it('names reordered records', () => {
    const records = chain(5);
    [records[1], records[2]] = [records[2] as AuditRecord, records[1] as AuditRecord];
    expect(verify(records)?.id).toBe('3');
  });

  it('a forged record re-hashed in place still breaks the link to the next', () => {
    const records = chain(5);
    const { hash: _, ...rest } = { ...(records[1] as AuditRecord), actor: 'U0MALLORY' };
    records[1] = { ...rest, hash: hashOf(rest) };
    expect(verify(records)).toEqual({ id: '3', reason: expect.stringMatching(/prev does not match/) });
  });

  it('records removed from the end show against the head', () => {
    const records = chain(5);
    const head = { id: 5, hash: records[4]?.hash as string };
    expect(verify(records.slice(0, 4), head)).toEqual({
      id: '5',
      reason: expect.stringMatching(/removed from the end/),
    });
  });
});

describe('account and region (CONTRACT §9)', () => {
  const at = { id: 1, at: new Date('2026-12-04T10:00:00Z'), prev: GENESIS };

  it('a record without them hashes exactly as before they existed', () => {
    const record = seal(entry, at);
    expect(record).not.toHaveProperty('account');
    expect(record).not.toHaveProperty('region');
    // The canonical form of a record of the earlier bots: twelve fields, nothing appended.
    expect(JSON.parse(canonical(record))).toHaveLength(12);
  });

  it('are covered by the hash: changing either breaks verify', () => {
    const record = seal({ ...entry, account: '222222222222', region: 'eu-west-1' }, at);
    expect(record).toMatchObject({ account: '222222222222', region: 'eu-west-1' });
    expect(JSON.parse(canonical(record))).toHaveLength(14);
    expect(verify([record])).toBeUndefined();
    expect(verify([{ ...record, account: '111111111111' }])).toMatchObject({
      id: '1',
      reason: expect.stringMatching(/changed/),
    });
    const { region: _, ...withoutRegion } = record;
    expect(verify([withoutRegion])).toMatchObject({ id: '1' });
  });
});
