/**
 * An alarm alert: what the bot posted when an alarm went into ALARM, with the release context it
 * found then, and what happened to it since (acknowledged, rolled back, resolved). Its ID is the
 * value of its buttons; a click is checked against this record, never against the click.
 */
import type { PreviousAlert } from './alarm-repeat.js';
import type { Snapshot } from './audit.js';
import type { Drift } from './outcome.js';
import type { Routing } from './routing.js';
import type { Where } from './target.js';

/** The change the audit log holds as the alias's last one. */
export interface LastChange {
  readonly actor: string;
  readonly action: string;
  readonly at: string;
  readonly from: Snapshot | null;
  readonly to: Snapshot | null;
  readonly auditId: string;
}

/** The release behind the alarm, as the bot found it when the alarm fired (last, for a reopened alert). */
export interface DeployContext {
  /** The alias the alert is about: named by the alarm's dimensions, or chosen by the bot. */
  readonly alias?: string;
  /** Set when the alarm names no alias and the bot picked one; says how, in words. */
  readonly chosen?: string;
  readonly routing?: Routing;
  /** Why the routing is not shown (AWS did not answer, no alias). */
  readonly routingUnknown?: string;
  readonly lastChange?: LastChange;
  readonly drift?: Drift;
  /** The version one click goes back to, or why the alert offers no rollback. */
  readonly rollback: { readonly version: string } | { readonly unavailable: string };
}

/** Fixed when the alert is raised. */
export interface AlertFacts {
  /** The alarm's name in CloudWatch. */
  readonly alarm: string;
  readonly fn: string;
  /** The account and region of the alarm and its function (absent on alerts raised before accounts). */
  readonly where?: Where;
  /** The version the alarm's dimensions name, if any. */
  readonly version?: string;
  /** Why the alarm fired, in plain words. */
  readonly reason: string;
  /** When the alarm went into ALARM (ISO). */
  readonly since: string;
  /** The alarm was already in ALARM the first time the bot saw it. */
  readonly firstSight: boolean;
  readonly channel: string;
  readonly raisedAt: string;
  readonly context: DeployContext;
  /** The alarm's alert before this one, too long before to reopen: this one is a new incident. */
  readonly previous?: PreviousAlert;
}

/** The alert's own message, and the replies in its thread. */
export type AlertTask = 'post' | 'thread';

/** A reply owed in the alert's thread; `seq` orders an alert's notes. */
export type ThreadNote =
  /** The alarm is back to OK: the alert is resolved. */
  | { readonly seq: number; readonly kind: 'resolved'; readonly at: string; readonly reason: string }
  /** Back in ALARM within realert_after: the alert is reopened, for the `count`-th time in ALARM. */
  | {
      readonly seq: number;
      readonly kind: 'reopened';
      readonly at: string;
      readonly reason: string;
      readonly count: number;
    }
  /** From ALARM to INSUFFICIENT_DATA: the alert stays open. */
  | { readonly seq: number; readonly kind: 'no-data'; readonly at: string; readonly reason: string };

/** An alert as stored: its facts and what happened since. */
export interface Alert extends AlertFacts {
  readonly id: string;
  /** Where the alert was posted; absent until it is. */
  readonly ref?: { readonly channel: string; readonly ts: string };
  readonly ack?: { readonly by: string; readonly at: string };
  readonly rolledBack?: { readonly by: string; readonly at: string; readonly to: string; readonly auditId?: string };
  /** The alarm went back to OK (and has not been back in ALARM since). */
  readonly resolved?: { readonly at: string; readonly reason: string };
  /** Times the alarm went into ALARM for this alert: 1, and one more each time it was reopened. */
  readonly count: number;
  /** When the alarm last went into ALARM for it (ISO): `since`, until the alert is reopened. */
  readonly lastAlarmAt: string;
  /** The alarm went from ALARM to INSUFFICIENT_DATA (and has not moved since): the alert stays open. */
  readonly noData?: { readonly at: string; readonly reason: string };
  /** Messages still to deliver: the alert itself, replies in its thread. */
  readonly undelivered: readonly AlertTask[];
  /** The thread replies still to deliver, oldest first. */
  readonly notes: readonly ThreadNote[];
  /** Times sending failed so far: the next try waits longer each time. */
  readonly failures: number;
  /** Grows with every change, so that a message update can tell it showed the newest state. */
  readonly rev: number;
}

export type AlertDecision =
  | { readonly kind: 'ack'; readonly by: string; readonly at: string }
  | {
      readonly kind: 'rollback';
      readonly by: string;
      readonly at: string;
      readonly to: string;
      readonly auditId?: string;
    };

/** The version a click on Roll back goes to, while the alert still offers it. */
export function rollbackOffer(alert: Alert): { alias: string; version: string } | undefined {
  const { context } = alert;
  if (alert.resolved || alert.rolledBack || !context.alias || !('version' in context.rollback)) return undefined;
  return { alias: context.alias, version: context.rollback.version };
}

export function offersAck(alert: Alert): boolean {
  return !alert.resolved && !alert.rolledBack && !alert.ack;
}

/**
 * Why a click on this alert changes nothing more (and who decided it), or undefined while it still can.
 * @example alreadyDecided(rolledBack, 'ack') → { reason: 'payments-api:prod was already rolled back to v41 from this alert', by: 'U0ONCALL' }
 */
export function alreadyDecided(alert: Alert, click: 'rollback' | 'ack'): { reason: string; by?: string } | undefined {
  const target = alert.context.alias ? `${alert.fn}:${alert.context.alias}` : alert.fn;
  if (alert.rolledBack) {
    return {
      reason: `${target} was already rolled back to v${alert.rolledBack.to} from this alert`,
      by: alert.rolledBack.by,
    };
  }
  if (alert.resolved) return { reason: `alarm ${alert.alarm} is back to OK, so this alert is closed` };
  if (click === 'ack' && alert.ack) return { reason: 'this alert was already acknowledged', by: alert.ack.by };
  return undefined;
}
