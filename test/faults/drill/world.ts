/**
 * What a failover drill runs against: the emulator, a fake Slack, and the bot as two processes on
 * a Sentinel set or a Cluster. Ten people own one function each (an alias `live` on three versions);
 * a canary function has an alias per rollout; an alarm on a function of its own goes on and off.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Routing } from '../../../src/domain/routing.js';
import type { AliasHistoryEntry } from '../../support/alias-audit.js';
import type { SeedFunction } from '../../support/aws-world.js';
import type { BotProcess } from '../../support/bot-process.js';
import { credentials, startWorld, type World } from '../../support/world.js';
import type { DrillTopology } from './topology.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** Slack user IDs of the ten people, each releasing their own function. */
export const PEOPLE = Array.from({ length: 10 }, (_, i) => `U0P${pad(i + 1)}`);
export const functionOf = (person: string) => `drill-${person.slice(2).toLowerCase()}`;
/** Versions each person's function starts with; publishes add more. */
export const SEEDED_VERSIONS = 3;
export const CANARY_FN = 'drill-canary';
export const CANARY_ALIASES = Array.from({ length: 60 }, (_, i) => `k${pad(i)}`);
export const CANARY_PERSON = 'U0CANARY';
export const ALARM_FN = 'drill-alarm';
export const ALARM = 'drill-alarm-errors';
export const ALERTS_CHANNEL = 'C0ALERTS';

const POLICY = `
channels:
  approvals: C0APPROVALS
  alerts: ${ALERTS_CHANNEL}
approval_ttl: 30m
alarm_poll_interval: 5s
roles:
  deployers: [${[...PEOPLE, CANARY_PERSON].join(', ')}]
  approvers: [U0BOB]
  responders: []
functions:
${PEOPLE.map((p) => `  ${functionOf(p)}:\n    aliases:\n      live: {}`).join('\n')}
  ${CANARY_FN}:
    aliases:
${CANARY_ALIASES.map((a) => `      ${a}: {}`).join('\n')}
  ${ALARM_FN}:
    aliases:
      live: {}
`;

const FUNCTIONS: SeedFunction[] = [
  ...PEOPLE.map((p) => ({ name: functionOf(p), versions: SEEDED_VERSIONS, aliases: { live: '1' } })),
  { name: CANARY_FN, versions: 2, aliases: Object.fromEntries(CANARY_ALIASES.map((a) => [a, '1'])) },
  { name: ALARM_FN, versions: 1, aliases: { live: '1' } },
];

export interface DrillWorld {
  readonly world: World;
  readonly topology: DrillTopology;
  /** The two replicas of the bot; commands go to either. */
  readonly bots: readonly BotProcess[];
  /** `REDIS_REPLICAS_ACK` the bots run with. */
  readonly ack: number;
  /**
   * The people's and the drill's own AWS clients, with the SDK's retries: ten loops at once on one
   * emulator now and then meet a kept-alive socket the server just closed (ECONNRESET).
   */
  readonly lambda: LambdaClient;
  readonly cloudwatch: CloudWatchClient;
  /** An alias's routing, as `status` would show it. */
  routing(fn: string, alias: string): Promise<Routing>;
  history(fn: string, alias: string): Promise<AliasHistoryEntry[]>;
  close(): Promise<void>;
}

export async function startDrillWorld(topology: DrillTopology, ack: number): Promise<DrillWorld> {
  const world = await startWorld({
    policy: POLICY,
    functions: FUNCTIONS,
    env: { REDIS_URL: undefined, ...topology.env, REDIS_REPLICAS_ACK: String(ack) },
  });
  const bots = [world.bot, await world.startReplica()];
  const aws = { endpoint: world.emulator.url, region: 'us-east-1', credentials, maxAttempts: 5 };
  const lambda = new LambdaClient(aws);
  const cloudwatch = new CloudWatchClient(aws);
  return {
    world,
    topology,
    bots,
    ack,
    lambda,
    cloudwatch,
    async routing(fn, alias) {
      const a = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }));
      const [extra] = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {});
      return {
        primary: a.FunctionVersion ?? '',
        ...(extra ? { additional: { version: extra[0], weight: extra[1] } } : {}),
      };
    },
    history: (fn, alias) =>
      world.control<AliasHistoryEntry[]>('GET', `/_emulator/alias-history?function=${fn}&alias=${alias}`),
    async close() {
      lambda.destroy();
      cloudwatch.destroy();
      await world.close();
    },
  };
}
