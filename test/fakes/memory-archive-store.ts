import type { ArchiveStore, ObjectLock } from '../../src/ports.js';

/**
 * A write-once object store in memory, as S3 with Object Lock behaves for the archiver: a put never
 * replaces an object, and listing is lexicographic, in pages. A test can make it fail (`failing`),
 * read or damage what it holds (`objects`), or remove an object as an administrator could.
 */
export class MemoryArchiveStore implements ArchiveStore {
  readonly objects = new Map<string, { body: Uint8Array; lock: ObjectLock }>();
  /** While set, every call rejects with it, as an unreachable or denying S3 would. */
  failing?: Error;
  puts = 0;

  /** `pageSize`: keys a listing page holds, small in tests so that paging is exercised. */
  constructor(private readonly pageSize = 1000) {}

  async put(key: string, body: Uint8Array, lock: ObjectLock): Promise<'written' | 'exists'> {
    this.mustWork();
    this.puts++;
    if (this.objects.has(key)) return 'exists';
    this.objects.set(key, { body: Uint8Array.from(body), lock: { ...lock } });
    return 'written';
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    this.mustWork();
    const object = this.objects.get(key);
    return object && Uint8Array.from(object.body);
  }

  async *list(prefix: string, startAfter?: string): AsyncIterable<string> {
    let after = startAfter;
    for (;;) {
      this.mustWork();
      const page = [...this.objects.keys()]
        .filter((k) => k.startsWith(prefix) && (after === undefined || k > after))
        .sort()
        .slice(0, this.pageSize);
      yield* page;
      if (page.length < this.pageSize) return;
      after = page.at(-1);
    }
  }

  async head(key: string): Promise<{ size: number; lock: ObjectLock } | undefined> {
    this.mustWork();
    const object = this.objects.get(key);
    return object && { size: object.body.byteLength, lock: object.lock };
  }

  /** Keys in listing order. */
  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  private mustWork(): void {
    if (this.failing) throw this.failing;
  }
}
