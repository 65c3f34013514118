import type { Clock } from '../core/clock.js';
import type { Reply } from '../core/http.js';
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
  region: string;
  /** Decoded path labels, e.g. `{ FunctionName: 'arn:aws:lambda:…', Name: 'prod' }`. */
  labels: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export type LambdaHandler = (req: LambdaRequest, ctx: LambdaContext) => Reply;
