import type { Place } from '../core/place.js';
import type { Bucket } from './model.js';

/**
 * Every bucket of every account and region. Bucket names are one namespace, as in an AWS partition: a name belongs
 * to one account in one region (the bucket's place), and other accounts and regions see it as taken.
 */
export class S3Store {
  private readonly buckets = new Map<string, Bucket>();

  get(name: string): Bucket | undefined {
    return this.buckets.get(name);
  }

  add(bucket: Bucket): void {
    this.buckets.set(bucket.name, bucket);
  }

  delete(name: string): void {
    this.buckets.delete(name);
  }

  /** The buckets of one account, in every region, by name (ListBuckets). */
  ownedBy(account: string): Bucket[] {
    return [...this.buckets.values()]
      .filter((b) => b.place.account === account)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Every bucket with its place and how many versions it holds (the control API). */
  summary(): { name: string; place: Place; objects: number; versions: number }[] {
    return [...this.buckets.values()].map((b) => ({
      name: b.name,
      place: b.place,
      objects: [...b.keys.values()].filter((v) => v[v.length - 1]?.kind === 'object').length,
      versions: [...b.keys.values()].reduce((n, v) => n + v.length, 0),
    }));
  }

  clear(): void {
    this.buckets.clear();
  }
}
