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

export function createAwsClients(settings: AwsSettings): { lambda: LambdaClient; cloudwatch: CloudWatchClient } {
  const common = {
    maxAttempts: MAX_ATTEMPTS,
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  };
  return { lambda: new LambdaClient(common), cloudwatch: new CloudWatchClient(common) };
}
