import type { Click } from '../domain/actions.js';
import { type Alert, alreadyDecided, rollbackOffer } from '../domain/alert.js';
import { BotError } from '../domain/errors.js';
import type { Outcome } from '../domain/outcome.js';
import type { AlertStore, AuditLog, Clock } from '../ports.js';
import type { PolicyGate, Who } from './gate.js';
import { refuseUnknownButton } from './refusals.js';
import type { ReleaseService } from './release.js';

export interface AlertActionsDeps {
  readonly store: AlertStore;
  readonly release: ReleaseService;
  readonly gate: PolicyGate;
  readonly audit: AuditLog;
  readonly messages: { refresh(id: string): Promise<void> };
  readonly clock: Clock;
}

/**
 * The buttons of an alarm alert. A click names an alert by the ID the bot gave it; what it may
 * do is read from the stored alert, never from the click. Roll back goes through the same
 * `ReleaseService.rollback` as the slash command (policy, lock, RevisionId, audit).
 */
export class AlertActions {
  constructor(private readonly deps: AlertActionsDeps) {}

  async rollback(click: Click): Promise<Outcome | undefined> {
    const alert = await this.find(click);
    const who = whoOf(click);
    refuseIfDecided(alert, 'rollback');
    const offer = rollbackOffer(alert);
    if (!offer) {
      const why = 'unavailable' in alert.context.rollback ? alert.context.rollback.unavailable : 'it names no alias';
      throw new BotError('invalid-change', `this alert offers no rollback: ${why}`);
    }
    let changed: Awaited<ReturnType<ReleaseService['rollback']>>;
    try {
      changed = await this.deps.release.rollback(
        who,
        { fn: alert.fn, alias: offer.alias },
        offer.version,
        `alarm ${alert.alarm}`,
      );
    } catch (error) {
      // "Already sends 100% to vN": a click just before this one (or the slash command) did it.
      if (error instanceof BotError && error.code === 'invalid-change') {
        const now = await this.deps.store.get(alert.id);
        if (now) refuseIfDecided(now, 'rollback');
        throw new BotError('already-decided', `${alert.fn}:${offer.alias} already serves v${offer.version} only`);
      }
      throw error;
    }
    await this.deps.store.decide(alert.id, {
      kind: 'rollback',
      by: click.actor,
      at: this.deps.clock.now().toISOString(),
      to: offer.version,
      ...(changed.auditId ? { auditId: changed.auditId } : {}),
    });
    // The alert message is where the channel learns of it; only if it cannot be updated does the
    // clicker get the outcome, so that nobody is left wondering whether the rollback happened.
    const shown = await this.deps.messages.refresh(alert.id).then(
      () => true,
      () => false,
    );
    return shown ? undefined : changed;
  }

  async acknowledge(click: Click): Promise<Outcome | undefined> {
    const alert = await this.find(click);
    const who = whoOf(click);
    await this.deps.gate.check(who, 'acknowledge', { fn: alert.fn }, 'alarm.ack');
    refuseIfDecided(alert, 'ack');
    const at = this.deps.clock.now().toISOString();
    const result = await this.deps.store.decide(alert.id, { kind: 'ack', by: click.actor, at });
    if (!result.decided) {
      if (result.alert) refuseIfDecided(result.alert, 'ack');
      throw new BotError('already-decided', 'this alert was already acknowledged');
    }
    await this.deps.audit.append({
      actor: click.actor,
      action: 'alarm.ack',
      function: alert.fn,
      alias: alert.context.alias ?? null,
      from: null,
      to: null,
      result: 'ok',
      detail: `alarm ${alert.alarm} acknowledged`,
      request: who.request,
    });
    await this.deps.messages.refresh(alert.id);
    return undefined;
  }

  /** The alert a click names; a value the bot never issued is refused and audited. */
  private async find(click: Click): Promise<Alert> {
    const alert = await this.deps.store.get(click.value);
    if (alert) return alert;
    return refuseUnknownButton(
      this.deps.audit,
      click,
      'alert',
      'it names no alert the bot raised, or one older than a month',
    );
  }
}

function whoOf(click: Click): Who {
  return { actor: click.actor, request: click.requestId };
}

function refuseIfDecided(alert: Alert, click: 'rollback' | 'ack'): void {
  const decided = alreadyDecided(alert, click);
  if (decided) throw new BotError('already-decided', decided.reason, { details: decided.by ? { by: decided.by } : {} });
}
