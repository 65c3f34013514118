import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { Fleet } from '../../domain/fleet.js';
import { type Place, placeLabel } from '../../domain/target.js';
import type { ReadinessCheck } from '../http/readiness.js';
import type { AwsClients } from './clients.js';

/** Error names AWS gives a caller it is rate-limiting (CloudWatch's, Lambda's, the SDK's generic one). */
const THROTTLES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/**
 * The AWS half of /readyz: one DescribeAlarms per (account, region) of the policy, one attempt each,
 * in the bot's session there, each named `aws:ACCOUNT/REGION` (CONTRACT §9). The clients are their
 * own (one attempt): the bot's clients retry throttling for seconds, longer than a probe may take.
 * A throttled answer counts as ready: AWS was reached and knew who we are, it is busy, and the
 * bot's own calls will retry. Marking replicas unready when the account is throttled would take
 * them all out at once. With no function anywhere, the bot's own account and region are probed.
 */
export function awsReadiness(clients: AwsClients, fleet: Fleet): ReadinessCheck[] {
  const places = fleet.places().length > 0 ? fleet.places() : [fleet.home];
  return places.map((place) => ({
    name: `aws:${placeLabel(place)}`,
    group: 'aws',
    check: () => probe(clients, place),
  }));
}

async function probe(clients: AwsClients, place: Place): Promise<void> {
  try {
    await clients.cloudwatch(place).send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
  } catch (error) {
    if (isThrottle(error)) return;
    throw error;
  }
}

export function isThrottle(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return THROTTLES.has(error.name) || status === 429;
}
