import { BotError } from '../../domain/errors.js';

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
export function fromCloudWatch(error: unknown, operation: string): BotError {
  const e = (error ?? {}) as SdkError;
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
        `CloudWatch ${operation} failed (${name}${status ? ` ${status}` : ''}): ${message}`,
        {
          cause: error,
          details: { aws: name },
        },
      )
    : new BotError('aws-refused', `CloudWatch ${operation}: ${message}`, { cause: error, details: { aws: name } });
}
