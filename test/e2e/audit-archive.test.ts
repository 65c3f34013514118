/**
 * A month (and ten days) of audit records under a fake clock (CONTRACT §14), with
 * `audit_retain_in_redis: 30d`: the archiver runs twice a day into a locked bucket in the emulator's
 * S3, and trims Redis behind it. Afterwards Redis holds the last 30 days, the archive holds all of
 * it, `npm run audit -- export --archive` is the whole history and `verify --archive` passes, and
 * `/lambda history` in a running bot says where the older records went. No sleeps: the clock moves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import type { AuditRecord } from '../../src/domain/audit.js';
import { entry } from '../contract/ports/audit-log.case.js';
import { type ArchiveWorld, startArchiveWorld } from '../support/archive-world.js';
import { startWorld, textOf, type World } from '../support/world.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAYS = 40;
let w: ArchiveWorld;
let written: AuditRecord[];
/** After every run: [last record trimmed, last record archived]. */
const runs: [trimmed: number, archived: number][] = [];

beforeAll(async () => {
  w = await startArchiveWorld({ retainInRedis: '30d' });
  written = [];
  for (let day = 0; day < DAYS; day++) {
    // payments-api six times a day; orders-api once a week, so its history in Redis is short.
    for (let slot = 0; slot < 6; slot++) {
      written.push(await w.log.append(entry({ function: 'payments-api', request: `p${day}.${slot}` })));
      if (slot === 0 && day % 7 === 0) {
        written.push(await w.log.append(entry({ function: 'orders-api', request: `o${day}` })));
      }
      w.clock.advance(4 * HOUR);
      if (slot % 3 === 2) {
        await w.archiver.run(async () => true);
        runs.push([(await w.log.trimmedBefore())?.id ?? 0, (await w.archiving.position()).id]);
      }
    }
  }
  // One more run once the last records have waited an interval: the archive catches up with the head.
  w.clock.advance(2 * HOUR);
  await w.archiver.run(async () => true);
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe('a month under a fake clock, audit_retain_in_redis: 30d', () => {
  it('Redis holds only the last 30 days, and nothing was ever trimmed before it was archived', async () => {
    const now = w.clock.now().getTime();
    const base = (await w.log.trimmedBefore())?.id ?? 0;
    const kept = written.slice(base);
    expect(base).toBeGreaterThan(0);
    // The first record kept is inside the window; the last trimmed was older than it (at the last run).
    expect(Date.parse(kept[0]?.at as string)).toBeGreaterThanOrEqual(now - 30 * DAY - 2 * HOUR);
    expect(Date.parse(written[base - 1]?.at as string)).toBeLessThan(now - 30 * DAY);
    expect(Date.parse(written[base - 1]?.at as string)).toBeGreaterThan(now - 31 * DAY);
    // Redis's streams hold the window and no more: the log, and each function's index.
    const keys = redisKeys(w.prefix);
    expect(await w.redis.xlen(keys.auditLog)).toBe(kept.length);
    expect(await w.redis.xlen(keys.auditIndex('payments-api'))).toBe(
      kept.filter((r) => r.function === 'payments-api').length,
    );
    expect(await w.redis.xlen(keys.auditIndex('orders-api'))).toBe(
      kept.filter((r) => r.function === 'orders-api').length,
    );
    expect(runs.length).toBe(DAYS * 2);
    for (const [trimmed, archived] of runs) expect(trimmed).toBeLessThanOrEqual(archived);
    expect(runs.at(-1)?.[0]).toBeGreaterThan(runs[0]?.[0] ?? 0);
  });

  it('the archive holds every record, in segments that chain', async () => {
    const position = await w.archiving.position();
    expect(position.id).toBe(written.length);
    expect(position.hash).toBe(written.at(-1)?.hash);
    expect((await w.keys()).length).toBe(position.segments);
  });

  it('export --archive is the full history, record for record; verify --archive passes', async () => {
    const [exported, verified] = await Promise.all([
      w.audit(['export', '--archive']),
      w.audit(['verify', '--archive']),
    ]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(
      exported.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditRecord),
    ).toEqual(written);
    const base = (await w.log.trimmedBefore())?.id ?? 0;
    const { segments } = await w.archiving.position();
    expect(verified).toEqual({
      code: 0,
      stdout: `archive OK: ${segments} segments, records 1–${written.length}; Redis from ${base + 1} to ${written.length}; seam OK\n`,
      stderr: '',
    });
  });

  describe('a running bot over this Redis', () => {
    let bot: World;

    beforeAll(async () => {
      // The bot's policy has no archive: it reads the log it finds and runs no archiver of its own.
      bot = await startWorld({ env: { REDIS_KEY_PREFIX: w.prefix } });
    }, 60_000);

    afterAll(async () => {
      await bot?.close();
    });

    it('/lambda history says older records are in the archive when its answer reaches the trim', async () => {
      const orders = textOf(await (await bot.command('history orders-api')).response());
      expect(orders).toContain('Older records are in the audit archive: `npm run audit -- export --archive`.');
      // Ten of payments-api's records are all in Redis: nothing to say about the archive.
      const payments = textOf(await (await bot.command('history payments-api')).response());
      expect(payments).not.toContain('audit archive');
    });
  });
});
