import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { AWS_TIMEOUTS, type AwsSettings } from './clients.js';

/** Error names AWS gives a caller it is rate-limiting (CloudWatch's, Lambda's, the SDK's generic one). */
const THROTTLES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/**
 * The AWS half of /readyz: one DescribeAlarms, one attempt. It has a client of its own because the
 * bot's clients retry throttling for seconds, longer than a probe may take; and a throttled answer
 * counts as ready: AWS was reached and knew who we are, it is busy, and the bot's own calls will
 * retry. Marking replicas unready when the account is throttled would take them all out at once.
 */
export function awsReadiness(settings: AwsSettings): { check(): Promise<void>; close(): void } {
  const client = new CloudWatchClient({
    maxAttempts: 1,
    requestHandler: AWS_TIMEOUTS,
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  return {
    async check() {
      try {
        await client.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
      } catch (error) {
        if (isThrottle(error)) return;
        throw error;
      }
    },
    close: () => client.destroy(),
  };
}

export function isThrottle(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLES.has(error.name) || status === 429;
}
