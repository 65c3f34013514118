/**
 * What every AuditLog must do, run against each implementation (the Redis log and the in-memory
 * fake), after honojs/hono's `common.case.test.ts`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { type AuditEntry, type AuditRecord, GENESIS, hashOf } from '../../../src/domain/audit.js';
import type { AuditLog } from '../../../src/ports.js';
import type { TestClock } from '../../fakes/test-clock.js';

export interface AuditLogSubject {
  /** An empty log. */
  readonly log: AuditLog;
  /** The clock the log stamps records with. */
  readonly clock: TestClock;
  /** Another handle on the same log, as another replica of the bot has (its own connection). */
  replica(): Promise<AuditLog>;
}

/** An entry for payments-api:prod unless told otherwise. */
export function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actor: 'U0ALICE',
    action: 'promote',
    function: 'payments-api',
    alias: 'prod',
    from: { version: '41', weights: { '41': 1 } },
    to: { version: '42', weights: { '42': 0.9, '41': 0.1 } },
    result: 'ok',
    detail: 'promoted',
    request: 'req-1',
    ...overrides,
  };
}

export async function collect(records: AsyncIterable<AuditRecord>): Promise<AuditRecord[]> {
  const all: AuditRecord[] = [];
  for await (const r of records) all.push(r);
  return all;
}

function expectChained(records: readonly AuditRecord[]): void {
  records.forEach((r, i) => {
    expect(r.id).toBe(String(i + 1));
    expect(r.prev).toBe(i === 0 ? GENESIS : records[i - 1]?.hash);
    const { hash, ...rest } = r;
    expect(hashOf(rest)).toBe(hash);
  });
}

