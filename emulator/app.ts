import { TrailStore } from './cloudtrail/store.js';
import { evaluateDueAlarms } from './cloudwatch/evaluator.js';
import { CloudWatchState } from './cloudwatch/state.js';
import { CallCounter } from './control/calls.js';
import { Faults } from './control/faults.js';
import { TrafficSimulator } from './control/traffic.js';
import { type Clock, type ClockMode, createClock } from './core/clock.js';
import { createPrng } from './core/prng.js';
import { Scheduler } from './core/scheduler.js';
import { Iam } from './iam/iam.js';
import { Lifecycle } from './lambda/lifecycle.js';
import { LambdaStore } from './lambda/store.js';
import { S3Store } from './s3/store.js';

/** Settings of one emulator instance. */
export interface AppOptions {
  updateDelayMs: number;
  clock: ClockMode;
  seed: number;
}

/**
 * The emulator's state and the services over it, wired once. Routers receive this; nothing else holds state, so a
 * reset is a matter of clearing what is here.
 */
export class App {
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly lambda = new LambdaStore();
  readonly cloudwatch = new CloudWatchState();
  readonly lifecycle: Lifecycle;
  readonly calls = new CallCounter();
  /** Roles, registered principals, issued sessions and regions switched off. */
  readonly iam = new Iam();
  /** CloudTrail's event history per place, and its delivery delay. */
  readonly trail = new TrailStore();
  /** S3 buckets, each in its owner's place, under one namespace of names. */
  readonly s3 = new S3Store();
  faults: Faults;
  traffic: TrafficSimulator;

  constructor(readonly options: AppOptions) {
    this.clock = createClock(options.clock);
    this.scheduler = new Scheduler(this.clock);
    this.lifecycle = new Lifecycle(this.scheduler, this.clock, options.updateDelayMs);
    this.faults = new Faults(createPrng(options.seed ^ 0x5eed));
    this.traffic = this.newTraffic();
    // Order matters: traffic for a second is written before the alarms that end at that second look at it.
    this.scheduler.everySecond((ms) => this.traffic.tick(ms));
    this.scheduler.everySecond((ms) => evaluateDueAlarms(this.cloudwatch, ms));
  }

  /**
   * Back to a fresh emulator: no functions, alarms, metrics, buckets, faults, traffic, counts, roles, principals,
   * sessions, regions switched off or CloudTrail events (and no delivery delay); the clock real again.
   */
  reset(): void {
    this.lambda.clear();
    this.iam.clear();
    this.trail.clear();
    this.s3.clear();
    this.cloudwatch.clear();
    this.calls.clear();
    this.faults = new Faults(createPrng(this.options.seed ^ 0x5eed));
    this.traffic = this.newTraffic();
    this.scheduler.clearTimers();
    this.clock.setReal();
    this.scheduler.jumpTo(this.clock.now());
  }

  private newTraffic(): TrafficSimulator {
    return new TrafficSimulator(this.lambda, (p) => this.cloudwatch.at(p).metrics, createPrng(this.options.seed));
  }
}
