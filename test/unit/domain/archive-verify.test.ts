import { describe, expect, it } from 'vitest';
import { buildSegment, type Segment } from '../../../src/domain/archive.js';
import { ArchiveVerifier, checkSeam, verifySegment } from '../../../src/domain/archive-verify.js';
import type { AuditRecord } from '../../../src/domain/audit.js';
import { encodeRecord } from '../../../src/domain/audit-codec.js';
import { chainOf } from '../../support/audit-chain.js';

const NOW = new Date('2025-02-01T00:00:00.000Z');
const records = chainOf(10);
const hashOf = (id: number) => (records[id - 1] as AuditRecord).hash;

type Text = Segment & { readonly text: string };
const withText = (segment: Segment): Text => ({ ...segment, text: new TextDecoder().decode(segment.body) });

/** Segments of the chain, cut at the given last ids, with their text as a reader gets it back. */
function segments(...lasts: number[]): Text[] {
  const out: Text[] = [];
  let after = { id: 0, hash: chainOf(0).at(-1)?.hash ?? '0'.repeat(64) };
  for (const last of lasts) {
    const built = buildSegment('bot/', records.slice(after.id, last), after, NOW);
    if (!('segment' in built)) throw new Error(built.problem.reason);
    out.push(withText(built.segment));
    after = { id: last, hash: hashOf(last) };
  }
  return out;
}

function walk(list: readonly { key: string; text: string }[]) {
  const v = new ArchiveVerifier('bot/');
  for (const s of list) {
    const problem = v.push(s.key, s.text);
    if (problem) return { problem, v };
  }
  return { v };
}

describe('verifySegment', () => {
  const [seg] = segments(4) as [Text];

  it('accepts a segment as built', () => {
    expect(verifySegment('bot/', seg.key, seg.text)).toEqual({ ok: true, manifest: seg.manifest });
  });

  it('names the changed record', () => {
    const text = seg.text.replace(
      encodeRecord(records[2] as AuditRecord),
      encodeRecord({ ...records[2], detail: 'x' } as AuditRecord),
    );
    expect(verifySegment('bot/', seg.key, text)).toEqual({
      ok: false,
      problem: { object: seg.key, record: '3', reason: 'its contents do not match its hash: the record was changed' },
    });
  });

  it('names a removed or reordered record', () => {
    const lines = seg.text.split('\n');
    const removed = [lines[0], lines[1], lines[3], lines[4], ''].join('\n');
    expect(verifySegment('bot/', seg.key, removed)).toMatchObject({ ok: false, problem: { object: seg.key } });
    const swapped = [lines[0], lines[1], lines[3], lines[2], lines[4], ''].join('\n');
    expect(verifySegment('bot/', seg.key, swapped)).toMatchObject({
      ok: false,
      problem: { record: '3', reason: 'expected record 2 here: records are missing or out of order' },
    });
  });

  it('refuses a manifest or a name that does not match the records', () => {
    const renamed = seg.key.replace('000000000004', '000000000005');
    expect(verifySegment('bot/', renamed, seg.text)).toMatchObject({
      ok: false,
      problem: { reason: "its manifest's last does not match its name: renamed or rewritten" },
    });
    const lines = seg.text.split('\n');
    const manifest = JSON.parse(lines[0] as string);
    lines[0] = JSON.stringify({ ...manifest, count: 3 });
    expect(verifySegment('bot/', seg.key, lines.join('\n'))).toMatchObject({
      ok: false,
      problem: { reason: 'its manifest says 3 records from 1 to 4, it holds 4' },
    });
    expect(verifySegment('bot/', 'bot/notes.txt', seg.text)).toMatchObject({ ok: false });
  });
});

