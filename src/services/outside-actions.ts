import type { Click } from '../domain/actions.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { Outcome } from '../domain/outcome.js';
import { type OutsideAlert, outsideDecided, revertOffer } from '../domain/outside-alert.js';
import { describeRouting, type Routing } from '../domain/routing.js';
import { actingFor, recordedPlace } from '../domain/target.js';
import type { AliasMemory, AuditLog, Clock, LambdaGateway, Locks, Notifier, OutsideStore } from '../ports.js';
import type { AliasChanger } from './alias-change.js';
import type { PolicyGate, Who } from './gate.js';
import { refuseUnknownButton } from './refusals.js';

/** How long an alert stays taken if its holder dies mid-decision: longer than any one revert takes. */
const LOCK_TTL_MS = 30_000;

export interface OutsideActionsDeps {
  readonly fleet: Fleet;
  readonly store: OutsideStore;
  readonly changer: AliasChanger;
  readonly gate: PolicyGate;
  readonly lambda: LambdaGateway;
  readonly aliases: AliasMemory;
  readonly locks: Locks;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly clock: Clock;
}

/**
 * Putting back, or accepting, a change made outside the bot (CONTRACT §10): the alert's buttons, and
 * the bot's own revert on an alias whose policy says `outside_changes: revert`. A click names an
 * alert by the ID the bot gave it; what it may do is read from the stored alert, never the click.
 * A decision holds the alert from its check to its record, so that two clicks on either replica
 * never both act on it (the second would find the alias already back, and put it "back" again).
 */
export class OutsideActions {
  constructor(private readonly deps: OutsideActionsDeps) {}

  /** `outside.revert`: allowed as rollback is (deployers and responders), through the one write path. */
  async revertClick(click: Click): Promise<Outcome> {
    const alert = await this.find(click);
    return this.audited(click, alert, 'outside.revert', () => this.revertClicked(click, alert));
  }

  private async revertClicked(click: Click, alert: OutsideAlert): Promise<Outcome> {
    refuseIfDecided(alert, 'revert');
    const who = { actor: click.actor, request: click.requestId };
    const target = this.deps.fleet.get(alert.fn);
    if (!target || alert.change.kind === 'version-published')
      throw new BotError('invalid-change', 'this alert offers no revert');
    await this.deps.gate.check(who, 'rollback', { fn: alert.fn, alias: alert.change.alias }, 'outside.revert', target);
    const reverted = await this.holding(alert.id, who, 'outside.revert', (now) => {
      refuseIfDecided(now, 'revert');
      return this.revertHeld(now, who);
    });
    return { kind: 'note', text: `Put back: ${alert.fn}:${alert.change.alias} sends ${describeRouting(reverted.to)}.` };
  }

  /**
   * Puts the alias back to what the bot last set, as `who` (a person, or the bot: actor `system`), and
   * records it on the alert. Throws BotError when the alert offers no revert (any more), another click
   * holds it, or AWS refuses.
   */
  revert(alert: OutsideAlert, who: Who): Promise<{ readonly to: Routing }> {
    return this.holding(alert.id, who, 'outside.revert', (now) => this.revertHeld(now, who));
  }

  /** `revert`, with the alert held and read again under the hold. */
  private async revertHeld(alert: OutsideAlert, who: Who): Promise<{ readonly to: Routing }> {
    const to = revertOffer(alert);
    const target = this.deps.fleet.get(alert.fn);
    if (!to || !target || alert.change.kind !== 'alias-moved') {
      throw new BotError('invalid-change', outsideDecided(alert, 'revert')?.reason ?? 'this alert offers no revert');
    }
    const acting = actingFor(target, who.actor);
    // Read now, not from memory: the alias was just changed by someone else, and may have been again.
    const current = await this.deps.lambda.getAlias(acting, alert.change.alias);
    const result = await this.deps.changer.change(who, {
      target: acting,
      alias: alert.change.alias,
      action: 'outside.revert',
      bound: current,
      note: `back to what the bot last set, after a change made outside the bot (alert ${alert.id})`,
      route: () => to,
    });
    const { alert: now } = await this.deps.store.decide(alert.id, {
      kind: 'revert',
      by: who.actor,
      at: this.deps.clock.now().toISOString(),
      to,
      ...(result.record ? { auditId: result.record.id } : {}),
    });
    await this.show(now);
    return { to };
  }

