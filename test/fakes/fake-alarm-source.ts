import type { Alarm, AlarmStateValue, AlarmSubject, WatchedAlarm } from '../../src/domain/alarm.js';
import { BotError } from '../../src/domain/errors.js';
import type { AlarmSource, AlarmSweep } from '../../src/ports.js';

/**
 * Alarms a test sets by hand, answered as a sweep would answer them. The CloudWatch adapter is
 * tested against the emulator; this drives the poller's logic, fast.
 */
export class FakeAlarmSource implements AlarmSource {
  private readonly alarms = new Map<string, WatchedAlarm>();
  sweeps = 0;
  private failures = 0;

  /** An alarm on AWS/Lambda Errors (sum over 1 min, above 10) for `subject`, in `state` since `since`. */
  set(name: string, subject: AlarmSubject, state: AlarmStateValue, since: number, value = 25): void {
    const alarm: Alarm = {
      name,
      kind: 'metric',
      state,
      since,
      reason: `Threshold Crossed: 1 datapoint [${value}.0] was greater than the threshold (10.0).`,
      reasonData: JSON.stringify({ statistic: 'Sum', period: 60, recentDatapoints: [value], threshold: 10 }),
      metric: {
        namespace: 'AWS/Lambda',
        name: 'Errors',
        dimensions: {
          FunctionName: subject.fn,
          ...(subject.alias ? { Resource: `${subject.fn}:${subject.alias}` } : {}),
        },
        statistic: 'Sum',
        periodSeconds: 60,
      },
      threshold: 10,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 1,
    };
    this.alarms.set(name, { alarm, subject });
  }

  failNext(times = 1): void {
    this.failures = times;
  }

  async sweep(): Promise<AlarmSweep> {
    this.sweeps++;
    if (this.failures > 0) {
      this.failures--;
      throw new BotError('aws-unavailable', 'CloudWatch DescribeAlarms failed (Throttling 400): Rate exceeded');
    }
    return { alarms: structuredClone([...this.alarms.values()]), missing: [] };
  }
}
