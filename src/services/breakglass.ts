import type { Click } from '../domain/actions.js';
import { type BreakGlass, type Bypass, describeBypasses, reminded, reminderDue, review } from '../domain/breakglass.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import { newId } from '../domain/ids.js';
import type { Outcome } from '../domain/outcome.js';
import type { Policy } from '../domain/policy-model.js';
import { recordedPlace, type Target } from '../domain/target.js';
import type { AuditLog, BreakGlassStore, Clock, MessageRef, Notifier } from '../ports.js';
import type { PolicyGate, Who } from './gate.js';
import { refuseUnknownButton } from './refusals.js';

export interface BreakGlassDeps {
  readonly fleet: Fleet;
  readonly policy: Policy;
  readonly store: BreakGlassStore;
  readonly gate: PolicyGate;
  readonly audit: AuditLog;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/** A break-glass change that was made, as the service announcing it needs it. */
export interface BrokenGlass {
  readonly target: Target;
  readonly alias: string;
  readonly action: BreakGlass['action'];
  readonly change: string;
  readonly reason: string;
  readonly bypassed: readonly Bypass[];
}

/**
 * What follows a break-glass change (CONTRACT §11): it is announced in the approvals and the alerts
 * channels with a review button; an approver other than the actor reviews it; an overdue review
 * gets a reminder, then one a day. The change itself went through the one alias write path.
 */
export class BreakGlassService {
  constructor(private readonly deps: BreakGlassDeps) {}

  /** Records and announces a change just made. Never fails the change: it is made already. */
  async announce(who: Who, made: BrokenGlass): Promise<BreakGlass | undefined> {
    const { store, clock, policy, fleet } = this.deps;
    const now = clock.now();
    const record: BreakGlass = {
      id: newId('b'),
      fn: made.target.fn,
      alias: made.alias,
      where: fleet.where(made.target.place),
      action: made.action,
      change: made.change,
      actor: who.actor,
      reason: made.reason,
      bypassed: made.bypassed,
      request: who.request,
      at: now.toISOString(),
      reviewDueAt: new Date(now.getTime() + policy.breakglassReviewMs).toISOString(),
      reminders: 0,
      messages: [],
      revision: 1,
    };
    try {
      await store.create(record);
    } catch (error) {
      this.deps.warn('break-glass change not recorded for review', { fn: record.fn, err: (error as Error).message });
      return undefined;
    }
    const messages: MessageRef[] = [];
    for (const channel of this.channels(record)) {
      const ref = await this.deps.notifier.post(channel, { kind: 'breakglass', record }).catch((error: unknown) => {
        this.deps.warn('break-glass announcement not posted', { channel, err: (error as Error).message });
        return undefined;
      });
      if (ref) messages.push(ref);
    }
    const posted = { ...record, messages, revision: record.revision + 1 };
    return (await store.replace(record, posted).catch(() => false)) ? posted : record;
  }

  /** `breakglass.review`: an approver of the alias, other than the actor, marks it reviewed. */
  async review(click: Click): Promise<Outcome> {
    const found = /^b[a-z2-9]{16}$/.test(click.value) ? await this.deps.store.get(click.value) : undefined;
    const record = found ?? (await refuseUnknownButton(this.deps.audit, click, 'break-glass change'));
    const who = { actor: click.actor, request: record.request };
    const target = this.deps.fleet.get(record.fn);
    const at = this.deps.clock.now().toISOString();
    const result = review(record, click.actor, at);
    // The actor's own click, or a second review, is answered for what it is before asking the policy.
    if (result.ok) {
      const subject = { fn: record.fn, alias: record.alias };
      await this.deps.gate.check(who, 'approve', subject, 'breakglass.review', target);
    }
    if (!result.ok || !(await this.deps.store.replace(record, result.next))) {
      const reason = result.ok ? 'someone else reviewed it at the same moment' : result.reason;
      await this.record(record, click.actor, 'denied', `review refused: ${reason}`);
      // A mention inside the message would be shown escaped, as text: who reviewed goes in details, as other buttons do.
      const by = result.ok ? undefined : record.review?.by;
      const told = by ? `it was already reviewed at ${record.review?.at}` : reason;
      throw new BotError('already-decided', `Your click changed nothing: ${told}`, { details: by ? { by } : {} });
    }
    await this.record(record, click.actor, 'ok', `reviewed the break-glass ${record.change} by ${record.actor}`);
    await this.show(result.next);
    // A note is plain text (the renderer escapes it): a <@U…> mention would show as typed.
    return { kind: 'note', text: `You reviewed the break-glass ${record.change} on ${record.fn}:${record.alias}.` };
  }

  /** The reminder job: overdue reviews get a reminder, once per day, on one replica. */
  async remind(stillLeader: () => Promise<boolean>): Promise<number> {
    const now = this.deps.clock.now();
    let sent = 0;
    for (const record of await this.deps.store.open()) {
      if (!reminderDue(record, now)) continue;
      if (!(await stillLeader())) break;
      const next = reminded(record, now.toISOString());
      // Claimed before posting: a replica that takes over never posts the same reminder twice.
      if (!(await this.deps.store.replace(record, next))) continue;
      const channel = this.channels(next)[0] as string;
      const thread = next.messages.find((m) => m.channel === channel);
      await this.deps.notifier
        .post(channel, { kind: 'breakglass-reminder', record: next }, thread?.ts)
        .then(() => sent++)
        .catch((error: unknown) =>
          this.deps.warn('break-glass reminder not posted', { err: (error as Error).message }),
        );
    }
    return sent;
  }

  private channels(record: BreakGlass): string[] {
    const { policy } = this.deps;
    const fn = policy.functions.get(record.fn);
    const approvals = fn?.aliases.get(record.alias)?.approvalsChannel ?? policy.channels.approvals;
    const alerts = fn?.alertsChannel ?? policy.channels.alerts;
    return approvals === alerts ? [approvals] : [approvals, alerts];
  }

  private async show(record: BreakGlass): Promise<void> {
    for (const ref of record.messages) {
      await this.deps.notifier.update(ref, { kind: 'breakglass', record }).catch(() => {});
    }
  }

  private async record(record: BreakGlass, actor: string, result: 'ok' | 'denied', detail: string): Promise<void> {
    const target = this.deps.fleet.get(record.fn);
    await this.deps.audit.append({
      actor,
      action: 'breakglass.review',
      function: record.fn,
      alias: record.alias,
      from: null,
      to: null,
      result,
      detail: `${detail}; break-glass ${record.id}; bypassed ${describeBypasses(record.bypassed)}`,
      request: record.request,
      ...(target ? recordedPlace(target) : {}),
    });
  }
}
