/**
 * The App Home tab as facts (CONTRACT §12): what waits for one person, what is in flight, where every
 * policy alias stands, what changed last. Pure: who may press which button, and which aliases are
 * the most relevant when there are more than fit, are decided here and tested without Slack.
 */
import type { ApprovalRequest } from './approval.js';
import type { AuditRecord } from './audit.js';
import type { BreakGlass } from './breakglass.js';
import { decide, type Freeze } from './policy.js';
import type { Policy } from './policy-model.js';
import type { Rollout } from './rollout.js';
import type { Routing } from './routing.js';
import type { Where } from './target.js';

/** The worst watched alarm of an alias: `unknown` when CloudWatch did not answer. */
export type AlarmSummary = 'ALARM' | 'INSUFFICIENT_DATA' | 'OK' | 'none' | 'unknown';

/** One policy alias as the fleet section shows it. */
export interface FleetAlias {
  readonly fn: string;
  readonly alias: string;
  readonly where: Where;
  readonly protected: boolean;
  /** Absent when AWS did not answer for its function (then `unreadable` says why) or the alias does not exist. */
  readonly routing?: Routing;
  readonly unreadable?: string;
  readonly alarm: AlarmSummary;
  /** Watched alarms in ALARM now, by name. */
  readonly alarming: readonly string[];
  readonly frozen?: Freeze;
  /** Moved outside the bot since the bot last set it (CONTRACT §10): when the bot last set it. */
  readonly outsideSince?: string;
  readonly inFlight: boolean;
  /** The alias's last change the bot recorded (ISO). */
  readonly lastChangeAt?: string;
  /** The soak gate's fact for the alias's candidate ("served staging 100% for 12 of 30 min"). */
  readonly soak?: string;
}

/** A rollout in flight, and whether the viewer may press its pause and abort buttons. */
export interface FlightItem {
  readonly rollout: Rollout;
  /** The watched alarms of its alias, with their state now. */
  readonly alarms: readonly { readonly name: string; readonly state: string }[];
  readonly mayControl: boolean;
}

export interface HomeFacts {
  readonly user: string;
  /** When the facts were gathered (ISO): the view says "as of". */
  readonly at: string;
  /** Approval requests the viewer may decide now. */
  readonly toDecide: readonly ApprovalRequest[];
  /** The viewer's own open requests: waiting for others. */
  readonly mine: readonly ApprovalRequest[];
  /** Break-glass changes the viewer may review. */
  readonly toReview: readonly BreakGlass[];
  readonly inFlight: readonly FlightItem[];
  readonly fleet: readonly FleetAlias[];
  /** The newest audit records, newest first. */
  readonly changes: readonly AuditRecord[];
  /** Parts that could not be read (Redis, an account): shown, never hidden behind an empty section. */
  readonly problems: readonly string[];
  /** The answer to the viewer's last click on Home, shown at the top (Slack mrkdwn, made safe by whoever wrote it). */
  readonly notice?: string;
}

/**
 * Whether `user` (holding `roles`) may decide the request now: pending, not expired, not their own,
 * not approved by them already, and the alias's policy names one of their roles as approvers.
 * @example mayDecide(policy, request, 'U0BOB', new Set(['approvers']), now) === true
 */
export function mayDecide(
  policy: Policy,
  request: ApprovalRequest,
  user: string,
  roles: ReadonlySet<string>,
  now: string,
): boolean {
  if (request.status !== 'pending' || now >= request.expiresAt || request.requester === user) return false;
  if (request.approvals.some((a) => a.by === user)) return false;
  return decide(policy, roles, 'approve', { fn: request.fn, alias: request.alias }, []).effect === 'allow';
}

/** Whether `user` may review a break-glass change: not reviewed, not theirs, an approver of its alias. */
export function mayReview(policy: Policy, record: BreakGlass, user: string, roles: ReadonlySet<string>): boolean {
  if (record.review || record.actor === user) return false;
  return decide(policy, roles, 'approve', { fn: record.fn, alias: record.alias }, []).effect === 'allow';
}

