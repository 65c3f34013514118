import { randomBytes } from 'node:crypto';
import type { SeenState } from '../../src/domain/alarm-transition.js';
import type { Alert, AlertDecision, AlertTask } from '../../src/domain/alert.js';
import type { AlertEffect, AlertStore, MessageRef, RecordResult } from '../../src/ports.js';

type TaskState = 'due' | 'done' | { readonly token: number; readonly at: number };

interface Stored {
  alert: Omit<Alert, 'undelivered'>;
  tasks: Partial<Record<AlertTask, TaskState>>;
  /** When a message of the alert is next due (epoch ms); meaningless once all are done. */
  due: number;
}

/**
 * The alert store in memory, with the Redis store's rules (checked by the same contract suite).
 * Each method completes without awaiting in between, as a Lua script runs in Redis: concurrent
 * callers interleave only between calls. Values are copied in and out.
 */
export class MemoryAlertStore implements AlertStore {
  private readonly states = new Map<string, SeenState>();
  private readonly alerts = new Map<string, Stored>();
  private readonly open = new Map<string, Set<string>>();

  async seen(alarms: readonly string[]): Promise<ReadonlyMap<string, SeenState>> {
    const found = new Map<string, SeenState>();
    for (const name of alarms) {
      const state = this.states.get(name);
      if (state) found.set(name, { ...state });
    }
    return found;
  }

  async record(
    alarm: string,
    expected: SeenState | undefined,
    next: SeenState,
    effect: AlertEffect,
  ): Promise<RecordResult> {
    const current = this.states.get(alarm);
    const same =
      current === undefined
        ? expected === undefined
        : current.state === expected?.state && current.since === expected.since;
    if (!same) return { recorded: false, resolved: [] };
    this.states.set(alarm, { ...next });
    if (effect.kind === 'alert') {
      const id = `al${randomBytes(8).toString('hex')}`;
      this.alerts.set(id, {
        alert: { ...structuredClone(effect.facts), id, failures: 0, rev: 1 },
        tasks: { post: 'due' },
        due: Date.parse(effect.facts.raisedAt),
      });
      this.openOf(alarm).add(id);
      return { recorded: true, alert: this.view(id) as Alert, resolved: [] };
    }
    const resolved: Alert[] = [];
    if (effect.kind === 'resolve') {
      for (const id of this.openOf(alarm)) {
        const stored = this.alerts.get(id);
        if (!stored) continue;
        stored.alert = {
          ...stored.alert,
          resolved: { at: effect.at, reason: effect.reason },
          rev: stored.alert.rev + 1,
        };
        stored.tasks.resolve = 'due';
        resolved.push(this.view(id) as Alert);
      }
      this.open.delete(alarm);
    }
    return { recorded: true, resolved };
  }

  async undelivered(now: Date, limit: number): Promise<Alert[]> {
    return [...this.alerts.entries()]
      .filter(([, s]) => this.pending(s) && s.due <= now.getTime())
      .sort(([, a], [, b]) => a.due - b.due)
      .slice(0, limit)
      .map(([id]) => this.view(id) as Alert);
  }

  async take(id: string, task: AlertTask, token: number, now: Date, takeoverMs: number): Promise<boolean> {
    const stored = this.alerts.get(id);
    const state = stored?.tasks[task];
    if (!stored || state === undefined || state === 'done') return false;
    if (task === 'resolve' && stored.tasks.post !== 'done') return false;
    const free = state === 'due' || (state.token < token && now.getTime() - state.at >= takeoverMs);
    if (!free) return false;
    stored.tasks[task] = { token, at: now.getTime() };
    return true;
  }

  async delivered(id: string, task: AlertTask, ref?: MessageRef): Promise<void> {
    const stored = this.alerts.get(id);
    if (!stored) return;
    stored.tasks[task] = 'done';
    stored.alert = {
      ...stored.alert,
      ...(ref ? { ref: { channel: ref.channel, ts: ref.ts } } : {}),
      rev: stored.alert.rev + 1,
    };
  }

  async giveBack(id: string, task: AlertTask, token: number, retryAt: Date): Promise<void> {
    const stored = this.alerts.get(id);
    const state = stored?.tasks[task];
    if (!stored || typeof state !== 'object' || state.token !== token) return;
    stored.tasks[task] = 'due';
    stored.due = retryAt.getTime();
    stored.alert = { ...stored.alert, failures: stored.alert.failures + 1 };
  }

  async get(id: string): Promise<Alert | undefined> {
    return this.view(id);
  }

  async decide(id: string, decision: AlertDecision): Promise<{ decided: boolean; alert?: Alert }> {
    const stored = this.alerts.get(id);
    if (!stored) return { decided: false };
    const { alert } = stored;
    if (alert.rolledBack || (decision.kind === 'ack' && alert.ack))
      return { decided: false, alert: this.view(id) as Alert };
    const { kind, ...rest } = decision;
    stored.alert = {
      ...alert,
      ...(kind === 'ack'
        ? { ack: { ...(rest as NonNullable<Alert['ack']>) } }
        : { rolledBack: { ...rest } as NonNullable<Alert['rolledBack']> }),
      rev: alert.rev + 1,
    };
    return { decided: true, alert: this.view(id) as Alert };
  }

  /** Test helper: the alerts raised, in order. */
  all(): Alert[] {
    return [...this.alerts.values()]
      .sort((a, b) => Date.parse(a.alert.raisedAt) - Date.parse(b.alert.raisedAt))
      .map((s) => this.view(s.alert.id) as Alert);
  }

  private pending(stored: Stored): boolean {
    return Object.values(stored.tasks).some((t) => t !== 'done');
  }

  private view(id: string): Alert | undefined {
    const stored = this.alerts.get(id);
    if (!stored) return undefined;
    const undelivered = (['post', 'resolve'] as const).filter(
      (t) => stored.tasks[t] !== undefined && stored.tasks[t] !== 'done',
    );
    return structuredClone({ ...stored.alert, undelivered });
  }

  private openOf(alarm: string): Set<string> {
    let set = this.open.get(alarm);
    if (!set) {
      set = new Set();
      this.open.set(alarm, set);
    }
    return set;
  }
}
