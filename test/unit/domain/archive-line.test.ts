import { describe, expect, it } from 'vitest';
import { buildSegment, NOTHING_ARCHIVED } from '../../../src/domain/archive.js';
import { type StoredLine, storedLine } from '../../../src/domain/archive-line.js';
import type { AuditRecord } from '../../../src/domain/audit.js';
import { encodeRecord } from '../../../src/domain/audit-codec.js';
import { chainOf } from '../../support/audit-chain.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const stored = (r: AuditRecord) => storedLine(bytes(encodeRecord(r))) as StoredLine;
const NOW = new Date('2025-02-01T00:00:00.000Z');

describe('storedLine', () => {
  it('reads id, at, prev and hash from the ends of a stored record, keeping its bytes', () => {
    const [record] = chainOf(1);
    if (!record) throw new Error('no record');
    const line = bytes(encodeRecord(record));
    const s = storedLine(line);
    expect(s && { id: s.id, seq: s.seq, at: s.at, prev: s.prev, hash: s.hash, line: s.line }).toEqual({
      id: record.id,
      seq: 1,
      at: record.at,
      prev: record.prev,
      hash: record.hash,
      line,
    });
    expect(new TextDecoder().decode(s?.hashBytes)).toBe(record.hash);
  });

  it('reads ids of many digits as numbers', () => {
    const [record] = chainOf(1);
    const line = encodeRecord(record as AuditRecord).replace('"id":"1"', '"id":"123456789012345"');
    expect(storedLine(bytes(line))?.seq).toBe(123_456_789_012_345);
    expect(storedLine(bytes(line))?.id).toBe('123456789012345');
  });

  it('refuses lines not shaped as encodeRecord prints them', () => {
    const [record] = chainOf(1);
    const good = encodeRecord(record as AuditRecord);
    const ids = ['01', '', '1a', '-1', '1234567890123456'];
    const bad = ['', '{}', good.slice(0, -1), `${good} `, ...ids.map((id) => good.replace('"id":"1"', `"id":"${id}"`))];
    for (const line of bad) expect(storedLine(bytes(line))).toBeUndefined();
  });

  it('follows the line whose hash its prev is, byte for byte, and no other', () => {
    const [a, b, c] = chainOf(3).map(stored) as [StoredLine, StoredLine, StoredLine];
    expect(b.follows(a)).toBe(true);
    expect(c.follows(b)).toBe(true);
    expect(c.follows(a)).toBe(false);
    expect(a.follows(c)).toBe(false);
  });
});

describe('buildSegment over stored lines', () => {
  it('makes the same segment as over the records they store', () => {
    const records = chainOf(5);
    const fromRecords = buildSegment('p/', records, NOTHING_ARCHIVED, NOW);
    const fromLines = buildSegment('p/', records.map(stored), NOTHING_ARCHIVED, NOW);
    expect(fromLines).toEqual(fromRecords);
  });

  it('refuses a line whose prev is not the hash of the line before, found by bytes', () => {
    const records = chainOf(4);
    const [, second] = records as [AuditRecord, AuditRecord];
    // Record 3 now claims to follow record 1: a record between them was swapped out.
    const broken = { ...(records[2] as AuditRecord), prev: (records[0] as AuditRecord).hash };
    const lines = [records[0], second, broken, records[3]].map((r) => stored(r as AuditRecord));
    expect(buildSegment('p/', lines, NOTHING_ARCHIVED, NOW)).toEqual({
      problem: { id: '3', reason: 'its prev does not match the hash of the record before it' },
    });
  });

  it('refuses lines with a gap, and lines that do not follow the archive', () => {
    const lines = chainOf(4).map(stored);
    const gap = [lines[0], lines[1], lines[3]] as StoredLine[];
    expect(buildSegment('p/', gap, NOTHING_ARCHIVED, NOW)).toMatchObject({ problem: { id: '4' } });
    const tail = lines.slice(2);
    expect(buildSegment('p/', tail, { id: 2, hash: 'f'.repeat(64) }, NOW)).toMatchObject({ problem: { id: '3' } });
    expect(buildSegment('p/', tail, { id: 2, hash: lines[1]?.hash as string }, NOW)).toHaveProperty('segment');
  });
});
