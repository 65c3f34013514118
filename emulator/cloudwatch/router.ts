import type { Clock } from '../core/clock.js';
import type { Reply } from '../core/http.js';
import { parseJsonObject } from '../core/http.js';
import type { Place } from '../core/place.js';
import { deleteAlarms, putMetricAlarm, setAlarmState } from './alarms.js';
import { putCompositeAlarm } from './composite.js';
import type { CloudWatchHandler } from './context.js';
import { describeAlarms } from './describe.js';
import { CloudWatchError } from './errors.js';
import { describeAlarmHistory } from './history.js';
import { getMetricData, putMetricData } from './metric-data.js';
import type { CloudWatchState } from './state.js';

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const JSON_10 = 'application/x-amz-json-1.0';

const OPERATIONS: Record<string, CloudWatchHandler> = {
  PutMetricAlarm: putMetricAlarm,
  PutCompositeAlarm: putCompositeAlarm,
  DescribeAlarms: describeAlarms,
  DescribeAlarmHistory: describeAlarmHistory,
  SetAlarmState: setAlarmState,
  DeleteAlarms: deleteAlarms,
  PutMetricData: putMetricData,
  GetMetricData: getMetricData,
};

/** The operation an `x-amz-target` header names, or undefined when it is not a CloudWatch target. */
export function cloudWatchOperation(target: string | undefined): string | undefined {
  return target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
}

/** Runs one CloudWatch JSON 1.0 call and turns its result or error into the reply AWS would send. */
export function runCloudWatch(
  operation: string,
  body: Buffer,
  place: Place,
  queryMode: boolean,
  state: CloudWatchState,
  clock: Clock,
): Reply {
  const handler = OPERATIONS[operation];
  if (!handler) {
    return new CloudWatchError(
      'InvalidAction',
      400,
      `The action ${operation} is not valid for this web service.`,
    ).toReply(queryMode);
  }
  const input = parseJsonObject(body);
  if (!input)
    return new CloudWatchError('SerializationException', 400, 'Could not parse the request body as JSON.').toReply(
      queryMode,
    );
  try {
    const output = handler(input, { state, place: state.at(place), clock });
    return { status: 200, body: output, contentType: JSON_10 };
  } catch (error) {
    if (error instanceof CloudWatchError) return error.toReply(queryMode);
    throw error;
  }
}
