import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';

export interface AwsSettings {
  readonly region?: string;
  /** AWS_ENDPOINT_URL: the emulator in tests and the sandbox; unset against AWS. */
  readonly endpoint?: string;
}

/**
 * Lambda's control plane allows 15 requests a second per account and Region, shared with every
 * other tool. More attempts than the SDK's default 3 let a release finish through a busy minute.
 */
const MAX_ATTEMPTS = 5;

/**
 * Each attempt is bounded, so that an endpoint that accepts a connection and never answers costs
 * one attempt, not the whole command: the SDK's default is to wait forever. The control-plane
 * calls the bot makes answer in well under a second; the response limit leaves room for a slow
 * moment. A timed-out attempt is retried like a 5xx (the SDK counts TimeoutError as transient).
 */
export const AWS_TIMEOUTS = { connectionTimeout: 2000, requestTimeout: 5000, throwOnRequestTimeout: true } as const;

export function createAwsClients(settings: AwsSettings): { lambda: LambdaClient; cloudwatch: CloudWatchClient } {
  const common = {
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: AWS_TIMEOUTS,
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  };
  return { lambda: new LambdaClient(common), cloudwatch: new CloudWatchClient(common) };
}
