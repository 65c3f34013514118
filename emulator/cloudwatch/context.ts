import type { Clock } from '../core/clock.js';
import type { CloudWatchPlace, CloudWatchState } from './state.js';

/** What every CloudWatch operation handler is given. */
export interface CloudWatchContext {
  state: CloudWatchState;
  /** The state of the caller's account in the request's region. */
  place: CloudWatchPlace;
  clock: Clock;
}

/** A CloudWatch operation: JSON input in, JSON output out (errors are thrown as CloudWatchError). */
export type CloudWatchHandler = (input: Record<string, unknown>, ctx: CloudWatchContext) => object;
