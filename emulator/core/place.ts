/**
 * A place is where AWS keeps a resource: one account in one region. Every piece of emulated state (functions,
 * alarms, metrics, traffic, CloudTrail events) lives in exactly one place, and every ARN the emulator writes is
 * built from one. It is passed around whole, like aws-cdk's Environment, never as two loose strings.
 */
export interface Place {
  readonly account: string;
  readonly region: string;
}

/** The account of a request whose access key names no other (no header, or an ordinary key such as `x`). */
export const DEFAULT_ACCOUNT = '000000000000';

/** The region used when a request carries no SigV4 credential scope. */
export const DEFAULT_REGION = 'us-east-1';

const ACCOUNT_ID = /^\d{12}$/;

/** True for a 12-digit AWS account id. */
export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID.test(value);
}

/** A place; both parts default, so `place()` is the emulator's default account in us-east-1. */
export function place(account: string = DEFAULT_ACCOUNT, region: string = DEFAULT_REGION): Place {
  return { account, region };
}

/**
 * The text form of a place, used as a map key and in the control API (`GET /_emulator/calls?by=place`).
 *
 * @example placeKey({ account: '222222222222', region: 'eu-west-1' }) // '222222222222/eu-west-1'
 */
export function placeKey(p: Place): string {
  return `${p.account}/${p.region}`;
}

/** True when two places are the same account and region. */
export function samePlace(a: Place, b: Place): boolean {
  return a.account === b.account && a.region === b.region;
}

/**
 * State kept apart per place, created empty on first use. Stores hold one of these instead of a map per region, so
 * that two accounts can never share a function, an alarm or a metric by accident.
 */
export class PlaceMap<T> {
  private readonly entries = new Map<string, { place: Place; value: T }>();

  constructor(private readonly create: (p: Place) => T) {}

  /** The state of a place, created on first use. */
  at(p: Place): T {
    const key = placeKey(p);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { place: { account: p.account, region: p.region }, value: this.create(p) };
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  /** The state of a place, or undefined when nothing was ever kept there (reads need not create it). */
  peek(p: Place): T | undefined {
    return this.entries.get(placeKey(p))?.value;
  }

  /** Every place with state, in the order they were first used. */
  *all(): IterableIterator<[Place, T]> {
    for (const { place: p, value } of this.entries.values()) yield [p, value];
  }

  clear(): void {
    this.entries.clear();
  }
}
