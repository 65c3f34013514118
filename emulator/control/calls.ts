import { type Place, placeKey } from '../core/place.js';

/**
 * Counts of calls per `service.Operation` since the last reset, in total and per place (`account/region`), for
 * tests to assert on (retries, faulted and refused calls included).
 */
export class CallCounter {
  private counts = new Map<string, number>();
  private readonly places = new Map<string, Map<string, number>>();

  record(service: string, operation: string, where: Place): void {
    const key = `${service}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const at = placeKey(where);
    let counts = this.places.get(at);
    if (!counts) {
      counts = new Map();
      this.places.set(at, counts);
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }

  /** `{"lambda.UpdateAlias": 2, …}` over every place. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** `{"222222222222/eu-west-1": {"lambda.UpdateAlias": 1}, …}`. */
  byPlace(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.places].map(([at, counts]) => [at, Object.fromEntries(counts)]));
  }

  clear(): void {
    this.counts.clear();
    this.places.clear();
  }
}
