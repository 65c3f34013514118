import { randomBytes } from 'node:crypto';
import type { SeenState } from '../../src/domain/alarm-transition.js';
import type { Alert, AlertDecision, AlertTask, ThreadNote } from '../../src/domain/alert.js';
import type { AlertEffect, AlertStore, MessageRef, RecordResult } from '../../src/ports.js';

type TaskState = 'due' | 'done' | { readonly token: number; readonly at: number };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Stored {
  alert: Omit<Alert, 'undelivered' | 'notes'>;
  tasks: Partial<Record<AlertTask, TaskState>>;
  /** Thread notes not yet delivered, and the last seq given. */
  notes: ThreadNote[];
  seq: number;
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
  private readonly latestOf = new Map<string, string>();

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
    const none = { recorded: false, resolved: [], noted: [] };
    if (!same || (effect.kind === 'reopen' && !this.alerts.has(effect.id))) return none;
    this.states.set(alarm, { ...next });
    switch (effect.kind) {
      case 'none':
        return { ...none, recorded: true };
      case 'alert': {
        const id = `al${randomBytes(8).toString('hex')}`;
        const { facts } = effect;
        this.alerts.set(id, {
          alert: { ...structuredClone(facts), id, count: 1, lastAlarmAt: facts.since, failures: 0, rev: 1 },
          tasks: { post: 'due' },
          notes: [],
          seq: 0,
          due: Date.parse(facts.raisedAt),
        });
        this.openOf(alarm).add(id);
        this.latestOf.set(alarm, id);
        return { ...none, recorded: true, alert: this.view(id) as Alert };
      }
      case 'reopen': {
        const stored = this.alerts.get(effect.id) as Stored;
        const { resolved: _r, noData: _n, ...alert } = stored.alert;
        stored.alert = {
          ...alert,
          count: effect.count,
          lastAlarmAt: effect.at,
          context: structuredClone(effect.context),
        };
        const { at, reason, count } = effect;
        this.note(stored, { kind: 'reopened', at, reason, count }, effect.due);
        this.openOf(alarm).add(effect.id);
        return { ...none, recorded: true, reopened: this.view(effect.id) as Alert };
      }
      case 'resolve':
      case 'no-data': {
        const touched: Alert[] = [];
        const state = { at: effect.at, reason: effect.reason };
        for (const id of this.openOf(alarm)) {
          const stored = this.alerts.get(id);
          if (!stored) continue;
          if (effect.kind === 'resolve') stored.alert = { ...stored.alert, resolved: state };
          else stored.alert = { ...stored.alert, noData: state };
          this.note(stored, { kind: effect.kind === 'resolve' ? 'resolved' : 'no-data', ...state }, effect.due);
          touched.push(this.view(id) as Alert);
        }
        if (effect.kind === 'resolve') this.open.delete(alarm);
        return { ...none, recorded: true, [effect.kind === 'resolve' ? 'resolved' : 'noted']: touched };
      }
    }
  }

  async latest(alarm: string): Promise<Alert | undefined> {
    const id = this.latestOf.get(alarm);
    return id === undefined ? undefined : this.view(id);
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
    if (task === 'thread' && stored.tasks.post !== 'done') return false;
    const free = state === 'due' || (state.token < token && now.getTime() - state.at >= takeoverMs);
    if (!free) return false;
    stored.tasks[task] = { token, at: now.getTime() };
    return true;
  }

  async delivered(id: string, task: 'post', ref: MessageRef): Promise<void>;
  async delivered(id: string, task: 'thread', upTo: number): Promise<void>;
  async delivered(id: string, task: AlertTask, done: MessageRef | number): Promise<void> {
    const stored = this.alerts.get(id);
    if (!stored) return;
    if (typeof done === 'number') {
      stored.notes = stored.notes.filter((n) => n.seq > done);
      // Notes recorded while the reply was being sent are still owed.
      stored.tasks.thread = stored.notes.length > 0 ? 'due' : 'done';
    } else {
      stored.tasks[task] = 'done';
    }
    stored.alert = {
      ...stored.alert,
      ...(typeof done === 'number' ? {} : { ref: { channel: done.channel, ts: done.ts } }),
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
    const undelivered = (['post', 'thread'] as const).filter(
      (t) => stored.tasks[t] !== undefined && stored.tasks[t] !== 'done',
    );
    return structuredClone({ ...stored.alert, undelivered, notes: stored.notes });
  }

  /** Adds a thread note, due at `due` unless the alert is already waiting with a message of its own. */
  private note(stored: Stored, note: DistributiveOmit<ThreadNote, 'seq'>, due: string): void {
    if (!this.pending(stored)) stored.due = Date.parse(due);
    stored.notes.push({ ...note, seq: ++stored.seq } as ThreadNote);
    // A reply being sent stays its taker's; marking it delivered finds this note still owed.
    if (stored.tasks.thread === undefined || stored.tasks.thread === 'done') stored.tasks.thread = 'due';
    stored.alert = { ...stored.alert, rev: stored.alert.rev + 1 };
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
