import type { Clock } from '../core/clock.js';
import { isoWithOffset } from '../core/format.js';
import { newUuid } from '../core/ids.js';
import type { Scheduler } from '../core/scheduler.js';
import { conflict } from './errors.js';
import type { FunctionRecord } from './model.js';
import { functionArn } from './names.js';

/**
 * The short asynchronous phases AWS puts a function through: `Pending` after creation and `LastUpdateStatus:
 * InProgress` after an update. Each ends after `delayMs`, and each end changes `$LATEST`'s RevisionId, as in AWS.
 */
export class Lifecycle {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private delayMs: number,
  ) {}

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Marks a new function Pending until the delay passes. */
  beginCreate(fn: FunctionRecord): void {
    fn.latest.State = 'Pending';
    delete fn.latest.LastUpdateStatus;
    this.finishLater(fn);
  }

  /** Marks `$LATEST` InProgress (with a new RevisionId) until the delay passes. */
  beginUpdate(fn: FunctionRecord): void {
    fn.latest.LastUpdateStatus = 'InProgress';
    fn.latest.RevisionId = newUuid();
    fn.latest.LastModified = isoWithOffset(this.clock.now());
    this.finishLater(fn);
  }

  /** AWS refuses to update or publish a function that is still being created or updated. */
  assertIdle(fn: FunctionRecord): void {
    if (fn.busyUntil === undefined) return;
    if (fn.latest.State === 'Pending') {
      throw conflict(
        'The operation cannot be performed at this time. The function is currently in the following state: Pending',
      );
    }
    throw conflict(
      `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(fn.place, fn.name)}`,
    );
  }

  private finishLater(fn: FunctionRecord): void {
    const due = this.clock.now() + this.delayMs;
    fn.busyUntil = due;
    this.scheduler.at(due, () => {
      if (fn.busyUntil !== due) return;
      delete fn.busyUntil;
      fn.latest.State = 'Active';
      fn.latest.LastUpdateStatus = 'Successful';
      fn.latest.RevisionId = newUuid();
      for (const version of fn.versions.values()) if (version.State === 'Pending') version.State = 'Active';
    });
  }
}
