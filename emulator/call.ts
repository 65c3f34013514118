import type { AwsService } from './control/faults.js';
import type { Reply } from './core/http.js';
import type { Place } from './core/place.js';
import type { Caller } from './iam/identity.js';

/** An authenticated AWS call, ready to run: who calls, where, and the id its answer carries. */
export interface CallRequest {
  caller: Caller;
  place: Place;
  requestId: string;
}

/**
 * Why credentials are refused before the operation runs: a key the emulator never issued, a region the account has
 * not enabled, temporary credentials past their Expiration, or a session whose role was deleted (no policy left to
 * allow anything: `callerArn` is denied).
 */
export type Refusal =
  | { kind: 'invalid-token' }
  | { kind: 'region-disabled'; place: Place }
  | { kind: 'expired-token' }
  | { kind: 'denied'; callerArn: string; place: Place };

/** One AWS call, matched to its service and operation, ready to run once faults have been decided. */
export interface Call {
  service: AwsService;
  operation: string;
  run(request: CallRequest): Reply;
  faultReply(kind: 'throttle' | 'error5xx', retryAfterSeconds: number, requestId: string): Reply;
  /** The service's own answer to refused credentials (each service words and codes these differently). */
  refuse(refusal: Refusal, requestId: string): Reply;
}
