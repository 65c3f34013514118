import { type Place, PlaceMap } from '../core/place.js';
import type { HistoryItem } from './history.js';
import type { Alarm, MetricAlarm } from './model.js';
import { MetricStore } from './series.js';

/** An alarm's period; a metric-math alarm has that of the query whose data it returns. */
export function alarmPeriod(alarm: MetricAlarm): number {
  if (alarm.period !== undefined) return alarm.period;
  const returned = alarm.metrics?.find((q) => q.ReturnData !== false);
  return returned?.MetricStat?.Period ?? returned?.Period ?? 60;
}

/** CloudWatch's state in one place (account and region). */
export class CloudWatchPlace {
  readonly metrics = new MetricStore();
  readonly alarms = new Map<string, Alarm>();
  readonly history: HistoryItem[] = [];
  /** Composite alarm names by the child alarm names their rules mention, to re-evaluate parents cheaply. */
  readonly parents = new Map<string, Set<string>>();

  constructor(readonly place: Place) {}
}

/**
 * Every place's CloudWatch state, plus the schedule of metric alarm evaluations: alarms grouped by how often
 * they are evaluated, so that each second only the groups whose boundary passed are looked at.
 */
export class CloudWatchState {
  private readonly places = new PlaceMap((p) => new CloudWatchPlace(p));
  /** Evaluation interval in seconds → alarms evaluated at each multiple of it. */
  readonly schedule = new Map<number, Set<MetricAlarm>>();

  /** The state of one place, created empty on first use. */
  at(p: Place): CloudWatchPlace {
    return this.places.at(p);
  }

  /** Schedules an alarm's evaluations: high-resolution alarms every period, the others every minute, as AWS does. */
  scheduleAlarm(alarm: MetricAlarm): void {
    const interval = Math.min(alarmPeriod(alarm), 60);
    let group = this.schedule.get(interval);
    if (!group) {
      group = new Set();
      this.schedule.set(interval, group);
    }
    group.add(alarm);
  }

  unschedule(alarm: MetricAlarm): void {
    for (const group of this.schedule.values()) group.delete(alarm);
  }

  clear(): void {
    this.places.clear();
    this.schedule.clear();
  }
}
