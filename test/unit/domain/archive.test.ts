import { describe, expect, it } from 'vitest';
import {
  buildSegment,
  NOTHING_ARCHIVED,
  padId,
  parseSegment,
  parseSegmentKey,
  SEGMENT_FORMAT,
  segmentKey,
  segmentStartPrefix,
} from '../../../src/domain/archive.js';
import { verifySegment } from '../../../src/domain/archive-verify.js';
import { ChainVerifier, GENESIS } from '../../../src/domain/audit.js';
import { encodeRecord } from '../../../src/domain/audit-codec.js';
import { chainOf } from '../../support/audit-chain.js';

const segmentText = (segment: { readonly body: Uint8Array }) => new TextDecoder().decode(segment.body);

const NOW = new Date('2025-02-01T00:00:00.000Z');
const H = (c: string) => c.repeat(64);

describe('segment names', () => {
  it('pad ids to 12 digits so that lexicographic order is chain order', () => {
    expect(padId(42)).toBe('000000000042');
    const names = [999, 1000, 5, 12_345].map((first) =>
      segmentKey('bot/', { first, last: first, firstHash: H('a'), lastHash: H('b') }),
    );
    const sorted = [...names].sort();
    expect(sorted.map((k) => parseSegmentKey('bot/', k)?.first)).toEqual([5, 999, 1000, 12_345]);
  });

  it('read back what they say, and nothing that is not a segment name', () => {
    const place = { first: 1001, last: 2000, firstHash: H('a'), lastHash: H('f') };
    const key = segmentKey('lambda-release-bot/', place);
    expect(key).toBe(`lambda-release-bot/000000001001-000000002000-${H('a')}-${H('f')}.jsonl.gz`);
    expect(parseSegmentKey('lambda-release-bot/', key)).toEqual(place);
    expect(key.startsWith(segmentStartPrefix('lambda-release-bot/', 1001))).toBe(true);
    for (const bad of [
      `other/000000000001-000000000002-${H('a')}-${H('b')}.jsonl.gz`,
      `bot/1-2-${H('a')}-${H('b')}.jsonl.gz`,
      `bot/000000000003-000000000002-${H('a')}-${H('b')}.jsonl.gz`,
      `bot/000000000000-000000000002-${H('a')}-${H('b')}.jsonl.gz`,
      `bot/000000000001-000000000002-${H('a')}-${H('b')}.jsonl`,
      `bot/000000000001-000000000002-${H('A')}-${H('b')}.jsonl.gz`,
    ]) {
      expect(parseSegmentKey('bot/', bad)).toBeUndefined();
    }
  });
});

describe('buildSegment', () => {
  it('writes a manifest line, then each record as audit export prints it', () => {
    const records = chainOf(3);
    const built = buildSegment('bot/', records, NOTHING_ARCHIVED, NOW);
    if (!('segment' in built)) throw new Error('expected a segment');
    const { segment } = built;
    const lines = segmentText(segment).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual({
      format: SEGMENT_FORMAT,
      first: 1,
      last: 3,
      count: 3,
      firstHash: records[0]?.hash,
      lastHash: records[2]?.hash,
      prev: GENESIS,
      createdAt: NOW.toISOString(),
    });
    expect(Object.keys(JSON.parse(lines[0] as string))).toEqual([
      'format',
      'first',
      'last',
      'count',
      'firstHash',
      'lastHash',
      'prev',
      'createdAt',
    ]);
    expect(lines.slice(1, 4)).toEqual(records.map(encodeRecord));
    expect(segment.key).toBe(segmentKey('bot/', segment.manifest));
  });

  it('is deterministic in its name: the same records give the same key whenever they are sealed', () => {
    const records = chainOf(5).slice(2);
    const after = { id: 2, hash: chainOf(2)[1]?.hash as string };
    const a = buildSegment('bot/', records, after, NOW);
    const b = buildSegment('bot/', records, after, new Date(NOW.getTime() + 60_000));
    expect('segment' in a && 'segment' in b && a.segment.key === b.segment.key).toBe(true);
    expect('segment' in a && a.segment.manifest.prev).toBe(after.hash);
  });

  it('refuses records that do not chain from the archive end', () => {
    const records = chainOf(5);
    expect(buildSegment('bot/', records.slice(2), NOTHING_ARCHIVED, NOW)).toEqual({
      problem: { id: '3', reason: 'expected record 1 here: records are missing or out of order' },
    });
    const wrongPrev = { id: 2, hash: H('e') };
    expect(buildSegment('bot/', records.slice(2), wrongPrev, NOW)).toMatchObject({ problem: { id: '3' } });
    // Contents are not re-hashed when sealing (the links are checked): a record changed in Redis is
    // sealed as it is, and verifying the segment names it.
    const changed = [records[0], { ...records[1], detail: 'rewritten' }] as typeof records;
    const sealed = buildSegment('bot/', changed, NOTHING_ARCHIVED, NOW);
    if (!('segment' in sealed)) throw new Error('expected a segment');
    expect(verifySegment('bot/', sealed.segment.key, segmentText(sealed.segment))).toMatchObject({
      ok: false,
      problem: { record: '2', reason: 'its contents do not match its hash: the record was changed' },
    });
    expect(buildSegment('bot/', [], NOTHING_ARCHIVED, NOW)).toMatchObject({ problem: { id: '1' } });
  });
});

describe('parseSegment', () => {
  it('reads back the manifest and the records', () => {
    const records = chainOf(4);
    const built = buildSegment('bot/', records, NOTHING_ARCHIVED, NOW);
    if (!('segment' in built)) throw new Error('expected a segment');
    const parsed = parseSegment(segmentText(built.segment));
    expect(parsed).toEqual({ ok: true, manifest: built.segment.manifest, records });
  });

  it('says what is wrong: the manifest, or the record on a line', () => {
    expect(parseSegment('not json\n')).toMatchObject({ ok: false, reason: expect.stringContaining('manifest') });
    expect(parseSegment('{"format":"other"}\n')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('format'),
    });
    const built = buildSegment('bot/', chainOf(3), NOTHING_ARCHIVED, NOW);
    if (!('segment' in built)) throw new Error('expected a segment');
    const lines = segmentText(built.segment).split('\n');
    lines[2] = '{"id":"2"';
    expect(parseSegment(lines.join('\n'))).toEqual({
      ok: false,
      record: '2',
      reason: 'line 3: its rec is not valid JSON',
    });
  });
});

describe('ChainVerifier from a given start', () => {
  it('checks a stretch of the chain from the hash its first record chains on', () => {
    const records = chainOf(6);
    const v = new ChainVerifier({ id: 4, prev: records[2]?.hash as string });
    for (const r of records.slice(3)) expect(v.push(r)).toBeUndefined();
    expect(v.last).toEqual({ id: 6, hash: records[5]?.hash });
    expect(v.finish({ id: 6, hash: records[5]?.hash as string })).toBeUndefined();
    const wrong = new ChainVerifier({ id: 4, prev: H('0') });
    expect(wrong.push(records[3] as (typeof records)[number])).toMatchObject({ id: '4' });
  });
});
