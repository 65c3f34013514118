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
