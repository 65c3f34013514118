import { newUuid } from '../core/ids.js';
import type { Place } from '../core/place.js';
import { type Caller, principalId, userName } from '../iam/identity.js';
import type { EventResource, TrailEvent } from './store.js';

/** CloudTrail's record format version for these events (Lambda's recorded examples carry 1.08). */
const EVENT_VERSION = '1.08';

/** `2026-11-26T14:00:00Z`: CloudTrail writes times to the second. */
export const trailTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/**
 * The `userIdentity` of a record, as CloudTrail writes it in the account that receives the event: `Root`,
 * `IAMUser` or `AssumedRole` (with the session's issuer, creation date and source identity) for a caller of that
 * account; `AWSAccount` for a caller from another account (an AssumeRole into a role of another account).
 */
export function userIdentity(caller: Caller, recipientAccount: string): Record<string, unknown> {
  if (caller.account !== recipientAccount) {
    return { type: 'AWSAccount', principalId: principalId(caller), accountId: caller.account };
  }
  const common = {
    principalId: principalId(caller),
    arn: caller.arn,
    accountId: caller.account,
    accessKeyId: caller.accessKeyId,
  };
  switch (caller.kind) {
    case 'root':
      return { type: 'Root', ...common };
    case 'user':
      return { type: 'IAMUser', ...common, userName: caller.userName };
    case 'session': {
      const s = caller.session;
      return {
        type: 'AssumedRole',
        ...common,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: s.roleId,
            arn: s.roleArn,
            accountId: s.account,
            userName: s.roleName,
          },
          attributes: { mfaAuthenticated: 'false', creationDate: trailTime(s.issuedAt) },
          ...(s.sourceIdentity === undefined ? {} : { sourceIdentity: s.sourceIdentity }),
        },
      };
    }
  }
}

/** One management API call, as the service that handled it saw it. */
export interface ApiCall {
  /** Where the event is recorded: the recipient account and the region of the endpoint called. */
  place: Place;
  caller: Caller;
  atMs: number;
  requestId: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  sourceIp: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  /** The answer on success (null when it had no body); absent for a failed call. */
  responseElements?: Record<string, unknown> | null;
  /** The error on failure: AWS records failed calls too. */
  error?: { code: string; message: string | undefined };
  /** The record's `resources` (STS names the role it assumed). */
  recordResources?: { accountId: string; type: string; ARN: string }[];
  /** What LookupEvents lists as the event's resources. */
  resources: EventResource[];
}

/** Builds the CloudTrail record of a call, with CloudTrail's field order, and the event LookupEvents finds it by. */
export function trailEvent(call: ApiCall): Omit<TrailEvent, 'seq'> {
  const eventId = newUuid();
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(call.caller, call.place.account),
    eventTime: trailTime(call.atMs),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: call.place.region,
    sourceIPAddress: call.sourceIp,
    userAgent: call.userAgent,
    ...(call.error
      ? {
          errorCode: call.error.code,
          ...(call.error.message === undefined ? {} : { errorMessage: call.error.message }),
        }
      : {}),
    requestParameters: call.requestParameters,
    responseElements: call.error ? null : (call.responseElements ?? null),
    requestID: call.requestId,
    eventID: eventId,
    readOnly: call.readOnly,
    ...(call.recordResources ? { resources: call.recordResources } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: call.place.account,
    eventCategory: 'Management',
  };
  const sameAccount = call.caller.account === call.place.account;
  return {
    atMs: call.atMs,
    eventId,
    eventName: call.eventName,
    eventSource: call.eventSource,
    readOnly: call.readOnly,
    accessKeyId: call.caller.accessKeyId,
    username: sameAccount ? userName(call.caller) : undefined,
    resources: call.resources,
    record,
  };
}
