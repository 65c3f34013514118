import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { STSClient } from '@aws-sdk/client-sts';

/** Credentials as the SDK takes them; the emulator reads only the access key ID (and the session token of ASIA keys). */
export interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** The four SDK clients of one caller in one region. */
export interface Clients {
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  sts: STSClient;
  cloudtrail: CloudTrailClient;
  destroy(): void;
}

/**
 * SDK clients pointed at the emulator that act as a given caller in a given region: an access key ID of 12 digits
 * is the root of that account, e.g. `clientsAt(url, 'eu-west-1', '222222222222')`. Without an endpoint (real AWS)
 * and without a key, the SDK's default endpoint and credential chain are used.
 */
export function clientsAt(endpoint: string | undefined, region: string, key: string | Keys | undefined): Clients {
  const credentials = typeof key === 'string' ? { accessKeyId: key, secretAccessKey: 'emulator' } : key;
  const config = {
    region,
    maxAttempts: endpoint === undefined ? 3 : 1,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
  };
  const clients = {
    lambda: new LambdaClient(config),
    cloudwatch: new CloudWatchClient(config),
    sts: new STSClient(config),
    cloudtrail: new CloudTrailClient(config),
  };
  return {
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
