/**
 * Tampering as an attacker with write access to Redis could do it: every change to the stored
 * log must make `verify` fail and name the first record that no longer fits.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { type RedisKeys, redisKeys } from '../../../src/adapters/redis/keys.js';
import { type AuditRecord, hashOf } from '../../../src/domain/audit.js';
import { entry } from '../../contract/ports/audit-log.case.js';
import { TestClock } from '../../fakes/test-clock.js';
import { cleanup, connect, testPrefix } from '../../support/redis.js';

const filePrefix = testPrefix('tamper');
let redis: Redis;
let n = 0;
let keys: RedisKeys;
let log: RedisAuditLog;

beforeAll(async () => {
  redis = await connect();
});

afterAll(async () => {
  await cleanup(redis, filePrefix);
  redis.disconnect();
});

beforeEach(async () => {
  const prefix = `${filePrefix}${n++}:`;
  keys = redisKeys(prefix);
  log = new RedisAuditLog(redis, prefix, new TestClock());
  for (let i = 1; i <= 6; i++) await log.append(entry({ request: `r${i}` }));
  expect(await log.verify()).toEqual({ ok: true, count: 6 });
});

type Stored = [entryId: string, rec: string];

/** Rewrites the whole log through a copy and RENAME, keeping or changing entry IDs as `edit` says. */
async function rewrite(edit: (entries: Stored[]) => Stored[]): Promise<void> {
  const entries = (await redis.xrange(keys.auditLog, '-', '+')).map(([id, f]): Stored => [id, f[1] ?? '']);
  const copy = `${keys.auditLog}:forged`;
  for (const [id, rec] of edit(entries)) await redis.xadd(copy, id, 'rec', rec);
  await redis.rename(copy, keys.auditLog);
}

const record = (rec: string) => JSON.parse(rec) as AuditRecord;
const changeRecord = (id: string, change: (r: AuditRecord) => AuditRecord) =>
  rewrite((entries) =>
    entries.map(([eid, rec]) => [eid, eid === `${id}-0` ? JSON.stringify(change(record(rec))) : rec]),
  );

describe('RedisAuditLog.verify names the first broken record', () => {
  it('one field of a middle record changed', async () => {
    await changeRecord('3', (r) => ({ ...r, actor: 'U0MALLORY' }));
    expect(await log.verify()).toEqual({
      ok: false,
      count: 2,
      problem: { id: '3', reason: 'its contents do not match its hash: the record was changed' },
    });
  });

  it('a middle record changed and its own hash recomputed: the next record no longer fits', async () => {
    await changeRecord('3', (r) => {
      const { hash: _, ...rest } = { ...r, detail: 'nothing happened' };
      return { ...rest, hash: hashOf(rest) };
    });
    expect(await log.verify()).toEqual({
      ok: false,
      count: 3,
      problem: { id: '4', reason: 'its prev does not match the hash of the record before it' },
    });
  });

  it('a middle record deleted (XDEL): the record after the gap is named', async () => {
    await redis.xdel(keys.auditLog, '3-0');
    expect(await log.verify()).toEqual({
      ok: false,
      count: 2,
      problem: { id: '4', reason: 'expected record 3 here: records are missing or out of order' },
    });
  });

  it('the last record deleted, head left as it was', async () => {
    await redis.xdel(keys.auditLog, '6-0');
    expect(await log.verify()).toEqual({
      ok: false,
      count: 5,
      problem: { id: '6', reason: 'the log ends at record 5 but its head says 6: records were removed from the end' },
    });
  });

  it('two records swapped', async () => {
    await rewrite((entries) => {
      const swapped = [...entries];
      const [third, fifth] = [entries[2] as Stored, entries[4] as Stored];
      swapped[2] = [third[0], fifth[1]];
      swapped[4] = [fifth[0], third[1]];
      return swapped;
    });
    expect(await log.verify()).toEqual({
      ok: false,
      count: 2,
      problem: { id: '3', reason: 'entry 3-0 holds record 5: records were moved' },
    });
  });

  it('two records swapped and renumbered to fit their new places', async () => {
    await rewrite((entries) => {
      const r3 = record((entries[2] as Stored)[1]);
      const r5 = record((entries[4] as Stored)[1]);
      const swapped = [...entries];
      swapped[2] = ['3-0', JSON.stringify({ ...r5, id: '3' })];
      swapped[4] = ['5-0', JSON.stringify({ ...r3, id: '5' })];
      return swapped;
    });
    expect(await log.verify()).toMatchObject({ ok: false, count: 2, problem: { id: '3' } });
  });

  it('a record that is not JSON, or lacks a field, is named by its entry', async () => {
    await rewrite((entries) => entries.map(([id, rec]) => [id, id === '2-0' ? '{"id":"2", broken' : rec]));
    expect(await log.verify()).toEqual({
      ok: false,
      count: 1,
      problem: { id: '2', reason: 'entry 2-0: its rec is not valid JSON' },
    });
    await changeRecord('1', (r) => {
      const { request: _, ...rest } = r;
      return rest as AuditRecord;
    });
    expect(await log.verify()).toMatchObject({
      ok: false,
      count: 0,
      problem: { id: '1', reason: expect.stringContaining('entry 1-0: its rec is not an audit record (request:') },
    });
  });

  it('the head damaged', async () => {
    await redis.hset(keys.auditHead, 'id', 'six');
    expect(await log.verify()).toEqual({
      ok: false,
      count: 6,
      problem: { id: '7', reason: 'the audit head is damaged (id "six")' },
    });
  });

  it('the head removed', async () => {
    await redis.unlink(keys.auditHead);
    expect(await log.verify()).toMatchObject({ ok: false, count: 6, problem: { id: '7' } });
  });
});
