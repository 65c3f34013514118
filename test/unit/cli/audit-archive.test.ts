/**
 * verify --archive and export --archive over the fakes: the walk, the seam, Redis's own record of
 * what was archived, a segment written while the check lists, and the summary line.
 */
import { describe, expect, it } from 'vitest';
import { verdictLine } from '../../../src/cli/audit.js';
import { exportArchive, verifyArchive } from '../../../src/cli/audit-archive.js';
import type { AuditRecord } from '../../../src/domain/audit.js';
import { Archiver } from '../../../src/services/archiver.js';
import { collect, entry } from '../../contract/ports/audit-log.case.js';
import { FakeNotifier } from '../../fakes/fake-notifier.js';
import { MemoryArchiveStore } from '../../fakes/memory-archive-store.js';
import { MemoryAuditArchiving } from '../../fakes/memory-audit-archiving.js';
import { MemoryAuditLog } from '../../fakes/memory-audit-log.js';
import { TestClock } from '../../fakes/test-clock.js';

const DAY = 86_400_000;

function rig() {
  const clock = new TestClock('2025-01-01T00:00:00.000Z');
  const log = new MemoryAuditLog(clock);
  const archiving = new MemoryAuditArchiving(log);
  const store = new MemoryArchiveStore(2);
  const archiver = new Archiver({
    store,
    archiving,
    settings: {
      bucket: 'acme-audit',
      prefix: 'bot/',
      mode: 'COMPLIANCE',
      retain: { unit: 'years', n: 7 },
      intervalMs: 3_600_000,
      maxRecords: 5,
      alertLagMs: DAY,
    },
    retainInRedisMs: 2 * DAY,
    clock,
    notifier: new FakeNotifier(),
    alertsChannel: 'C0ALERTS',
    warn: (message) => {
      throw new Error(message);
    },
    info: () => {},
  });
  const written: AuditRecord[] = [];
  /** `days` of records, four a day, the archiver after each. */
  const days = async (n: number) => {
    for (let i = 0; i < n * 4; i++) {
      const fn = i % 2 ? 'orders-api' : 'payments-api';
      written.push(await log.append(entry({ function: fn, request: `r${written.length + 1}` })));
      clock.advance(DAY / 4);
      await archiver.run(async () => true);
    }
  };
  const archive = { store, prefix: 'bot/' };
  const redis = { log, archiving };
  return { clock, log, archiving, store, archiver, written, days, archive, redis };
}

describe('verifyArchive', () => {
  it('a trimmed log and its archive: every segment, then Redis from its base; the summary', async () => {
    const r = rig();
    await r.days(5);
    const base = (await r.log.trimmedBefore())?.id ?? 0;
    expect(base).toBeGreaterThan(5);
    const position = await r.archiving.position();
    const verdict = await verifyArchive(r.archive, r.redis);
    expect(verdict).toEqual({
      ok: true,
      segments: position.segments,
      archived: position.id,
      redis: { from: base + 1, head: 20 },
    });
    expect(verdictLine(verdict, 's3://acme-audit/')).toBe(
      `archive OK: ${position.segments} segments, records 1–${position.id}; Redis from ${base + 1} to 20; seam OK`,
    );
  });

  it('nothing archived yet, and Redis that keeps no record: said as such', () => {
    expect(verdictLine({ ok: true, segments: 0, archived: 0, redis: { from: 1, head: 3 } }, 's3://b/')).toBe(
      'archive OK: no segments yet; Redis from 1 to 3; seam OK',
    );
    expect(verdictLine({ ok: true, segments: 2, archived: 9, redis: { from: 10, head: 9 } }, 's3://b/')).toBe(
      'archive OK: 2 segments, records 1–9; Redis keeps no records (its last was 9); seam OK',
    );
  });

  it('the last segment gone from the bucket: Redis recorded it, so it is named', async () => {
    const r = rig();
    await r.days(2);
    const { key, id } = await r.archiving.position();
    r.store.objects.delete(key as string);
    const verdict = await verifyArchive(r.archive, r.redis);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.problem.object).toBe(key);
    expect(!verdict.ok && verdict.problem.reason).toContain(`written up to record ${id}`);
    expect(verdictLine(verdict, 's3://acme-audit/')).toMatch(/^archive BROKEN at object s3:\/\/acme-audit\/bot\/0/);
  });

  it('a segment written and Redis trimmed past the listing while checking: listed again, and OK', async () => {
    const r = rig();
    await r.days(3);
    // The archiver runs once the check has listed the bucket, as another replica would.
    let listed = false;
    const racing = {
      ...r.archive,
      store: Object.assign(Object.create(r.store) as MemoryArchiveStore, {
        list: async function* (prefix: string, startAfter?: string) {
          yield* r.store.list(prefix, startAfter);
          if (listed) return;
          listed = true;
          await r.days(3);
        },
      }),
    };
    const verdict = await verifyArchive(racing, r.redis);
    expect(listed).toBe(true);
    expect(verdict.ok).toBe(true);
    expect(verdict.ok && verdict.archived).toBe((await r.archiving.position()).id);
  });
});

describe('exportArchive', () => {
  it('the archive, then Redis from its last + 1: each record once, in order; filters on both', async () => {
    const r = rig();
    await r.days(5);
    expect(await collect(exportArchive(r.archive, r.redis, {}))).toEqual(r.written);
    const since = new Date(r.written[6]?.at as string);
    expect(await collect(exportArchive(r.archive, r.redis, { fn: 'orders-api', since }))).toEqual(
      r.written.filter((x) => x.function === 'orders-api' && Date.parse(x.at) >= since.getTime()),
    );
  });

  it('refuses a gap before printing anything', async () => {
    const r = rig();
    await r.days(5);
    const [, second] = r.store.keys();
    r.store.objects.delete(second as string);
    const out: AuditRecord[] = [];
    await expect(async () => {
      for await (const record of exportArchive(r.archive, r.redis, {})) out.push(record);
    }).rejects.toThrow(/are in no segment\): nothing exported; run npm run audit -- verify --archive/);
    expect(out).toEqual([]);
  });
});
