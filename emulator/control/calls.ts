import { type Place, placeKey } from '../core/place.js';

/** One call as the call log keeps it: when, what, where, and the request's path. */
export interface LoggedCall {
  /** The emulator's clock when the call arrived, in epoch milliseconds. */
  readonly at: number;
  readonly service: string;
  readonly operation: string;
  /** `account/region`. */
  readonly place: string;
  /** The request's path: for Lambda's REST API it names the function (`/2015-03-31/functions/fn/aliases`). */
  readonly path: string;
  /** The caller's ARN, when its credentials were recognised. */
  readonly caller?: string;
}

/** What the log keeps of a call besides what is counted. */
export interface CallDetails {
  readonly path?: string;
  readonly at?: number;
  readonly caller?: string | undefined;
}

/** The log keeps the newest calls only, so that a long-running emulator does not grow without bound. */
const LOG_LIMIT = 100_000;

/**
 * Counts of calls per `service.Operation` since the last reset, in total and per place (`account/region`), for
 * tests to assert on (retries, faulted and refused calls included); and a log of the newest calls with their time,
 * for benchmarks that measure how calls spread over time and over resources.
 */
export class CallCounter {
  private counts = new Map<string, number>();
  private readonly places = new Map<string, Map<string, number>>();
  private log: LoggedCall[] = [];

  record(service: string, operation: string, where: Place, details: CallDetails = {}): void {
    const key = `${service}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const place = placeKey(where);
    let counts = this.places.get(place);
    if (!counts) {
      counts = new Map();
      this.places.set(place, counts);
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const { path = '/', at = Date.now(), caller } = details;
    this.log.push({ at, service, operation, place, path, ...(caller ? { caller } : {}) });
    if (this.log.length > LOG_LIMIT * 1.1) this.log = this.log.slice(-LOG_LIMIT);
  }

  /** `{"lambda.UpdateAlias": 2, …}` over every place. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** `{"222222222222/eu-west-1": {"lambda.UpdateAlias": 1}, …}`. */
  byPlace(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.places].map(([at, counts]) => [at, Object.fromEntries(counts)]));
  }

  /** The logged calls, oldest first, of one service if given, at or after `since` (epoch ms) if given. */
  logged(filter: { service?: string; since?: number } = {}): LoggedCall[] {
    return this.log.filter(
      (c) =>
        (filter.service === undefined || c.service === filter.service) &&
        (filter.since === undefined || c.at >= filter.since),
    );
  }

  clear(): void {
    this.counts.clear();
    this.places.clear();
    this.log = [];
  }
}
