import { type Event, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Target } from '../../domain/target.js';
import type { TrailEvent } from '../../domain/trail.js';
import type { TrailSource } from '../../ports.js';
import type { AwsClients } from './clients.js';
import { fromAws } from './errors.js';

/** Pages read per lookup: 50 events each; a function rarely has more writes in the window looked at. */
const MAX_PAGES = 4;
/** The errors that mean "the bot may not read CloudTrail here", not "CloudTrail is down". */
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'OperationNotPermittedException',
]);

/**
 * CloudTrail's event history of one function (LookupEvents by its AWS name as the resource name),
 * in its account and region, as the bot's own session there. CloudTrail allows 2 LookupEvents a
 * second per account and region: the watch paces its lookups, and this reads a few pages at most.
 */
export class CloudTrailEvents implements TrailSource {
  constructor(private readonly clients: AwsClients) {}

  async events(target: Target, since: Date): Promise<readonly TrailEvent[] | 'denied'> {
    const client = this.clients.cloudtrail(target.place);
    const events: TrailEvent[] = [];
    let token: string | undefined;
    let pages = 0;
    try {
      do {
        const page = await client.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: target.name }],
            StartTime: since,
            MaxResults: 50,
            NextToken: token,
          }),
        );
        for (const e of page.Events ?? []) {
          const parsed = parse(e);
          if (parsed) events.push(parsed);
        }
        token = page.NextToken;
      } while (token && ++pages < MAX_PAGES);
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (DENIED.has(name)) return 'denied';
      throw fromAws(error, { operation: 'LookupEvents', fn: target.fn, place: target.place });
    }
    return events;
  }
}

/** The parts of a CloudTrail record the watch reads; a record that does not parse is skipped. */
function parse(e: Event): TrailEvent | undefined {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(e.CloudTrailEvent ?? '{}') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const context = (identity.sessionContext ?? {}) as Record<string, unknown>;
  const name = e.EventName ?? (typeof record.eventName === 'string' ? record.eventName : undefined);
  if (!name) return undefined;
  return {
    eventName: name,
    eventTime: e.EventTime?.toISOString() ?? String(record.eventTime ?? ''),
    ...(typeof identity.arn === 'string' ? { arn: identity.arn } : {}),
    ...(typeof identity.type === 'string' ? { identityType: identity.type } : {}),
    ...(typeof context.sourceIdentity === 'string' ? { sourceIdentity: context.sourceIdentity } : {}),
    requestParameters: (record.requestParameters ?? {}) as Record<string, unknown>,
    responseElements: (record.responseElements ?? {}) as Record<string, unknown>,
    ...(typeof record.errorCode === 'string' ? { errorCode: record.errorCode } : {}),
  };
}
