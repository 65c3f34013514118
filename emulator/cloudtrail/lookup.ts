import { createHash } from 'node:crypto';
import {
  invalidEventCategory,
  invalidLookupAttributes,
  invalidMaxResults,
  invalidNextToken,
  invalidTimeRange,
} from './errors.js';
import type { TrailEvent } from './store.js';

const KEYS = [
  'AccessKeyId',
  'EventId',
  'EventName',
  'EventSource',
  'ReadOnly',
  'ResourceName',
  'ResourceType',
  'Username',
] as const;
type Key = (typeof KEYS)[number];

/** Event history keeps 90 days. */
const RETENTION_MS = 90 * 24 * 3600 * 1000;
const DEFAULT_PAGE = 50;

function matches(event: TrailEvent, key: Key, value: string): boolean {
  switch (key) {
    case 'AccessKeyId':
      return event.accessKeyId === value;
    case 'EventId':
      return event.eventId === value;
    case 'EventName':
      return event.eventName === value;
    case 'EventSource':
      return event.eventSource === value;
    case 'ReadOnly':
      return String(event.readOnly) === value;
    case 'ResourceName':
      return event.resources.some((r) => r.ResourceName === value);
    case 'ResourceType':
      return event.resources.some((r) => r.ResourceType === value);
    case 'Username':
      return event.username === value;
  }
}

/** The one lookup attribute allowed, checked. */
function attributeOf(value: unknown): { key: Key; value: string } | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidLookupAttributes('LookupAttributes must be a list.');
  if (value.length > 1) throw invalidLookupAttributes('You can specify only one lookup attribute.');
  const entry = value[0] as { AttributeKey?: unknown; AttributeValue?: unknown } | undefined;
  if (entry === undefined) return undefined;
  const key = entry.AttributeKey;
  if (!KEYS.includes(key as Key)) {
    throw invalidLookupAttributes(`AttributeKey must be one of ${KEYS.join(', ')}.`);
  }
  const text = entry.AttributeValue;
  if (typeof text !== 'string' || text.length < 1 || text.length > 2000) {
    throw invalidLookupAttributes('AttributeValue must be 1 to 2000 characters long.');
  }
  return { key: key as Key, value: text };
}

/** A time given as epoch seconds (what the SDK sends) or ISO text; undefined when absent. */
function timeOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalidTimeRange();
  return ms;
}

/** Where a page starts: the event that would have come next, and the parameters the token was made for. */
interface Token {
  params: string;
  atMs: number;
  seq: number;
}

const encode = (token: Token) => Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');

function decode(text: unknown, params: string): Token {
  try {
    const token = JSON.parse(Buffer.from(String(text), 'base64url').toString('utf8')) as Token;
    if (token.params === params && Number.isFinite(token.atMs) && Number.isFinite(token.seq)) return token;
  } catch {
    // fall through: any token not made by this emulator for these parameters is invalid
  }
  throw invalidNextToken();
}

/** An event as LookupEvents lists it. */
function eventView(event: TrailEvent): object {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    ReadOnly: String(event.readOnly),
    AccessKeyId: event.accessKeyId,
    EventTime: Math.floor(event.atMs / 1000),
    EventSource: event.eventSource,
    ...(event.username === undefined ? {} : { Username: event.username }),
    Resources: event.resources,
    CloudTrailEvent: JSON.stringify(event.record),
  };
}

/**
 * LookupEvents over one place's delivered events: at most one lookup attribute, StartTime and EndTime (both
 * inclusive, to the second), the last 90 days, newest first, MaxResults 1–50 (default 50) a page, and a NextToken
 * valid only with the same parameters.
 */
export function lookupEvents(input: Record<string, unknown>, delivered: TrailEvent[], nowMs: number): object {
  const attribute = attributeOf(input.LookupAttributes);
  const start = timeOf(input.StartTime);
  const end = timeOf(input.EndTime);
  if (start !== undefined && end !== undefined && start > end) throw invalidTimeRange();
  const max = input.MaxResults ?? DEFAULT_PAGE;
  if (!(Number.isInteger(max) && (max as number) >= 1 && (max as number) <= DEFAULT_PAGE)) throw invalidMaxResults();
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') throw invalidEventCategory();
  const params = createHash('sha256')
    .update(
      JSON.stringify([input.LookupAttributes, input.StartTime, input.EndTime, input.EventCategory, input.MaxResults]),
    )
    .digest('base64url');
  const token = input.NextToken === undefined ? undefined : decode(input.NextToken, params);
  // Insights events are never recorded here, so asking for them finds none.
  if (input.EventCategory === 'insight') return { Events: [] };
  const newestFirst = delivered
    .filter((e) => {
      const second = Math.floor(e.atMs / 1000) * 1000;
      return (
        e.atMs >= nowMs - RETENTION_MS &&
        (start === undefined || second >= start) &&
        (end === undefined || second <= end) &&
        (attribute === undefined || matches(e, attribute.key, attribute.value))
      );
    })
    .sort((a, b) => b.atMs - a.atMs || b.seq - a.seq);
  const from = token
    ? newestFirst.findIndex((e) => e.atMs < token.atMs || (e.atMs === token.atMs && e.seq <= token.seq))
    : 0;
  const begin = from === -1 ? newestFirst.length : from;
  const page = newestFirst.slice(begin, begin + (max as number));
  const next = newestFirst[begin + (max as number)];
  return {
    Events: page.map(eventView),
    ...(next ? { NextToken: encode({ params, atMs: next.atMs, seq: next.seq }) } : {}),
  };
}
