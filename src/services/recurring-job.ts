import type { Fence } from './alert-delivery.js';

/** A job that must run on one replica at a time; the composition root runs it under a lease. */
export interface RecurringJob {
  readonly everyMs: number;
  run(fence: Fence): Promise<unknown>;
}
