import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { ArchiveVerifier } from '../../../src/domain/archive-verify.js';
import type { AuditArchivePolicy } from '../../../src/domain/policy-model.js';
import { Archiver } from '../../../src/services/archiver.js';
import { entry } from '../../contract/ports/audit-log.case.js';
import { FakeNotifier } from '../../fakes/fake-notifier.js';
import { MemoryArchiveStore } from '../../fakes/memory-archive-store.js';
import { MemoryAuditArchiving } from '../../fakes/memory-audit-archiving.js';
import { MemoryAuditLog } from '../../fakes/memory-audit-log.js';
import { TestClock } from '../../fakes/test-clock.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SETTINGS: AuditArchivePolicy = {
  bucket: 'acme-audit',
  prefix: 'bot/',
  mode: 'COMPLIANCE',
  retain: { unit: 'years', n: 7 },
  intervalMs: 5 * MINUTE,
  maxRecords: 10,
  alertLagMs: HOUR,
};
const leader = async () => true;

function rig(settings: Partial<AuditArchivePolicy> = {}, retainInRedisMs = 30 * DAY) {
  const clock = new TestClock('2025-01-01T00:00:00.000Z');
  const log = new MemoryAuditLog(clock);
  const archiving = new MemoryAuditArchiving(log);
  const store = new MemoryArchiveStore(3);
  const notifier = new FakeNotifier();
  const warnings: string[] = [];
  const make = (over: Partial<{ archiving: MemoryAuditArchiving; store: MemoryArchiveStore }> = {}) =>
    new Archiver({
      store: over.store ?? store,
      archiving: over.archiving ?? archiving,
      settings: { ...SETTINGS, ...settings },
      retainInRedisMs,
      clock,
      notifier,
      alertsChannel: 'C0ALERTS',
      warn: (message) => warnings.push(message),
      info: () => {},
    });
  const append = async (n: number, everyMs = 1000) => {
    for (let i = 0; i < n; i++) {
      await log.append(entry({ request: `r${log.last.id + 1}`, function: i % 2 ? 'orders-api' : 'payments-api' }));
      clock.advance(everyMs);
    }
  };
  /** Walks the store as `audit verify --archive` will: every segment, chained. */
  const walk = () => {
    const v = new ArchiveVerifier('bot/');
    for (const key of store.keys()) {
      const problem = v.push(key, gunzipSync(store.objects.get(key)?.body as Uint8Array).toString('utf8'));
      if (problem) throw new Error(`${problem.object}: ${problem.reason}`);
    }
    return v;
  };
  return { clock, log, archiving, store, notifier, warnings, archiver: make(), make, append, walk };
}

