/**
 * Every function the bot knows, each a Target built once from the policy: which account and region
 * it is in and its name there. Resolves what people type (a name, or an ARN) to exactly one of
 * them, or says why none (CONTRACT §9).
 */
import { BotError } from './errors.js';
import type { FunctionArg } from './grammar/values.js';
import type { Policy } from './policy-model.js';
import {
  type Account,
  BOT_SESSION,
  OWN_ACCOUNT,
  type Place,
  placeKey,
  placeLabel,
  type Target,
  type Where,
  whereOf,
} from './target.js';

/** The bot's own account and default region: where functions with no `account:`/`region:` are. */
export interface Home {
  readonly region: string;
  /** From STS GetCallerIdentity, when it answered at start. */
  readonly accountId?: string;
}

export class Fleet {
  readonly home: Place;
  private readonly byKey = new Map<string, Target>();
  private readonly placeList: Place[] = [];
  private readonly accounts = new Map<string, Account>();

  /**
   * Throws when two entries are one function in AWS: parsePolicy checks this when AWS_REGION is
   * set, and this catches it once the region the SDK found is known.
   */
  constructor(policy: Policy, home: Home) {
    const own: Account = { name: OWN_ACCOUNT, ...(home.accountId ? { id: home.accountId } : {}) };
    const accounts = this.accounts;
    for (const [name, a] of policy.accounts) {
      accounts.set(name, { name, id: a.id, roleArn: a.roleArn, ...(a.externalId ? { externalId: a.externalId } : {}) });
    }
    this.home = { account: own, region: home.region };
    const places = new Map<string, Place>();
    const seen = new Map<string, string>();
    for (const [fn, f] of policy.functions) {
      const account = f.account === undefined ? own : accounts.get(f.account);
      // parsePolicy refuses unknown accounts; this only guards a Policy built by hand.
      if (!account) throw new Error(`functions.${fn}: no account "${f.account}"`);
      const wanted: Place = { account, region: f.region ?? home.region };
      const key = placeKey(wanted);
      const place = places.get(key) ?? wanted;
      places.set(key, place);
      const first = seen.get(`${key}\u0000${f.name}`);
      if (first !== undefined) {
        throw new Error(
          `functions.${fn}: the same function as functions.${first} (${f.name} in ${placeLabel(place)}); one entry per function`,
        );
      }
      seen.set(`${key}\u0000${f.name}`, fn);
      this.byKey.set(fn, { fn, name: f.name, place, session: BOT_SESSION, managed: true });
    }
    this.placeList = [...places.values()];
  }

  /**
   * A place named by an account of the policy (absent: the bot's own) and a region (absent: home),
   * for what lives beside the functions, such as the audit archive's bucket (CONTRACT §14).
   */
  place(account?: string, region?: string): Place {
    const found = account === undefined ? this.home.account : this.accounts.get(account);
    if (!found) throw new Error(`no account "${account}" in the policy`);
    const wanted: Place = { account: found, region: region ?? this.home.region };
    return this.placeList.find((p) => placeKey(p) === placeKey(wanted)) ?? wanted;
  }

  /** A policy function by the name people type, in the bot's session. */
  get(fn: string): Target | undefined {
    return this.byKey.get(fn);
  }

  /**
   * The target of a policy function, or of any other name as a read-only function in the bot's
   * own account and region (reads are open to anyone; the policy refuses every write on it).
   */
  named(fn: string): Target {
    return this.byKey.get(fn) ?? this.unmanaged(fn);
  }

  /** A place as outcomes show it. */
  where(place: Place): Where {
    return whereOf(place, this.home);
  }

  /** Every policy function. */
  all(): readonly Target[] {
    return [...this.byKey.values()];
  }

  /** Every (account, region) the policy's functions are in, each once. */
  places(): readonly Place[] {
    return this.placeList;
  }

  /** The policy functions in one place. */
  at(place: Place): readonly Target[] {
    const key = placeKey(place);
    return this.all().filter((t) => placeKey(t.place) === key);
  }

  /**
   * What a person typed, as one target. A name is a policy key, else the AWS name of exactly one
   * policy function, else a function of the bot's own account and region. An ARN names the
   * policy function with that account, region and name, or the bot's own account and region, or
   * is refused saying what the bot knows there.
   * @example fleet.resolve({ fn: 'payments-api', region: 'us-east-1', account: '222222222222' }).fn === 'payments-api-us'
   */
  resolve(ref: FunctionArg): Target {
    if (ref.region === undefined && ref.account === undefined) {
      const byKey = this.byKey.get(ref.fn);
      if (byKey) return byKey;
      const byName = this.all().filter((t) => t.name === ref.fn);
      if (byName.length === 1) return byName[0] as Target;
      if (byName.length > 1) {
        throw new BotError('unknown-target', `${ref.fn} is the AWS name of ${listed(byName)}; name the one you mean`);
      }
      return this.unmanaged(ref.fn);
    }
    const matches = this.all().filter(
      (t) =>
        t.name === ref.fn &&
        (ref.region === undefined || t.place.region === ref.region) &&
        (ref.account === undefined || this.isAccount(t.place.account, ref.account)),
    );
    if (matches.length === 1) return matches[0] as Target;
    if (matches.length > 1) {
      throw new BotError('unknown-target', `that ARN fits ${listed(matches)}; give the full ARN with its region`);
    }
    const region = ref.region ?? this.home.region;
    const inHome =
      region === this.home.region && (ref.account === undefined || this.isAccount(this.home.account, ref.account));
    if (inHome) return this.unmanaged(ref.fn);
    throw new BotError('unknown-target', this.nowhere(ref, region));
  }

  private unmanaged(fn: string): Target {
    return { fn, name: fn, place: this.home, session: BOT_SESSION, managed: false };
  }

  /** The own account's ID may be unknown (STS did not answer at start): then services check the ARN AWS returns. */
  private isAccount(account: Account, id: string): boolean {
    if (account.id !== undefined) return account.id === id;
    return account.name === OWN_ACCOUNT && !this.all().some((t) => t.place.account.id === id);
  }

  private nowhere(ref: FunctionArg, region: string): string {
    const configured = this.all().find((t) => t.place.account.id === ref.account)?.place.account;
    const own = this.home.account;
    const account = configured ?? (ref.account === undefined || this.isAccount(own, ref.account) ? own : undefined);
    const where = !account
      ? `account ${ref.account}`
      : account.name === OWN_ACCOUNT
        ? `the bot's own account${account.id ? ` (${account.id})` : ''}`
        : `account ${account.name} (${account.id})`;
    const there = account ? this.all().filter((t) => t.place.account === account && t.name === ref.fn) : [];
    if (there.length > 0) return `the policy file has no ${ref.fn} in ${where}, ${region}; it has ${listed(there)}`;
    const reads = `the bot reads functions outside its policy file only in its own account and region (${placeLabel(this.home)})`;
    if (!account) return `that ARN is in ${where}, which is not an account of the policy file; ${reads}`;
    return `the policy file has no ${ref.fn} in ${where}, ${region}, and ${reads}`;
  }
}

function listed(targets: readonly Target[]): string {
  return targets.map((t) => `${t.fn} (${placeLabel(t.place)})`).join(', ');
}
