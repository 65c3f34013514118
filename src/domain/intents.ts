/**
 * Settling an intent whose outcome never came (CONTRACT §13): a crash, or a Redis failover that lost
 * the outcome record, between the AWS call and its record. What AWS holds now decides, purely.
 */
import type { AuditRecord, Snapshot } from './audit.js';

/** The detail of a publish intent: what the settler reads the intended code back from. */
export function publishIntentDetail(codeSha256: string, description: string | undefined): string {
  return `publish $LATEST (code ${codeSha256.slice(0, 12)}…)${description ? `: ${description}` : ''}`;
}

/** The code prefix a publish intent named, or undefined when the detail is not one of ours. */
export function intendedCode(detail: string): string | undefined {
  return /^publish \$LATEST \(code ([A-Za-z0-9+/=]{1,12})…\)/.exec(detail)?.[1];
}

/** What the settler found in AWS for an intent. */
export type Observed =
  /**
   * The alias as it is now, and the changes of it recorded after the intent (oldest first): the
   * first of those says what the alias held right after it, whatever happened since.
   */
  | { readonly kind: 'alias'; readonly now: Snapshot; readonly later?: readonly LaterChange[] }
  /** The function's published versions now (a publish intent). */
  | { readonly kind: 'versions'; readonly versions: readonly { version: string; codeSha256: string }[] }
  /** It cannot be read any more (its function left the policy file, the alias is gone). */
  | { readonly kind: 'gone'; readonly why: string };

/** A change of the alias recorded (`ok`) after the intent. */
export interface LaterChange {
  readonly id: string;
  readonly from: Snapshot | null;
}

export interface Settlement {
  readonly result: 'ok' | 'error';
  readonly detail: string;
}

/**
 * The outcome of an intent from what AWS holds: the change made (the alias holds the routing the
 * intent named; a version holds the code it published) → `ok`, recovered; otherwise `error`, not
 * applied.
 * @example settle(promoteTo43, { kind: 'alias', now: { version: '43', weights: { '43': 1 } } }).result === 'ok'
 */
export function settle(intent: AuditRecord, observed: Observed): Settlement {
  switch (observed.kind) {
    case 'gone':
      return { result: 'error', detail: `outcome unknown, taken as not applied: ${observed.why}` };
    case 'alias': {
      // The alias may have moved again since (a busy alias, minutes later): then what the next recorded
      // change started from tells whether this one was made, and AWS as it is now says nothing.
      const next = observed.later?.find((c) => Number(c.id) > Number(intent.id) && c.from !== null);
      if (next?.from) {
        if (intent.to && sameSnapshot(intent.to, next.from)) {
          return {
            result: 'ok',
            detail: `recovered: record ${next.id}, the next change of the alias, started from the routing of intent ${intent.id}`,
          };
        }
        if (intent.from && sameSnapshot(intent.from, next.from)) {
          return {
            result: 'error',
            detail: `not applied: record ${next.id}, the next change of the alias, started from where intent ${intent.id} did`,
          };
        }
        return {
          result: 'error',
          detail: `outcome unknown, taken as not applied: record ${next.id}, the next change of the alias, started from neither the routing before nor after intent ${intent.id}`,
        };
      }
      if (intent.to && sameSnapshot(intent.to, observed.now)) {
        return { result: 'ok', detail: `recovered: the alias holds the routing of intent ${intent.id}` };
      }
      return { result: 'error', detail: `not applied: the alias does not hold the routing of intent ${intent.id}` };
    }
    case 'versions': {
      const code = intendedCode(intent.detail);
      const found = code === undefined ? undefined : observed.versions.find((v) => v.codeSha256.startsWith(code));
      return found
        ? { result: 'ok', detail: `recovered: v${found.version} holds the code of intent ${intent.id}` }
        : { result: 'error', detail: `not applied: no version holds the code of intent ${intent.id}` };
    }
  }
}

function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  if (a.version !== b.version) return false;
  const keys = new Set([...Object.keys(a.weights), ...Object.keys(b.weights)]);
  // Weights travel through AWS as floats: equal within a rounding error, never by more.
  return [...keys].every((k) => Math.abs((a.weights[k] ?? 0) - (b.weights[k] ?? 0)) < 1e-9);
}
