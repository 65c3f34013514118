/**
 * The bot's AWS adapters built as src/main.ts builds them (STS sessions, the client cache, the
 * fleet of targets), pointed at an emulator: for integration tests and benchmarks that drive the
 * adapters or the services directly rather than a bot process.
 */
import { AwsClients, createSts } from '../../src/adapters/aws/clients.js';
import { CloudTrailEvents } from '../../src/adapters/aws/cloudtrail.js';
import { CloudWatchAlarmSource } from '../../src/adapters/aws/cloudwatch-alarms.js';
import { CloudWatchMetrics } from '../../src/adapters/aws/cloudwatch-metrics.js';
import { AwsLambdaGateway } from '../../src/adapters/aws/lambda-gateway.js';
import { RoleSessions } from '../../src/adapters/aws/sessions.js';
import { systemClock } from '../../src/adapters/clock.js';
import { Fleet } from '../../src/domain/fleet.js';
import type { Policy } from '../../src/domain/policy-model.js';
import type { Clock } from '../../src/ports.js';

/** The bot's own credentials in tests: a plain key, so the emulator places it in account 000000000000. */
export const BOT_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
export const BOT_ACCOUNT = '000000000000';

export interface BotAwsOptions {
  readonly region?: string;
  readonly maxAttempts?: number;
  readonly clock?: Clock;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The own account's ID as STS would tell it; `undefined` to leave it unknown. */
  readonly accountId?: string | undefined;
}

export function botAws(endpoint: string, policy: Policy, options: BotAwsOptions = {}) {
  const region = options.region ?? 'us-east-1';
  const credentials = options.credentials ?? BOT_CREDENTIALS;
  const settings = { endpoint, region, credentials };
  const sts = createSts(settings);
  const sessions = new RoleSessions(sts, options.clock ?? systemClock);
  const clients = new AwsClients(
    { ...settings, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) },
    sessions,
  );
  const accountId = 'accountId' in options ? options.accountId : BOT_ACCOUNT;
  const fleet = new Fleet(policy, { region, ...(accountId ? { accountId } : {}) });
  return {
    fleet,
    sts,
    sessions,
    clients,
    lambda: new AwsLambdaGateway(clients),
    alarms: new CloudWatchAlarmSource(clients, fleet, policy),
    metrics: new CloudWatchMetrics(clients),
    trail: new CloudTrailEvents(clients),
    close() {
      clients.destroy();
      sts.destroy();
    },
  };
}