/** Pause and abort are direct for deployers, protected or not (CONTRACT §4); nobody else sees the buttons. */
export function mayControl(policy: Policy, rollout: Rollout, roles: ReadonlySet<string>): boolean {
  return decide(policy, roles, 'pause', { fn: rollout.plan.fn, alias: rollout.plan.alias }, []).effect === 'allow';
}

const ALARM_RANK: Readonly<Record<AlarmSummary, number>> = {
  ALARM: 0,
  unknown: 1,
  INSUFFICIENT_DATA: 2,
  OK: 3,
  none: 3,
};

/** A change within this long counts as recent: it sorts above quiet aliases. */
export const RECENT_MS = 24 * 3_600_000;

/**
 * The fleet, most relevant first: in ALARM, then in flight, then changed outside the bot, then
 * changed recently (newest first), then frozen, then the rest by name. Stable for equal aliases.
 * @example rankFleet([quiet, alarming], now)[0] === alarming
 */
export function rankFleet(aliases: readonly FleetAlias[], now: Date): FleetAlias[] {
  const recent = (a: FleetAlias) =>
    a.lastChangeAt !== undefined && now.getTime() - Date.parse(a.lastChangeAt) <= RECENT_MS
      ? Date.parse(a.lastChangeAt)
      : undefined;
  const tier = (a: FleetAlias) => {
    if (a.alarm === 'ALARM') return 0;
    if (a.inFlight) return 1;
    if (a.outsideSince !== undefined) return 2;
    if (recent(a) !== undefined) return 3;
    if (a.frozen) return 4;
    if (a.unreadable) return 5;
    return 6;
  };
  return [...aliases].sort(
    (a, b) =>
      tier(a) - tier(b) ||
      (recent(b) ?? 0) - (recent(a) ?? 0) ||
      ALARM_RANK[a.alarm] - ALARM_RANK[b.alarm] ||
      `${a.fn}:${a.alias}`.localeCompare(`${b.fn}:${b.alias}`),
  );
}

export interface FleetGroup {
  /** The account and region, as `Where` shows it. */
  readonly where: Where;
  readonly aliases: readonly FleetAlias[];
}

export interface FleetSelection {
  readonly groups: readonly FleetGroup[];
  /** Aliases left out, and their functions (for "`/lambda status FN`"). */
  readonly hidden: number;
  readonly hiddenFunctions: readonly string[];
}

/**
 * The `limit` most relevant aliases (rankFleet), grouped by account and region; a group comes where
 * its most relevant alias does, so an alarm in another account still shows first.
 * @example selectFleet(aliases, 2, now) → { groups: [{ where: prod/eu-west-1, aliases: [alarming] }, …], hidden: 3, … }
 */
export function selectFleet(aliases: readonly FleetAlias[], limit: number, now: Date): FleetSelection {
  const ranked = rankFleet(aliases, now);
  const shown = ranked.slice(0, Math.max(0, limit));
  const hidden = ranked.slice(shown.length);
  const groups = new Map<string, FleetAlias[]>();
  for (const a of shown) {
    const key = `${a.where.account}/${a.where.region}`;
    const group = groups.get(key) ?? [];
    group.push(a);
    groups.set(key, group);
  }
  return {
    groups: [...groups.values()].map((members) => ({ where: (members[0] as FleetAlias).where, aliases: members })),
    hidden: hidden.length,
    hiddenFunctions: [...new Set(hidden.map((a) => a.fn))],
  };
}

/** The worst of some alarm states (`none` for no alarm watched). */
export function worstAlarm(states: readonly string[]): AlarmSummary {
  if (states.includes('ALARM')) return 'ALARM';
  if (states.includes('INSUFFICIENT_DATA')) return 'INSUFFICIENT_DATA';
  return states.length > 0 ? 'OK' : 'none';
}
