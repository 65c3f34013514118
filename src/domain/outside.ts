/**
 * Changes made outside the bot (CONTRACT §10): what the watch last accounted for of a function, what
 * AWS holds now, and the difference, computed purely (as gitops-engine's diff: desired against live).
 * The watch loop only fetches, diffs and acts.
 */
import { type Routing, sameRouting, splitText } from './routing.js';

/** An alias as the watch last accounted for it. */
export interface WatchedAlias {
  readonly routing: Routing;
  readonly revisionId: string;
  /** When the watch first saw this revision (absent in states recorded before it was kept). */
  readonly seenAt?: string;
}

/** What the watch knows of one function: its aliases and its newest published version. */
export interface FunctionWatch {
  readonly aliases: Readonly<Record<string, WatchedAlias>>;
  /** The newest published version accounted for (0: none). */
  readonly newestVersion: number;
  /**
   * Where the next read of versions starts: the marker of the last page read, so that each watch reads
   * one page of ListVersionsByFunction, not the whole list.
   */
  readonly versionsMarker?: string;
}

/** An alias as AWS holds it now. */
export interface SeenAlias {
  readonly alias: string;
  readonly routing: Routing;
  readonly revisionId: string;
}

export type OutsideChange =
  | {
      readonly kind: 'alias-moved';
      readonly alias: string;
      readonly before: Routing;
      readonly after: Routing;
      readonly revisionId: string;
    }
  | { readonly kind: 'alias-created'; readonly alias: string; readonly after: Routing; readonly revisionId: string }
  | { readonly kind: 'alias-deleted'; readonly alias: string; readonly before: Routing }
  | { readonly kind: 'version-published'; readonly version: string; readonly description: string };

/** The bot's last write of an alias, from its alias memory. */
export interface OwnWrite {
  readonly revisionId: string;
  readonly routing: Routing;
  readonly at: string;
}

/** What the bot itself did, that the watch must never report. */
export interface OwnChanges {
  /** The bot's last write of each alias. */
  readonly written: Readonly<Record<string, OwnWrite | undefined>>;
  /** Aliases a change of the bot's is working on right now (their lock is held): looked at next time. */
  readonly busy: ReadonlySet<string>;
  /** Versions the bot published. */
  readonly published: ReadonlySet<string>;
  /** A publish of the bot's is under way (its lock is held): new versions are looked at next time. */
  readonly publishing?: boolean;
}

/**
 * The aliases' changes since `known`, and what to account for from now on (`at`: now). An alias the
 * bot wrote last (its RevisionId is the bot's) is accounted for silently; a busy one is left as it was
 * known. A change is measured from the newer of what the watch saw and what the bot wrote since: the
 * bot may have moved the alias after the last watch and someone else right after it.
 * @example diffAliases({ prod: { routing: v3, revisionId: 'a' } }, [{ alias: 'prod', routing: v4, revisionId: 'b' }], none, at)
 *   → { changes: [{ kind: 'alias-moved', alias: 'prod', before: v3, after: v4, revisionId: 'b' }], next: { prod: v4@b } }
 */
export function diffAliases(
  known: Readonly<Record<string, WatchedAlias>>,
  seen: readonly SeenAlias[],
  own: OwnChanges,
  at: string,
): { changes: OutsideChange[]; next: Record<string, WatchedAlias> } {
  const changes: OutsideChange[] = [];
  const next: Record<string, WatchedAlias> = {};
  const present = new Set<string>();
  for (const s of seen) {
    present.add(s.alias);
    const watched = known[s.alias];
    if (own.busy.has(s.alias)) {
      if (watched) next[s.alias] = watched;
      continue;
    }
    if (watched?.revisionId === s.revisionId) {
      next[s.alias] = watched;
      continue;
    }
    next[s.alias] = { routing: s.routing, revisionId: s.revisionId, seenAt: at };
    if (own.written[s.alias]?.revisionId === s.revisionId) continue;
    const before = lastKnown(watched, own.written[s.alias]);
    // A new revision with the same routing (a description edited, say) moves no traffic: not worth an alert.
    if (before && sameRouting(before, s.routing)) continue;
    changes.push(
      before
        ? { kind: 'alias-moved', alias: s.alias, before, after: s.routing, revisionId: s.revisionId }
        : { kind: 'alias-created', alias: s.alias, after: s.routing, revisionId: s.revisionId },
    );
  }
  for (const [alias, watched] of Object.entries(known)) {
    if (present.has(alias)) continue;
    if (own.busy.has(alias)) next[alias] = watched;
    else
      changes.push({ kind: 'alias-deleted', alias, before: lastKnown(watched, own.written[alias]) ?? watched.routing });
  }
  return { changes, next };
}

/**
 * The alias's routing as last known: the bot's write when it came after what the watch saw (or the
 * watch never saw the alias), else what the watch saw.
 */
function lastKnown(watched: WatchedAlias | undefined, written: OwnWrite | undefined): Routing | undefined {
  if (!written || written.revisionId === watched?.revisionId) return watched?.routing;
  if (!watched) return written.routing;
  return watched.seenAt !== undefined && Date.parse(written.at) > Date.parse(watched.seenAt)
    ? written.routing
    : watched.routing;
}

/**
 * Versions newer than the newest accounted for, other than the bot's own publishes, and the newest
 * from now on. `page` is one page of ListVersionsByFunction (ascending), `$LATEST` excluded.
 */
export function newVersions(
  newest: number,
  page: readonly { readonly version: string; readonly description: string }[],
  own: OwnChanges,
): { changes: OutsideChange[]; newest: number } {
  const changes: OutsideChange[] = [];
  if (own.publishing) return { changes, newest };
  let top = newest;
  for (const v of page) {
    const n = Number(v.version);
    if (!Number.isSafeInteger(n) || n <= newest) continue;
    top = Math.max(top, n);
    if (!own.published.has(v.version))
      changes.push({ kind: 'version-published', version: v.version, description: v.description });
  }
  return { changes, newest: top };
}

/**
 * The change in words, for the alert, the audit record and the log.
 * @example describeChange({ kind: 'alias-moved', alias: 'prod', before: v3, after: v4, … }) === 'prod moved from 100% v3 to 100% v4'
 */
export function describeChange(change: OutsideChange): string {
  switch (change.kind) {
    case 'alias-moved':
      return `${change.alias} moved from ${splitText(change.before)} to ${splitText(change.after)}`;
    case 'alias-created':
      return `${change.alias} was created, serving ${splitText(change.after)}`;
    case 'alias-deleted':
      return `${change.alias} was deleted (it served ${splitText(change.before)})`;
    case 'version-published':
      return `v${change.version} was published${change.description ? ` (${change.description})` : ''}`;
  }
}
