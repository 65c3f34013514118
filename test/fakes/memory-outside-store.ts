import { newId } from '../../src/domain/ids.js';
import type { FunctionWatch } from '../../src/domain/outside.js';
import type { OutsideAlert, OutsideDecision, OutsideFacts, WhoState } from '../../src/domain/outside-alert.js';
import type { MessageRef, OutsideStore } from '../../src/ports.js';

interface Stored {
  alert: OutsideAlert;
  post: 'due' | 'done' | { token: number; at: number };
  dueAt: number;
}

/** The outside-change watch in memory, with the Redis store's rules (one contract suite checks both). */
export class MemoryOutsideStore implements OutsideStore {
  private readonly watches = new Map<string, { state: FunctionWatch; rev: number }>();
  private readonly own = new Map<string, Set<string>>();
  private readonly alerts = new Map<string, Stored>();
  private readonly lookingIds: string[] = [];

  async watch(fn: string): Promise<{ state?: FunctionWatch; rev: number }> {
    const w = this.watches.get(fn);
    return w ? { state: structuredClone(w.state), rev: w.rev } : { rev: 0 };
  }

  async record(fn: string, rev: number, next: FunctionWatch, facts: readonly OutsideFacts[], at: Date) {
    if ((this.watches.get(fn)?.rev ?? 0) !== rev) return { recorded: false, alerts: [] };
    this.watches.set(fn, { state: structuredClone(next), rev: rev + 1 });
    const alerts = facts.map((f): OutsideAlert => {
      const looking = f.change.kind !== 'version-published';
      const who: WhoState = looking
        ? { state: 'looking', since: f.detectedAt }
        : { state: 'unknown', why: 'not looked up for a note' };
      const alert: OutsideAlert = { ...structuredClone(f), id: newId('x'), who, rev: 1 };
      this.alerts.set(alert.id, { alert, post: 'due', dueAt: at.getTime() });
      if (looking) this.lookingIds.push(alert.id);
      return alert;
    });
    return { recorded: true, alerts };
  }

  async published(fn: string, version: string): Promise<void> {
    this.own.set(fn, (this.own.get(fn) ?? new Set()).add(version));
  }

  async publishedVersions(fn: string): Promise<ReadonlySet<string>> {
    return new Set(this.own.get(fn));
  }

  async undelivered(now: Date, limit: number): Promise<OutsideAlert[]> {
    return [...this.alerts.values()]
      .filter((s) => s.post !== 'done' && s.dueAt <= now.getTime())
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit)
      .map((s) => structuredClone(s.alert));
  }

  async take(id: string, token: number, now: Date, takeoverMs: number): Promise<boolean> {
    const s = this.alerts.get(id);
    if (!s || s.post === 'done') return false;
    const free = s.post === 'due' || (s.post.token < token && now.getTime() - s.post.at >= takeoverMs);
    if (free) s.post = { token, at: now.getTime() };
    return free;
  }

  async delivered(id: string, ref: MessageRef): Promise<void> {
    const s = this.alerts.get(id);
    if (!s) return;
    s.post = 'done';
    s.alert = { ...s.alert, ref, rev: s.alert.rev + 1 };
  }

  async giveBack(id: string, token: number, retryAt: Date): Promise<void> {
    const s = this.alerts.get(id);
    if (s && typeof s.post === 'object' && s.post.token === token) {
      s.post = 'due';
      s.dueAt = retryAt.getTime();
    }
  }

  async get(id: string): Promise<OutsideAlert | undefined> {
    const s = this.alerts.get(id);
    return s ? structuredClone(s.alert) : undefined;
  }

  async looking(limit: number): Promise<OutsideAlert[]> {
    return this.lookingIds.slice(0, limit).flatMap((id) => {
      const s = this.alerts.get(id);
      return s ? [structuredClone(s.alert)] : [];
    });
  }

  async identify(id: string, who: WhoState): Promise<boolean> {
    const at = this.lookingIds.indexOf(id);
    if (at !== -1) this.lookingIds.splice(at, 1);
    const s = this.alerts.get(id);
    if (s?.alert.who.state !== 'looking') return false;
    s.alert = { ...s.alert, who, rev: s.alert.rev + 1 };
    return true;
  }

  async decide(id: string, decision: OutsideDecision): Promise<{ decided: boolean; alert?: OutsideAlert }> {
    const s = this.alerts.get(id);
    if (!s) return { decided: false };
    const a = s.alert;
    const settling = decision.kind === 'revert' || decision.kind === 'accept';
    if (settling && (a.reverted || a.accepted)) return { decided: false, alert: structuredClone(a) };
    const patch =
      decision.kind === 'revert'
        ? {
            reverted: {
              by: decision.by,
              at: decision.at,
              to: decision.to,
              ...(decision.auditId ? { auditId: decision.auditId } : {}),
            },
          }
        : decision.kind === 'accept'
          ? { accepted: { by: decision.by, at: decision.at } }
          : decision.kind === 'revert-failed'
            ? { revertFailed: decision.why }
            : { pausedRollout: decision.rollout };
    s.alert = { ...a, ...patch, rev: a.rev + 1 };
    return { decided: true, alert: structuredClone(s.alert) };
  }
}
