import type { Reply } from '../core/http.js';
import { parseJsonObject } from '../core/http.js';
import { CloudTrailError, JSON_11, unknownOperation } from './errors.js';
import { lookupEvents } from './lookup.js';
import type { TrailEvent } from './store.js';

/** The JS SDK's target prefix, and the fully qualified one botocore sends; both are accepted. */
const PREFIXES = ['CloudTrail_20131101.', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.'];

/** The CloudTrail operation an `x-amz-target` header names, or undefined when it is not a CloudTrail target. */
export function cloudTrailOperation(target: string | undefined): string | undefined {
  const prefix = PREFIXES.find((p) => target?.startsWith(p));
  return prefix === undefined ? undefined : target?.slice(prefix.length);
}

/** Runs one CloudTrail call (LookupEvents, over the caller's place's delivered events). */
export function runCloudTrail(operation: string, body: Buffer, delivered: () => TrailEvent[], nowMs: number): Reply {
  try {
    if (operation !== 'LookupEvents') throw unknownOperation(operation);
    const input = parseJsonObject(body);
    if (!input) throw new CloudTrailError('SerializationException', 'Could not parse the request body as JSON.');
    return { status: 200, contentType: JSON_11, body: lookupEvents(input, delivered(), nowMs) };
  } catch (error) {
    if (error instanceof CloudTrailError) return error.toReply();
    throw error;
  }
}
