import type { Clock } from '../core/clock.js';
import type { Reply } from '../core/http.js';
import type { Place } from '../core/place.js';
import type { Lifecycle } from './lifecycle.js';
import type { LambdaStore } from './store.js';

/** What every Lambda operation handler is given. */
export interface LambdaContext {
  store: LambdaStore;
  clock: Clock;
  lifecycle: Lifecycle;
}

/** One decoded Lambda request. */
export interface LambdaRequest {
  /** The account of the caller's access key and the region of its credential scope. */
  place: Place;
  /** Who is calling, for AWS's "User: … is not authorized to perform: …" messages. */
  callerArn: string;
  /** The operation's name, which is also its IAM action (`lambda:UpdateAlias`). */
  operation: string;
  /** Decoded path labels, e.g. `{ FunctionName: 'arn:aws:lambda:…', Name: 'prod' }`. */
  labels: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export type LambdaHandler = (req: LambdaRequest, ctx: LambdaContext) => Reply;
