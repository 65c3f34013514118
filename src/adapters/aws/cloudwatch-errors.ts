import { BotError } from '../../domain/errors.js';
import { type Place, placeLabel } from '../../domain/target.js';
import { fromAws } from './errors.js';

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $fault?: 'client' | 'server';
}

/**
 * A CloudWatch SDK error (after the SDK's own retries) as a BotError, as `errors.ts` does for
 * Lambda: throttling, server faults and no answer at all are `aws-unavailable` (try again next
 * poll); anything else is `aws-refused` with AWS's message (a missing permission, say).
 */
export function fromCloudWatch(error: unknown, operation: string, place?: Place): BotError {
  if (error instanceof BotError) return error;
  const e = (error ?? {}) as SdkError;
  // Credentials refused in that account and region: explained as Lambda's are.
  if (place && /ExpiredToken|UnrecognizedClient|InvalidClientTokenId|RegionDisabled/.test(e.name ?? '')) {
    return fromAws(error, { operation, fn: '', place });
  }
  const where = place ? ` in ${placeLabel(place)}` : '';
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = (e.message ?? name).slice(0, 400);
  const unavailable =
    status === undefined ||
    status === 429 ||
    status >= 500 ||
    e.$fault === 'server' ||
    /Throttl|TooManyRequests|LimitExceeded/.test(name);
  return unavailable
    ? new BotError(
        'aws-unavailable',
        `CloudWatch ${operation}${where} failed (${name}${status ? ` ${status}` : ''}): ${message}`,
        {
          cause: error,
          details: { aws: name },
        },
      )
    : new BotError('aws-refused', `CloudWatch ${operation}${where}: ${message}`, {
        cause: error,
        details: { aws: name },
      });
}
