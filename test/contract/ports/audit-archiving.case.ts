/**
 * What every AuditArchiving must do with its AuditLog (the Redis scripts, and the in-memory fake the
 * archiver's service tests use): the archived position moved only by compare-and-set, and trimming
 * that never removes an unarchived record and leaves a log that still verifies and reads.
 */

import { beforeEach, describe, expect, it } from 'vitest';
import { NOTHING_ARCHIVED } from '../../../src/domain/archive.js';
import { encodeRecord } from '../../../src/domain/audit-codec.js';
import type { AuditArchiving, AuditLog } from '../../../src/ports.js';
import type { TestClock } from '../../fakes/test-clock.js';
import { collect, entry } from './audit-log.case.js';

export interface AuditArchivingSubject {
  /** An empty log, and its archiving side. */
  readonly log: AuditLog;
  readonly archiving: AuditArchiving;
  readonly clock: TestClock;
}

const AT = new Date('2025-01-02T00:00:00.000Z');

export function auditArchivingContract(name: string, make: () => Promise<AuditArchivingSubject>): void {
  describe(`AuditArchiving contract: ${name}`, () => {
    let s: AuditArchivingSubject;
    /** Records 1..n: odd ones for payments-api, even ones for orders-api. */
    const append = async (n: number) => {
      const out = [];
      for (let i = 0; i < n; i++) {
        const fn = i % 2 === 0 ? 'payments-api' : 'orders-api';
        out.push(await s.log.append(entry({ function: fn, request: `r${i}` })));
        s.clock.advance(1000);
      }
      return out;
    };
    beforeEach(async () => {
      s = await make();
    });

    it('starts with nothing archived and nothing trimmed', async () => {
      expect(await s.archiving.position()).toEqual({ ...NOTHING_ARCHIVED, segments: 0 });
      expect(await s.archiving.head()).toEqual(NOTHING_ARCHIVED);
      expect(await s.log.trimmedBefore()).toBeUndefined();
      expect(await s.archiving.trim(10, ['payments-api'])).toBeUndefined();
    });

    it('reads the records after a position, at most as many as asked', async () => {
      const records = await append(5);
      expect(await s.archiving.after(0, 2)).toEqual(records.slice(0, 2));
      expect(await s.archiving.after(3, 10)).toEqual(records.slice(3));
      expect(await s.archiving.after(5, 10)).toEqual([]);
      expect(await s.archiving.head()).toEqual({ id: 5, hash: records[4]?.hash });
    });

    it('reads the same records as stored lines, each as audit export prints it', async () => {
      const records = await append(3);
      const lines = await s.archiving.lines(1, 10);
      expect(lines.map((l) => new TextDecoder().decode(l.line))).toEqual(records.slice(1).map(encodeRecord));
      expect(lines.map(({ id, at, prev, hash }) => ({ id, at, prev, hash }))).toEqual(
        records.slice(1).map(({ id, at, prev, hash }) => ({ id, at, prev, hash })),
      );
    });

    it('moves the position only from the expected one', async () => {
      const records = await append(4);
      const two = { id: 2, hash: records[1]?.hash as string, key: 'bot/seg-1' };
      expect(await s.archiving.advance(NOTHING_ARCHIVED, two, AT)).toBe(true);
      // Another archiver, still at the start, loses.
      expect(await s.archiving.advance(NOTHING_ARCHIVED, { ...two, key: 'bot/other' }, AT)).toBe(false);
      const four = { id: 4, hash: records[3]?.hash as string, key: 'bot/seg-2' };
      expect(await s.archiving.advance({ id: 2, hash: 'f'.repeat(64) }, four, AT)).toBe(false);
      expect(await s.archiving.advance(two, four, AT)).toBe(true);
      expect(await s.archiving.position()).toEqual({ ...four, segments: 2, at: AT.toISOString() });
    });

    it('lets one archiver claim the next segment, and clears the claim when the position moves', async () => {
      const records = await append(2);
      expect(await s.archiving.claim(NOTHING_ARCHIVED, 'bot/a')).toBe(true);
      expect(await s.archiving.claim(NOTHING_ARCHIVED, 'bot/a')).toBe(true);
      expect(await s.archiving.claim(NOTHING_ARCHIVED, 'bot/b')).toBe(false);
      expect((await s.archiving.position()).claim).toBe('bot/a');
      const two = { id: 2, hash: records[1]?.hash as string, key: 'bot/a' };
      expect(await s.archiving.claim(two, 'bot/c')).toBe(false);
      expect(await s.archiving.advance(NOTHING_ARCHIVED, two, AT)).toBe(true);
      expect(await s.archiving.position()).not.toHaveProperty('claim');
      expect(await s.archiving.claim(NOTHING_ARCHIVED, 'bot/c')).toBe(false);
    });

    it('moves the position and claims the segment after it in one step, the claim then held as any claim', async () => {
      const records = await append(4);
      const two = { id: 2, hash: records[1]?.hash as string, key: 'bot/a' };
      expect(await s.archiving.claim(NOTHING_ARCHIVED, 'bot/a')).toBe(true);
      expect(await s.archiving.advance(NOTHING_ARCHIVED, two, AT, 'bot/b')).toBe(true);
      expect(await s.archiving.position()).toEqual({ ...two, segments: 1, at: AT.toISOString(), claim: 'bot/b' });
      expect(await s.archiving.claim(two, 'bot/other')).toBe(false);
      expect(await s.archiving.claim(two, 'bot/b')).toBe(true);
      const four = { id: 4, hash: records[3]?.hash as string, key: 'bot/b' };
      expect(await s.archiving.advance(two, four, AT)).toBe(true);
      expect(await s.archiving.position()).not.toHaveProperty('claim');
    });

    it('keeps whether a lag alert is out beside the position, through moves of the position', async () => {
      const records = await append(2);
      await s.archiving.markLag(true);
      expect(await s.archiving.position()).toMatchObject({ id: 0, lagAlerted: true });
      const two = { id: 2, hash: records[1]?.hash as string, key: 'bot/a' };
      expect(await s.archiving.advance(NOTHING_ARCHIVED, two, AT)).toBe(true);
      expect(await s.archiving.position()).toMatchObject({ id: 2, lagAlerted: true });
      await s.archiving.markLag(false);
      expect(await s.archiving.position()).not.toHaveProperty('lagAlerted');
    });

    it('trims only what is archived, then verifies and reads from the trim base', async () => {
      const records = await append(8);
      await s.archiving.advance(NOTHING_ARCHIVED, { id: 5, hash: records[4]?.hash as string, key: 'k' }, AT);
      const base = await s.archiving.trim(7, ['payments-api', 'orders-api']);
      expect(base).toEqual({ id: 5, hash: records[4]?.hash, at: records[4]?.at });
      expect(await s.log.trimmedBefore()).toEqual({ id: 5, at: records[4]?.at });
      expect(await s.log.verify()).toEqual({ ok: true, count: 3, from: 6 });
      expect(await collect(s.log.export({}))).toEqual(records.slice(5));
      expect(await collect(s.log.export({ fn: 'orders-api' }))).toEqual([records[5], records[7]]);
      const recent = await s.log.recent({ fn: 'payments-api', limit: 10 });
      expect(recent.map((r) => r.id)).toEqual(['7']);
      expect(await s.archiving.after(0, 10)).toEqual(records.slice(5));
      // Nothing more is archived: trimming again changes nothing.
      expect(await s.archiving.trim(8, ['payments-api', 'orders-api'])).toEqual(base);
    });

    it('never trims an intent still waiting for its outcome, nor anything after it', async () => {
      const records = await append(2);
      const intent = await s.log.append(entry({ request: 'waiting', result: 'pending' }));
      records.push(intent, ...(await append(2)));
      await s.archiving.advance(NOTHING_ARCHIVED, { id: 5, hash: records[4]?.hash as string, key: 'k' }, AT);
      expect((await s.archiving.trim(5, ['payments-api', 'orders-api']))?.id).toBe(2);
      expect((await s.log.pendingIntents(s.clock.now(), 10)).map((r) => r.id)).toEqual([intent.id]);
      await s.log.append(entry({ request: 'waiting', result: 'ok' }));
      expect((await s.archiving.trim(5, ['payments-api', 'orders-api']))?.id).toBe(5);
    });

    it('keeps appending after every record was trimmed', async () => {
      const records = await append(3);
      await s.archiving.advance(NOTHING_ARCHIVED, { id: 3, hash: records[2]?.hash as string, key: 'k' }, AT);
      await s.archiving.trim(3, ['payments-api', 'orders-api']);
      expect(await s.log.verify()).toEqual({ ok: true, count: 0, from: 4 });
      expect(await s.log.recent({ fn: 'payments-api', limit: 5 })).toEqual([]);
      const next = await s.log.append(entry({ request: 'after' }));
      expect(next).toMatchObject({ id: '4', prev: records[2]?.hash });
      expect(await s.log.verify()).toEqual({ ok: true, count: 1, from: 4 });
    });
  });
}
