import type { CloudWatchHandler } from './context.js';
import { invalidNextToken } from './errors.js';
import { boundedInt, boundedString, enumValue, epochMs, stringList, tokens } from './validation.js';

/** One alarm history item, as DescribeAlarmHistory returns it (Timestamp kept in epoch ms here). */
export interface HistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm' | 'CompositeAlarm';
  Timestamp: number;
  HistoryItemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  HistorySummary: string;
  HistoryData: string;
}

const ITEM_TYPES = [
  'ConfigurationUpdate',
  'StateUpdate',
  'Action',
  'AlarmContributorStateUpdate',
  'AlarmContributorAction',
] as const;
const SCAN = ['TimestampDescending', 'TimestampAscending'] as const;

/**
 * DescribeAlarmHistory: newest first by default, filtered by alarm, types (metric alarms unless asked), item type
 * and date range, at most
 * MaxRecords (1–100, default 100) a page.
 */
export const describeAlarmHistory: CloudWatchHandler = (input, ctx) => {
  const name = boundedString(input.AlarmName, 'alarmName', 255, 1);
  const types = stringList(input.AlarmTypes, 'alarmTypes', 2);
  const itemType = enumValue(input.HistoryItemType, 'historyItemType', ITEM_TYPES);
  const from = epochMs(input.StartDate) ?? -Infinity;
  const to = epochMs(input.EndDate) ?? Infinity;
  const max = boundedInt(input.MaxRecords, 'maxRecords', 1, 100) ?? 100;
  const scan = enumValue(input.ScanBy, 'scanBy', SCAN) ?? 'TimestampDescending';
  // As in DescribeAlarms, leaving AlarmTypes out means metric alarms only (API reference).
  const wanted = new Set(types.length > 0 ? types : ['MetricAlarm']);
  // Items are appended in time order; the index is a stable key for pagination.
  const indexed = ctx.place.history
    .map((item, index) => ({ item, index }))
    .filter(
      ({ item }) =>
        (name === undefined || item.AlarmName === name) &&
        wanted.has(item.AlarmType) &&
        (itemType === undefined || item.HistoryItemType === itemType) &&
        item.Timestamp >= from &&
        item.Timestamp <= to,
    );
  if (scan === 'TimestampDescending') indexed.reverse();
  let start = 0;
  if (input.NextToken !== undefined) {
    const key = typeof input.NextToken === 'string' ? tokens.decode(input.NextToken) : undefined;
    const wantedIndex = key === undefined ? Number.NaN : Number(key);
    start = indexed.findIndex(({ index }) => index === wantedIndex);
    if (start === -1) throw invalidNextToken();
  }
  const page = indexed.slice(start, start + max);
  const next = indexed[start + max];
  const out: Record<string, unknown> = {
    AlarmHistoryItems: page.map(({ item }) => ({ ...item, Timestamp: item.Timestamp / 1000 })),
  };
  if (next) out.NextToken = tokens.encode(String(next.index));
  return out;
};