describe('Archiver', () => {
  it('writes segments of at most max_records that chain, each locked until now + retain', async () => {
    const r = rig();
    await r.append(25);
    expect(await r.archiver.run(leader)).toEqual({ written: 2, adopted: 0 });
    expect(await r.archiving.position()).toMatchObject({ id: 20, segments: 2 });
    r.clock.advance(5 * MINUTE);
    expect(await r.archiver.run(leader)).toEqual({ written: 1, adopted: 0 });
    const v = r.walk();
    expect([v.segments, v.records, v.last.id]).toEqual([3, 25, 25]);
    expect(r.store.keys().map((k) => k.slice(4, 29))).toEqual([
      '000000000001-000000000010',
      '000000000011-000000000020',
      '000000000021-000000000025',
    ]);
    const [first] = r.store.objects.values();
    expect(first?.lock).toEqual({ mode: 'COMPLIANCE', retainUntil: new Date('2032-01-01T00:00:25.000Z') });
  });

  it('waits for max_records or the interval, whichever comes first', async () => {
    const r = rig();
    await r.append(3);
    r.clock.advance(4 * MINUTE);
    expect(await r.archiver.run(leader)).toEqual({ written: 0, adopted: 0 });
    r.clock.advance(MINUTE);
    expect(await r.archiver.run(leader)).toEqual({ written: 1, adopted: 0 });
    await r.append(10);
    expect(await r.archiver.run(leader)).toEqual({ written: 1, adopted: 0 });
    expect(r.walk().records).toBe(13);
  });

  it('does nothing once it is no longer the leader', async () => {
    const r = rig();
    await r.append(10);
    expect(await r.archiver.run(async () => false)).toEqual({ written: 0, adopted: 0 });
    expect(r.store.keys()).toEqual([]);
  });

  it('reads the next segment ahead while one is put, but claims and puts nothing more once the lead is lost', async () => {
    const r = rig();
    await r.append(30);
    let puts = 0;
    const put = r.store.put.bind(r.store);
    r.store.put = async (...args) => {
      puts++;
      return put(...args);
    };
    // The lead is lost right after the first put: the second segment, read and built meanwhile, is dropped.
    const stillLeader = async () => puts === 0;
    expect(await r.archiver.run(stillLeader)).toEqual({ written: 0, adopted: 0 });
    expect(r.store.keys()).toHaveLength(1);
    expect(await r.archiving.position()).toMatchObject({ id: 0, claim: r.store.keys()[0] });
    // The next leader finishes the claimed segment and goes on.
    expect(await r.make().run(leader)).toEqual({ written: 3, adopted: 0 });
    expect(r.walk().records).toBe(30);
  });

  it('a damaged record in the segment read ahead: the one before is still written and recorded, then the run stops', async () => {
    const r = rig();
    await r.append(20);
    const damaged = r.log.records[14] as (typeof r.log.records)[number];
    r.log.records[14] = { ...damaged, prev: 'f'.repeat(64) };
    const report = await r.archiver.run(leader);
    expect(report).toMatchObject({ written: 1, adopted: 0 });
    expect(report.failed).toMatch(/record 15 cannot be archived: its prev does not match/);
    expect(await r.archiving.position()).toMatchObject({ id: 10, segments: 1 });
    expect(await r.archiving.position()).not.toHaveProperty('claim');
    expect(r.walk().records).toBe(10);
  });

  it('after a crash between the put and recording it, writes the same segment again as a no-op: no gap, no duplicate', async () => {
    const r = rig();
    await r.append(10);
    const advance = r.archiving.advance.bind(r.archiving);
    r.archiving.advance = async () => {
      throw new Error('process killed');
    };
    expect((await r.archiver.run(leader)).failed).toBe('process killed');
    expect(r.store.keys()).toHaveLength(1);
    expect(await r.archiving.position()).toMatchObject({ id: 0, claim: r.store.keys()[0] });
    r.archiving.advance = advance;
    // A new process (no backoff in memory) picks up the claim.
    expect(await r.make().run(leader)).toEqual({ written: 1, adopted: 0 });
    expect(r.store.puts).toBe(2);
    expect(r.store.keys()).toHaveLength(1);
    expect(await r.archiving.position()).toMatchObject({ id: 10, segments: 1 });
    expect(await r.archiving.position()).not.toHaveProperty('claim');
  });

  it('adopts a segment found in the store when Redis lost its position (a failover), and goes on from it', async () => {
    const r = rig();
    await r.append(15);
    await r.archiver.run(leader);
    // The position (and claim) is gone; the records are still in Redis.
    const forgetful = new MemoryAuditArchiving(r.log);
    r.clock.advance(5 * MINUTE);
    expect(await r.make({ archiving: forgetful }).run(leader)).toEqual({ written: 1, adopted: 1 });
    expect(await forgetful.position()).toMatchObject({ id: 15, segments: 2 });
    expect(r.walk().records).toBe(15);
  });

  it('refuses to adopt a segment that disagrees with Redis', async () => {
    const r = rig();
    await r.append(10);
    await r.archiver.run(leader);
    const other = rig();
    await other.append(10, 2000);
    const forgetful = new MemoryAuditArchiving(other.log);
    const report = await other.make({ archiving: forgetful, store: r.store }).run(leader);
    expect(report.failed).toMatch(/cannot be adopted|holds records that Redis does not/);
    expect(await forgetful.position()).toMatchObject({ id: 0 });
  });

  it('two archivers racing write one chain: the loser finds the winner’s claim, never an overlapping segment', async () => {
    const r = rig();
    await r.append(4);
    r.clock.advance(5 * MINUTE);
    const a = r.make();
    const b = r.make();
    let release: () => void = () => {};
    const put = r.store.put.bind(r.store);
    let paused = false;
    r.store.put = async (...args) => {
      if (!paused) {
        paused = true;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
      return put(...args);
    };
    const runA = a.run(leader);
    // gzip runs on libuv's thread pool: wait for A to reach its put.
    await vi.waitFor(() => expect(paused).toBe(true));
    // More records arrive while A is stuck before its put: B still writes A's segment (the claim), not a longer one.
    await r.append(3);
    r.clock.advance(5 * MINUTE);
    expect(await b.run(leader)).toEqual({ written: 2, adopted: 0 });
    release();
    expect(await runA).toEqual({ written: 0, adopted: 0 });
    const v = r.walk();
    expect([v.segments, v.records]).toEqual([2, 7]);
    expect(await r.archiving.position()).toMatchObject({ id: 7, segments: 2 });
  });

  it('with the store down: backs off, measures the lag, alerts once past alert_lag, then catches up, notes it, and only then trims', async () => {
    const r = rig({}, DAY);
    await r.append(5);
    r.store.failing = new Error('AccessDenied: s3:PutObject');
    r.clock.advance(5 * MINUTE);
    expect((await r.archiver.run(leader)).failed).toBe('AccessDenied: s3:PutObject');
    const puts = r.store.puts;
    // Within the retry time nothing is tried.
    r.clock.advance(5_000);
    expect(await r.archiver.run(leader)).toEqual({ written: 0, adopted: 0, waiting: true });
    expect(r.store.puts).toBe(puts);
    for (let i = 0; i < 40; i++) {
      r.clock.advance(5 * MINUTE);
      await r.archiver.run(leader);
    }
    // Past alert_lag and past the retention window: alerted once, nothing trimmed, records still all in Redis.
    expect(r.archiver.lag()).toMatchObject({ records: 5 });
    expect(r.archiver.lag()?.ms).toBeGreaterThan(3 * HOUR);
    expect(r.warnings.filter((w) => w.startsWith('audit archive failed'))).toHaveLength(1);
    expect(
      r.notifier.messages.map((m) => [m.ref.channel, m.notice.kind, (m.notice as { state?: string }).state]),
    ).toEqual([['C0ALERTS', 'archive-lag', 'behind']]);
    expect(r.notifier.messages[0]?.notice).toMatchObject({
      records: 5,
      bucket: 'acme-audit',
      reason: 'AccessDenied: s3:PutObject',
    });
    r.clock.advance(DAY);
    await r.archiver.run(leader);
    expect(r.log.records).toHaveLength(5);
    delete r.store.failing;
    r.clock.advance(15 * MINUTE);
    const back = await r.archiver.run(leader);
    expect(back).toMatchObject({ written: 1, trimmedThrough: 5 });
    expect(r.archiver.lag()).toEqual({ records: 0, ms: 0 });
    expect(r.notifier.messages.map((m) => (m.notice as { state?: string }).state)).toEqual(['behind', 'recovered']);
    expect(await r.log.trimmedBefore()).toMatchObject({ id: 5 });
    expect(await r.log.verify()).toEqual({ ok: true, count: 0, from: 6 });
  });

  it('a new leader while the lag alert is out says nothing again, and the recovery note comes once', async () => {
    const r = rig();
    await r.append(3);
    r.store.failing = new Error('SlowDown');
    for (let i = 0; i < 30; i++) {
      r.clock.advance(5 * MINUTE);
      await r.archiver.run(leader);
    }
    expect(await r.archiving.position()).toMatchObject({ lagAlerted: true });
    // Another replica takes the lead (nothing of the first in its memory), still with the store down.
    const successor = r.make();
    for (let i = 0; i < 10; i++) {
      r.clock.advance(5 * MINUTE);
      await successor.run(leader);
    }
    delete r.store.failing;
    r.clock.advance(15 * MINUTE);
    await successor.run(leader);
    await r.make().run(leader);
    expect(r.notifier.messages.map((m) => (m.notice as { state?: string }).state)).toEqual(['behind', 'recovered']);
    expect(await r.archiving.position()).not.toHaveProperty('lagAlerted');
  });

  it('trims only records both archived and older than audit_retain_in_redis, never an unarchived one', async () => {
    const r = rig({ maxRecords: 10 }, DAY);
    await r.append(10, HOUR);
    await r.archiver.run(leader);
    await r.append(6, HOUR);
    // Records 1..10 are archived; 11..16 wait (fewer than max_records) but soon are old too.
    r.clock.set('2025-01-02T13:30:00.000Z');
    const archiving = r.archiving;
    const notYet = await archiving.position();
    expect(notYet.id).toBe(10);
    // A run that cannot write (store down) still leaves 11..16 alone.
    r.store.failing = new Error('down');
    await r.make().run(leader);
    expect(r.log.records[0]?.id).toBe('1');
    delete r.store.failing;
    // Now: 11..16 are archived; of all, those older than a day (1..14 at 13:30 the next day) go.
    expect(await r.make().run(leader)).toMatchObject({ written: 1, trimmedThrough: 14 });
    expect(r.log.records.map((x) => x.id)).toEqual(['15', '16']);
    expect(await r.log.verify()).toEqual({ ok: true, count: 2, from: 15 });
  });
});
