/**
 * What every ArchiveStore must do, run against each implementation (the in-memory fake here; the S3
 * adapter against the emulator runs the same suite).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveStore, ObjectLock } from '../../../src/ports.js';

export interface ArchiveStoreSubject {
  /** A store (or a part of one) in which nothing is under `prefix` yet. */
  readonly store: ArchiveStore;
  readonly prefix: string;
}

const LOCK: ObjectLock = { mode: 'GOVERNANCE', retainUntil: new Date('2032-01-01T00:00:00.000Z') };
const bytes = (text: string) => new TextEncoder().encode(text);

async function all(keys: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of keys) out.push(key);
  return out;
}

export function archiveStoreContract(name: string, make: () => Promise<ArchiveStoreSubject>): void {
  describe(`ArchiveStore contract: ${name}`, () => {
    let s: ArchiveStoreSubject;
    beforeEach(async () => {
      s = await make();
    });

    it('stores an object once: a second put of the key is a no-op that says so', async () => {
      const key = `${s.prefix}000000000001-a.jsonl.gz`;
      expect(await s.store.put(key, bytes('first'), LOCK)).toBe('written');
      expect(await s.store.put(key, bytes('second'), LOCK)).toBe('exists');
      expect(new TextDecoder().decode(await s.store.get(key))).toBe('first');
    });

    it('answers undefined for an object that is not there', async () => {
      expect(await s.store.get(`${s.prefix}missing`)).toBeUndefined();
      expect(await s.store.head(`${s.prefix}missing`)).toBeUndefined();
    });

    it('tells the size and the lock of an object', async () => {
      const key = `${s.prefix}locked`;
      await s.store.put(key, bytes('12345'), LOCK);
      const head = await s.store.head(key);
      expect(head?.size).toBe(5);
      expect(head?.lock?.mode).toBe('GOVERNANCE');
      expect(head?.lock?.retainUntil.toISOString()).toBe(LOCK.retainUntil.toISOString());
    });

    it('lists the keys under a prefix in lexicographic order, through every page, after a given key', async () => {
      const keys = Array.from({ length: 23 }, (_, i) => `${s.prefix}${String(i * 7).padStart(12, '0')}-x`);
      for (const key of [...keys].reverse()) await s.store.put(key, bytes(key), LOCK);
      await s.store.put(`${s.prefix.slice(0, -1)}-other/0`, bytes('elsewhere'), LOCK);
      expect(await all(s.store.list(s.prefix))).toEqual(keys);
      expect(await all(s.store.list(s.prefix, keys[10]))).toEqual(keys.slice(11));
      expect(await all(s.store.list(`${s.prefix}000000000007-`))).toEqual([keys[1]]);
      expect(await all(s.store.list(`${s.prefix}nothing-`))).toEqual([]);
    });
  });
}