export function auditLogContract(name: string, make: () => Promise<AuditLogSubject>): void {
  describe(`AuditLog contract: ${name}`, () => {
    let s: AuditLogSubject;
    beforeEach(async () => {
      s = await make();
    });

    it('lists intents with no outcome yet, oldest first, until their outcome comes', async () => {
      const intent = (request: string, alias = 'prod') =>
        entry({ request, alias, result: 'pending', detail: 'intent' });
      await s.log.append(intent('r1'));
      await s.log.append(intent('r2', 'staging'));
      await s.log.append(intent('r3'));
      await s.log.append(entry({ request: 'r2', alias: 'staging', result: 'ok' }));
      // Same request, another action: it answers no intent here.
      await s.log.append(entry({ request: 'r3', action: 'shift', result: 'ok' }));
      s.clock.advance(60_000);
      const pending = await s.log.pendingIntents(s.clock.now(), 10);
      expect(pending.map((r) => [r.id, r.request])).toEqual([
        ['1', 'r1'],
        ['3', 'r3'],
      ]);
      expect(await s.log.pendingIntents(new Date(0), 10)).toEqual([]);
      expect((await s.log.pendingIntents(s.clock.now(), 1)).map((r) => r.request)).toEqual(['r1']);
      await s.log.append(entry({ request: 'r1', result: 'error', actor: 'system' }));
      expect((await s.log.pendingIntents(s.clock.now(), 10)).map((r) => r.request)).toEqual(['r3']);
    });

    it('keeps a record’s account and region, next to records without them, and verifies both', async () => {
      await s.log.append(entry({ request: 'old' }));
      await s.log.append(entry({ request: 'placed', account: '222222222222', region: 'eu-west-1' }));
      const [old, placed] = await collect(s.log.export({}));
      expect(old).not.toHaveProperty('account');
      expect(placed).toMatchObject({ request: 'placed', account: '222222222222', region: 'eu-west-1' });
      expect((await s.log.recent({ fn: 'payments-api', limit: 1 }))[0]).toMatchObject({ region: 'eu-west-1' });
      expect(await s.log.verify()).toEqual({ ok: true, count: 2 });
    });

    it('an empty log verifies with no records, and reads as empty', async () => {
      expect(await s.log.verify()).toEqual({ ok: true, count: 0 });
      expect(await s.log.recent({ fn: 'payments-api', limit: 10 })).toEqual([]);
      expect(await collect(s.log.export({}))).toEqual([]);
    });

    it('seals each entry: consecutive ids from 1, prev is the hash before, time from the clock', async () => {
      const first = await s.log.append(entry({ request: 'r1' }));
      s.clock.advance(1500);
      const second = await s.log.append(entry({ request: 'r2', result: 'error' }));
      expect(first).toMatchObject({
        ...entry({ request: 'r1' }),
        id: '1',
        prev: GENESIS,
        at: '2025-01-01T00:00:00.000Z',
      });
      expect(second).toMatchObject({ id: '2', prev: first.hash, at: '2025-01-01T00:00:01.500Z', result: 'error' });
      expectChained([first, second]);
      expect(await s.log.verify()).toEqual({ ok: true, count: 2 });
    });

    it('keeps every field as written, snapshots and nulls included', async () => {
      const written = [
        await s.log.append(entry()),
        await s.log.append(entry({ function: null, alias: null, from: null, to: null, action: 'denied' })),
        await s.log.append(entry({ detail: 'ünïcødé "quoted" \n newline', result: 'pending' })),
      ];
      expect(await collect(s.log.export({}))).toEqual(written);
    });

    it('chains concurrent appends of one caller in the order they were made', async () => {
      const records = await Promise.all(
        Array.from({ length: 150 }, (_, i) => s.log.append(entry({ request: `r${i}` }))),
      );
      expect(records.map((r) => r.request)).toEqual(Array.from({ length: 150 }, (_, i) => `r${i}`));
      expectChained(records);
      expect(await s.log.verify()).toEqual({ ok: true, count: 150 });
    });

    it('200 concurrent appends from 4 replicas form one chain: ids 1..200, no gap, no duplicate', async () => {
      const replicas = [s.log, await s.replica(), await s.replica(), await s.replica()];
      const appended = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          (replicas[i % 4] as AuditLog).append(entry({ request: `r${i}`, actor: `U${i % 4}` })),
        ),
      );
      const ids = appended.map((r) => Number(r.id)).sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      const stored = await collect(s.log.export({}));
      expect(stored).toEqual([...appended].sort((a, b) => Number(a.id) - Number(b.id)));
      expectChained(stored);
      expect(await s.log.verify()).toEqual({ ok: true, count: 200 });
      expect(await replicas[3]?.verify()).toEqual({ ok: true, count: 200 });
    });

    describe('recent', () => {
      beforeEach(async () => {
        const rows: Partial<AuditEntry>[] = [
          { alias: 'prod', action: 'promote', result: 'ok', request: 'a' },
          { alias: 'staging', action: 'promote', result: 'ok', request: 'b' },
          { alias: 'prod', action: 'shift', result: 'denied', request: 'c' },
          { function: 'orders-api', alias: 'prod', action: 'promote', request: 'd' },
          { function: null, alias: null, action: 'denied', result: 'denied', request: 'e' },
          { alias: 'prod', action: 'rollback', result: 'error', request: 'f' },
          { alias: 'prod', action: 'promote', result: 'pending', request: 'g' },
        ];
        for (const row of rows) await s.log.append(entry(row));
      });

      const requests = (records: AuditRecord[]) => records.map((r) => r.request);

      it('newest first, one function only', async () => {
        expect(requests(await s.log.recent({ fn: 'payments-api', limit: 10 }))).toEqual(['g', 'f', 'c', 'b', 'a']);
        expect(requests(await s.log.recent({ fn: 'orders-api', limit: 10 }))).toEqual(['d']);
        expect(await s.log.recent({ fn: 'no-such-fn', limit: 10 })).toEqual([]);
      });

      it('filters by alias, actions and results, then applies the limit', async () => {
        expect(requests(await s.log.recent({ fn: 'payments-api', alias: 'prod', limit: 10 }))).toEqual([
          'g',
          'f',
          'c',
          'a',
        ]);
        expect(requests(await s.log.recent({ fn: 'payments-api', actions: ['promote'], limit: 10 }))).toEqual([
          'g',
          'b',
          'a',
        ]);
        expect(
          requests(
            await s.log.recent({ fn: 'payments-api', actions: ['shift', 'rollback'], results: ['error'], limit: 10 }),
          ),
        ).toEqual(['f']);
        expect(requests(await s.log.recent({ fn: 'payments-api', results: ['ok', 'denied'], limit: 10 }))).toEqual([
          'c',
          'b',
          'a',
        ]);
        expect(requests(await s.log.recent({ fn: 'payments-api', alias: 'prod', limit: 2 }))).toEqual(['g', 'f']);
        expect(await s.log.recent({ fn: 'payments-api', limit: 0 })).toEqual([]);
      });

      it('returns whole records, as stored', async () => {
        const [newest] = await s.log.recent({ fn: 'payments-api', limit: 1 });
        const all = await collect(s.log.export({}));
        expect(newest).toEqual(all.at(-1));
      });
    });

    it('finds the newest matches among many records of the function', async () => {
      for (let i = 0; i < 450; i++) {
        await s.log.append(entry({ request: `r${i}`, alias: i % 150 === 0 ? 'rare' : 'prod' }));
      }
      const found = await s.log.recent({ fn: 'payments-api', alias: 'rare', limit: 5 });
      expect(found.map((r) => r.request)).toEqual(['r300', 'r150', 'r0']);
    });

    it('exports oldest first, filtered by function and by time (at >= since)', async () => {
      for (const [i, fn] of ['payments-api', 'orders-api', 'payments-api', null, 'payments-api'].entries()) {
        await s.log.append(entry({ function: fn, request: `r${i}` }));
        s.clock.advance(60_000);
      }
      const requests = async (filter: { fn?: string; since?: Date }) =>
        (await collect(s.log.export(filter))).map((r) => r.request);
      expect(await requests({})).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
      expect(await requests({ fn: 'payments-api' })).toEqual(['r0', 'r2', 'r4']);
      expect(await requests({ since: new Date('2025-01-01T00:02:00.000Z') })).toEqual(['r2', 'r3', 'r4']);
      expect(await requests({ fn: 'payments-api', since: new Date('2025-01-01T00:01:00.001Z') })).toEqual(['r2', 'r4']);
      expect(await requests({ since: new Date('2030-01-01T00:00:00.000Z') })).toEqual([]);
    });
  });
}
