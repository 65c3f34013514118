/**
 * Who made a change outside the bot, from CloudTrail's record of it (CONTRACT §10): the event that
 * made exactly that change, found among the events CloudTrail holds for the function.
 */
import type { OutsideChange } from './outside.js';

/** A CloudTrail event as the bot reads it (LookupEvents, its CloudTrailEvent parsed). */
export interface TrailEvent {
  /** `UpdateAlias20150331`, `PublishVersion20150331`…: CloudTrail adds the API version. */
  readonly eventName: string;
  readonly eventTime: string;
  /** The IAM identity: a user, a role session, root. */
  readonly arn?: string;
  readonly identityType?: string;
  /** The source identity the session was given (the bot's people carry their Slack user ID). */
  readonly sourceIdentity?: string;
  readonly requestParameters: Readonly<Record<string, unknown>>;
  readonly responseElements: Readonly<Record<string, unknown>>;
  /** The call failed (CloudTrail records failures too): never the one that made a change. */
  readonly errorCode?: string;
}

/** Who made a change, as an alert shows it. */
export interface Identity {
  readonly arn: string;
  readonly type?: string;
  readonly sourceIdentity?: string;
  readonly at: string;
}

/** The CloudTrail event names of the Lambda writes the watch looks for. */
const EVENT = {
  'alias-moved': 'UpdateAlias',
  'alias-created': 'CreateAlias',
  'alias-deleted': 'DeleteAlias',
  'version-published': 'PublishVersion',
} as const;

/**
 * The newest successful event that made `change`: the same call on the same alias (or version) and,
 * when CloudTrail kept the answer, the same RevisionId (an UpdateAlias) or version number (a
 * PublishVersion). Undefined when CloudTrail has no such event (yet: it lags by minutes).
 * @example whoDid(moved, [{ eventName: 'UpdateAlias20150331', arn: 'arn:aws:iam::1:user/mallory', … }])?.arn
 */
export function whoDid(change: OutsideChange, events: readonly TrailEvent[]): Identity | undefined {
  const name = EVENT[change.kind];
  const matches = events.filter((e) => e.errorCode === undefined && e.eventName.startsWith(name) && made(change, e));
  const newest = [...matches].sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime))[0];
  if (!newest?.arn) return undefined;
  return {
    arn: newest.arn,
    ...(newest.identityType ? { type: newest.identityType } : {}),
    ...(newest.sourceIdentity ? { sourceIdentity: newest.sourceIdentity } : {}),
    at: newest.eventTime,
  };
}

/** Whether what CloudTrail kept of `e`'s request and answer fits `change` (absent fields fit). */
function made(change: OutsideChange, e: TrailEvent): boolean {
  const request = e.requestParameters;
  const response = e.responseElements;
  switch (change.kind) {
    case 'alias-moved':
    case 'alias-created':
      return (
        request.name === change.alias &&
        (response.revisionId === undefined || response.revisionId === change.revisionId)
      );
    case 'alias-deleted':
      return request.name === change.alias;
    case 'version-published':
      return response.version === undefined || response.version === change.version;
  }
}
