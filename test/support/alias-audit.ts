/**
 * Compares what the emulator says happened to an alias (its alias history) with what the audit
 * log says: "no change in AWS without its audit record".
 */
import type { AuditRecord, Snapshot } from '../../src/domain/audit.js';

export interface AliasHistoryEntry {
  readonly functionVersion: string;
  readonly routing: Record<string, number>;
  readonly operation: string;
}

/** The emulator's routing as the audit log writes it: every version's share. */
export function asSnapshot(entry: Pick<AliasHistoryEntry, 'functionVersion' | 'routing'>): Snapshot {
  const extra = Object.values(entry.routing).reduce((sum, w) => sum + w, 0);
  return { version: entry.functionVersion, weights: { [entry.functionVersion]: round(1 - extra), ...entry.routing } };
}

export function sameSnapshot(a: Snapshot | null | undefined, b: Snapshot | null | undefined): boolean {
  if (!a || !b || a.version !== b.version) return false;
  const keys = new Set([...Object.keys(a.weights), ...Object.keys(b.weights)]);
  return [...keys].every((k) => Math.abs((a.weights[k] ?? 0) - (b.weights[k] ?? 0)) < 1e-9);
}

/**
 * The UpdateAlias changes of one alias that no intent record describes, in order: each change
 * must match a write-ahead record (result `pending`) of that alias with the same `to`, each
 * record used once. Returns the changes left over (none, when the audit log covers AWS).
 */
export function undescribed(
  history: readonly AliasHistoryEntry[],
  records: readonly AuditRecord[],
  fn: string,
  alias: string,
): AliasHistoryEntry[] {
  const intents = records.filter((r) => r.function === fn && r.alias === alias && r.result === 'pending');
  let next = 0;
  const missing: AliasHistoryEntry[] = [];
  for (const change of history.filter((h) => h.operation === 'UpdateAlias')) {
    const at = intents.findIndex((r, i) => i >= next && sameSnapshot(r.to, asSnapshot(change)));
    if (at < 0) missing.push(change);
    else next = at + 1;
  }
  return missing;
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
