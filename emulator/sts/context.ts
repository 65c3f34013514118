import type { Clock } from '../core/clock.js';
import type { Place } from '../core/place.js';
import type { XmlNode } from '../core/xml.js';
import type { Iam } from '../iam/iam.js';
import type { Caller } from '../iam/identity.js';
import type { Role } from '../iam/roles.js';
import type { Session } from '../iam/sessions.js';
import type { QueryInput } from './form.js';

/** What every STS operation handler is given. */
export interface StsContext {
  iam: Iam;
  clock: Clock;
  caller: Caller;
  /** The caller's account and the region of the STS endpoint it signed for. */
  place: Place;
}

/** A session AssumeRole issued, with what was asked, for CloudTrail to record in the role's account. */
export interface AssumedRole {
  role: Role;
  session: Session;
  durationSeconds: number | undefined;
  externalId: string | undefined;
  /** The SourceIdentity the caller passed (not the one inherited through chaining). */
  requestedSourceIdentity: string | undefined;
}

/** An operation's answer: the members of its `<OpResult>`, and the session it issued, if any. */
export interface StsResult {
  members: (XmlNode | undefined)[];
  assumed?: AssumedRole;
}

/** An STS operation: errors are thrown as StsError. */
export type StsHandler = (input: QueryInput, ctx: StsContext) => StsResult;
