/**
 * The buttons the bot puts on its messages (CONTRACT §6). The `value` of each is an opaque ID the
 * bot issued; everything a click may do is looked up from that ID, never read from the click.
 */
export const ACTION_IDS = [
  'approval.approve',
  'approval.reject',
  'rollout.pause',
  'rollout.resume',
  'rollout.abort',
  'rollout.promote',
  'alarm.rollback',
  'alarm.ack',
  'outside.revert',
  'outside.accept',
  'breakglass.review',
] as const;

export type ActionId = (typeof ACTION_IDS)[number];

export function isActionId(text: string): text is ActionId {
  return (ACTION_IDS as readonly string[]).includes(text);
}

/** A click, as services see it. */
export interface Click {
  readonly action: ActionId;
  readonly actor: string;
  /** The opaque ID from the button's value; unchecked until a service looks it up. */
  readonly value: string;
  readonly requestId: string;
  /** Where the clicked message is, when Slack says. */
  readonly message?: { readonly channel: string; readonly ts: string };
}

/** Values are IDs the bot issued: anything longer is not one, and is refused unread. */
export const MAX_BUTTON_VALUE = 200;

export type CheckedClick =
  | { readonly ok: true; readonly action: ActionId; readonly value: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The part of a click that can be judged without looking anything up: an action the bot puts on
 * its buttons, and a value that could be an ID it issued. Never throws, whatever Slack (or a
 * forger) sent. @example checkClick('rollout.abort', 'o…') → { ok: true, action: 'rollout.abort', value: 'o…' }
 */
export function checkClick(actionId: unknown, value: unknown): CheckedClick {
  if (typeof actionId !== 'string' || !isActionId(actionId)) {
    const shown = typeof actionId === 'string' ? actionId.slice(0, 60) : typeof actionId;
    return { ok: false, reason: `unknown action ${shown}` };
  }
  if (typeof value !== 'string' || value.length > MAX_BUTTON_VALUE)
    return { ok: false, reason: 'malformed button value' };
  return { ok: true, action: actionId, value };
}
