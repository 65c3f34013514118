import type { AlarmSubject, WatchedAlarm } from '../domain/alarm.js';
import { plainReason } from '../domain/alarm-reason.js';
import { intoAlarm, repeatWords } from '../domain/alarm-repeat.js';
import type { SeenState, Transition } from '../domain/alarm-transition.js';
import type { Alert, AlertFacts, DeployContext } from '../domain/alert.js';
import type { AlarmWatchDeps } from './alarm-watch.js';

/** One alarm whose state moved since the last poll. */
export interface Change {
  readonly watched: WatchedAlarm;
  readonly seen: SeenState | undefined;
  readonly transition: Exclude<Transition, { kind: 'none' }>;
}

/** What recording one change did (all zero when another poller recorded it first). */
export interface ChangeEffect {
  readonly raised: number;
  readonly reopened: number;
  readonly resolved: number;
  readonly noted: number;
}

const NOTHING: ChangeEffect = { raised: 0, reopened: 0, resolved: 0, noted: 0 };

/**
 * What one alarm change does, recorded once with the alarm's new state: a new alert, its latest
 * alert reopened (back in ALARM within realert_after: flapping), its open alerts resolved, or
 * told the alarm has no data. The poller that recorded it, and only that one, then tells a rollout
 * watching the alarm and writes the audit record.
 */
export class AlarmChanges {
  constructor(private readonly deps: AlarmWatchDeps) {}

  /** `contexts` is shared by one sweep's changes: a storm on one alias asks AWS once. */
  async apply(change: Change, contexts: Map<string, Promise<DeployContext>>): Promise<ChangeEffect> {
    const { store, clock } = this.deps;
    const { alarm, id } = change.watched;
    const next: SeenState = { state: alarm.state, since: alarm.since };
    const reason = plainReason(alarm);
    const at = new Date(alarm.since).toISOString();
    const due = clock.now().toISOString();
    switch (change.transition.kind) {
      case 'remember':
        await store.record(id, change.seen, next, { kind: 'none' });
        return NOTHING;
      case 'alarm':
        return this.intoAlarm(change, next, contexts);
      case 'ok': {
        const result = await store.record(id, change.seen, next, { kind: 'resolve', at, reason, due });
        for (const alert of result.resolved) {
          await this.audit('alarm.resolve', alert, `alarm ${alarm.name} back to OK: ${reason}`);
        }
        return { ...NOTHING, resolved: result.resolved.length };
      }
      case 'no-data': {
        // Told in the thread only: no audit record, as CONTRACT §7 has no action for it and nothing changed.
        const result = await store.record(id, change.seen, next, { kind: 'no-data', at, reason, due });
        return { ...NOTHING, noted: result.noted.length };
      }
    }
  }

  private async intoAlarm(
    change: Change,
    next: SeenState,
    contexts: Map<string, Promise<DeployContext>>,
  ): Promise<ChangeEffect> {
    const { store, clock, policy } = this.deps;
    const { alarm, subject, id } = change.watched;
    const latest = await store.latest(id);
    const decision = intoAlarm(latest, alarm.since, policy.realertAfterMs);
    if (decision.kind === 'known') {
      await store.record(id, change.seen, next, { kind: 'none' });
      return NOTHING;
    }
    const context = await this.contextOf(subject, contexts);
    const reason = plainReason(alarm);
    const at = new Date(alarm.since).toISOString();
    if (decision.kind === 'reopen') {
      const { count } = decision;
      const due = clock.now().toISOString();
      const effect = { kind: 'reopen', id: decision.id, count, at, reason, context, due } as const;
      const { reopened } = await store.record(id, change.seen, next, effect);
      if (!reopened) return NOTHING;
      await this.rollBackRollout(reopened, subject, alarm.name);
      const repeat = repeatWords(count, reopened.since, at);
      await this.audit(
        'alarm.alert',
        reopened,
        `alarm ${alarm.name} back in ALARM, alert reopened (${repeat}): ${reason}`,
      );
      return { ...NOTHING, reopened: 1 };
    }
    const facts: AlertFacts = {
      alarm: alarm.name,
      fn: subject.fn,
      where: this.deps.fleet.where(change.watched.place),
      ...(subject.version ? { version: subject.version } : {}),
      reason,
      since: at,
      firstSight: change.transition.kind === 'alarm' && change.transition.firstSight,
      channel: this.channelOf(subject),
      raisedAt: clock.now().toISOString(),
      context,
      ...(decision.previous ? { previous: decision.previous } : {}),
    };
    const { alert } = await store.record(id, change.seen, next, { kind: 'alert', facts });
    if (!alert) return NOTHING;
    await this.rollBackRollout(alert, subject, alarm.name);
    const incident = decision.previous ? ' (new incident)' : '';
    await this.audit('alarm.alert', alert, `alarm ${alarm.name}${incident}: ${reason}`);
    return { ...NOTHING, raised: 1 };
  }

  private contextOf(subject: AlarmSubject, contexts: Map<string, Promise<DeployContext>>): Promise<DeployContext> {
    const key = `${subject.fn}\u0000${subject.alias ?? ''}\u0000${subject.version ?? ''}`;
    let context = contexts.get(key);
    if (!context) {
      context = this.deps.contexts.of(subject);
      contexts.set(key, context);
    }
    return context;
  }

  /**
   * Every return to ALARM, reopened or new, rolls back a rollout watching the alarm. A rollout of the
   * alert's alias rolled back is recorded on the alert as the bot's rollback, so that its message
   * says what happened rather than offer a Roll back the alias no longer needs.
   */
  private async rollBackRollout(alert: Alert, subject: AlarmSubject, alarm: string): Promise<void> {
    const { store, delivery, clock } = this.deps;
    try {
      const rolledBack = (await this.deps.onAlarm?.(subject.fn, subject.alias, alarm)) ?? [];
      const mine = rolledBack.find((r) => r.alias === alert.context.alias);
      if (!mine) return;
      const at = clock.now().toISOString();
      await store.decide(alert.id, { kind: 'rollback', by: 'system', at, to: mine.version });
      await delivery.refresh(alert.id);
    } catch (error) {
      this.deps.warn?.('rollout not rolled back on alarm; the stepper sees the alarm next', {
        alarm,
        err: (error as Error).message,
      });
    }
  }

  private channelOf(subject: AlarmSubject): string {
    const { policy } = this.deps;
    return policy.functions.get(subject.fn)?.alertsChannel ?? policy.channels.alerts;
  }

  /** Recorded once, by the poller that recorded the change; its request is the alert's ID. */
  private async audit(action: 'alarm.alert' | 'alarm.resolve', alert: Alert, detail: string): Promise<void> {
    const where = alert.where;
    await this.deps.audit
      .append({
        ...(where ? { ...(where.accountId ? { account: where.accountId } : {}), region: where.region } : {}),
        actor: 'system',
        action,
        function: alert.fn,
        alias: alert.context.alias ?? null,
        from: null,
        to: null,
        result: 'ok',
        detail,
        request: alert.id,
      })
      .catch((error: unknown) =>
        // The alert stands without its record: not alerting because the log failed would be worse.
        this.deps.warn?.('alarm record not written to the audit log', {
          alert: alert.id,
          err: (error as Error).message,
        }),
      );
  }
}