describe('ArchiveVerifier', () => {
  it('walks chained segments', () => {
    const { problem, v } = walk(segments(3, 7, 10));
    expect(problem).toBeUndefined();
    expect(v.segments).toBe(3);
    expect(v.records).toBe(10);
    expect(v.last).toEqual({ id: 10, hash: hashOf(10) });
  });

  it('names the object after a missing segment', () => {
    const [a, , c] = segments(3, 7, 10) as Text[];
    const { problem } = walk([a, c] as Text[]);
    expect(problem).toEqual({ object: c?.key, reason: 'records 4 to 7 are in no segment: segments are missing' });
  });

  it('names a first segment that does not start the chain', () => {
    const [, b] = segments(3, 7) as Text[];
    expect(walk([b as Text]).problem).toMatchObject({
      object: b?.key,
      reason: expect.stringContaining('records 1 to 3'),
    });
  });

  it('names an overlapping segment', () => {
    const [a] = segments(5);
    const built = buildSegment('bot/', records.slice(3, 8), { id: 3, hash: hashOf(3) }, NOW);
    if (!('segment' in built)) throw new Error('no segment');
    expect(walk([a as Text, withText(built.segment)]).problem).toEqual({
      object: built.segment.key,
      reason: 'it starts at record 4, inside the segment before (which ends at 5)',
    });
  });

  it('names a segment whose prev is not the last hash of the one before', () => {
    const [a, b] = segments(3, 7) as Text[];
    const forged = chainOf(7, Date.UTC(2030, 0, 1));
    const built = buildSegment('bot/', forged.slice(3, 7), { id: 3, hash: forged[2]?.hash as string }, NOW);
    if (!('segment' in built)) throw new Error('no segment');
    expect(b).toBeDefined();
    expect(walk([a as Text, withText(built.segment)]).problem).toMatchObject({
      object: built.segment.key,
      record: '4',
      reason: 'its prev is not the last hash of the segment before',
    });
  });
});

describe('checkSeam', () => {
  const end = { id: 6, hash: hashOf(6) };
  const head = { id: 10, hash: hashOf(10) };

  it('accepts Redis starting right after the archive, chained on its last hash', () => {
    expect(checkSeam(end, { head, first: { id: 7, prev: hashOf(6) } })).toBeUndefined();
  });

  it('accepts an overlap with identical hashes', () => {
    expect(checkSeam(end, { head, first: { id: 3, prev: hashOf(2) }, hashAtArchiveEnd: hashOf(6) })).toBeUndefined();
  });

  it('names an overlap that disagrees', () => {
    expect(checkSeam(end, { head, first: { id: 3, prev: hashOf(2) }, hashAtArchiveEnd: 'f'.repeat(64) })).toEqual({
      object: 'redis',
      record: '6',
      reason: "Redis holds the archive's last record with another hash: the two disagree",
    });
  });

  it('names a gap between the archive and Redis', () => {
    expect(checkSeam(end, { head, first: { id: 9, prev: hashOf(8) } })).toEqual({
      object: 'redis',
      record: '7',
      reason: 'records 7 to 8 are neither in the archive nor in Redis',
    });
  });

  it('names a first Redis record that does not chain on the archive', () => {
    expect(checkSeam(end, { head, first: { id: 7, prev: 'e'.repeat(64) } })).toMatchObject({ record: '7' });
  });

  it('handles Redis keeping no record: all trimmed, or nothing written yet', () => {
    expect(checkSeam(end, { head: end })).toBeUndefined();
    expect(checkSeam(end, { head: { id: 6, hash: 'e'.repeat(64) } })).toMatchObject({ record: '6' });
    expect(checkSeam(end, { head })).toMatchObject({
      reason: 'records 7 to 10 are neither in the archive nor in Redis',
    });
    expect(checkSeam({ id: 0, hash: '0'.repeat(64) }, { head: { id: 0, hash: '0'.repeat(64) } })).toBeUndefined();
  });

  it('names an archive that runs beyond Redis', () => {
    expect(checkSeam({ id: 12, hash: 'a'.repeat(64) }, { head })).toMatchObject({ record: '12' });
  });
});
