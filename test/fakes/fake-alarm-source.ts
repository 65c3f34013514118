import {
  type Alarm,
  type AlarmStateValue,
  type AlarmSubject,
  alarmId,
  type WatchedAlarm,
} from '../../src/domain/alarm.js';
import { type Place, placeKey } from '../../src/domain/target.js';
import type { AlarmSource, AlarmSweep } from '../../src/ports.js';

/** The test fleet's home (kit.ts): the bot's own account, us-east-1. */
export const TEST_HOME: Place = { account: { name: 'own', id: '123456789012' }, region: 'us-east-1' };

/**
 * Alarms a test sets by hand, answered as a sweep would answer them. The CloudWatch adapter is
 * tested against the emulator; this drives the poller's logic, fast.
 */
export class FakeAlarmSource implements AlarmSource {
  private readonly alarms = new Map<string, WatchedAlarm>();
  sweeps = 0;
  private failures = 0;

  /** An alarm on AWS/Lambda Errors (sum over 1 min, above 10) for `subject`, in `state` since `since`. */
  set(
    name: string,
    subject: AlarmSubject,
    state: AlarmStateValue,
    since: number,
    value = 25,
    place: Place = TEST_HOME,
  ): void {
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
    const id = alarmId(place, TEST_HOME, name);
    this.alarms.set(id, { id, place, alarm, subject });
  }

  failNext(times = 1): void {
    this.failures = times;
  }

  /** As the CloudWatch adapter answers: a place that could not be read is reported, not thrown. */
  async sweep(place?: Place): Promise<AlarmSweep> {
    this.sweeps++;
    const here = (w: WatchedAlarm) => place === undefined || placeKey(w.place) === placeKey(place);
    if (this.failures > 0) {
      this.failures--;
      const reason = 'CloudWatch DescribeAlarms failed (Throttling 400): Rate exceeded';
      return { alarms: [], missing: [], failed: [{ place: place ?? TEST_HOME, reason }] };
    }
    return { alarms: structuredClone([...this.alarms.values()].filter(here)), missing: [], failed: [] };
  }
}