  /** `outside.accept`: deployers take the new state as the known one (the bot's drift check agrees from now on). */
  async acceptClick(click: Click): Promise<Outcome> {
    const alert = await this.find(click);
    return this.audited(click, alert, 'outside.accept', () => this.acceptClicked(click, alert));
  }

  private async acceptClicked(click: Click, alert: OutsideAlert): Promise<Outcome> {
    refuseIfDecided(alert, 'accept');
    const target = this.deps.fleet.get(alert.fn);
    if (!target || alert.change.kind === 'version-published')
      throw new BotError('invalid-change', 'this alert offers nothing to accept');
    const alias = alert.change.alias;
    const who = { actor: click.actor, request: click.requestId };
    await this.deps.gate.check(who, 'accept', { fn: alert.fn, alias }, 'outside.accept', target);
    await this.holding(alert.id, who, 'outside.accept', async (held) => {
      refuseIfDecided(held, 'accept');
      const at = this.deps.clock.now();
      const { decided, alert: now } = await this.deps.store.decide(alert.id, {
        kind: 'accept',
        by: click.actor,
        at: at.toISOString(),
      });
      if (!decided) refuseIfDecided(now ?? held, 'accept');
      if (alert.change.kind !== 'alias-deleted') {
        const state = await this.deps.lambda.getAlias(target, alias);
        await this.deps.aliases.wrote(state, alert.id, at);
      }
      await this.deps.audit.append({
        actor: click.actor,
        action: 'outside.accept',
        function: alert.fn,
        alias,
        from: null,
        to: null,
        result: 'ok',
        detail: `accepted the change made outside the bot as the known state (alert ${alert.id})`,
        request: alert.id,
        ...recordedPlace(target),
      });
      await this.show(now);
    });
    return { kind: 'note', text: `Accepted: the bot takes ${alert.fn}:${alias} as it is now.` };
  }

  /** Updates the alert's message in place; a failed update is not worth failing the decision for. */
  async show(alert: OutsideAlert | undefined): Promise<void> {
    if (alert?.ref) await this.deps.notifier.update(alert.ref, { kind: 'outside-alert', alert }).catch(() => {});
  }

  /**
   * Runs `decide` on the alert as stored now, holding it meanwhile: another click, on this replica or
   * another, is told the alert is being handled, and one that comes later finds the decision.
   */
  private async holding<T>(id: string, who: Who, action: string, decide: (alert: OutsideAlert) => Promise<T>) {
    const lock = await this.deps.locks.acquire(`outside:${id}`, { ...who, action }, LOCK_TTL_MS);
    if (!lock.acquired) {
      throw new BotError('busy', `this alert is being handled by another click (${lock.holder.action})`, {
        details: { holder: lock.holder },
      });
    }
    try {
      const alert = await this.deps.store.get(id);
      if (!alert) throw new BotError('invalid-change', 'this alert is no longer kept');
      return await decide(alert);
    } finally {
      await lock.release().catch(() => {});
    }
  }

  /**
   * A click that changes nothing because the alert is decided (a replay, a second tab, another person
   * first) or being decided goes on the record as refused, as any refused decision does.
   */
  private async audited(
    click: Click,
    alert: OutsideAlert,
    action: 'outside.revert' | 'outside.accept',
    run: () => Promise<Outcome>,
  ): Promise<Outcome> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof BotError && (error.code === 'already-decided' || error.code === 'busy'))) throw error;
      const target = this.deps.fleet.get(alert.fn);
      await this.deps.audit.append({
        actor: click.actor,
        action,
        function: alert.fn,
        alias: alert.change.kind === 'version-published' ? null : alert.change.alias,
        from: null,
        to: null,
        result: 'denied',
        detail: `${error.message} (alert ${alert.id})`,
        request: click.requestId,
        ...(target ? recordedPlace(target) : {}),
      });
      throw error;
    }
  }

  private async find(click: Click): Promise<OutsideAlert> {
    const found = await this.deps.store.get(click.value);
    return found ?? refuseUnknownButton(this.deps.audit, click, 'outside-change alert');
  }
}

function refuseIfDecided(alert: OutsideAlert, click: 'revert' | 'accept'): void {
  const decided = outsideDecided(alert, click);
  if (decided) {
    throw new BotError('already-decided', `Your click changed nothing: ${decided.reason}`, {
      details: decided.by ? { by: decided.by } : {},
    });
  }
}
