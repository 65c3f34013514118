/**
 * Everything an end-to-end test needs, started together: the emulator seeded with functions,
 * a fake Slack, a Redis prefix of the test's own (on the shared node, or on a Sentinel set or
 * Cluster the test started), a policy file and the bot as a process.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { ClockMode } from '../../emulator/core/clock.js';
import { type RunningEmulator, startEmulator } from '../../emulator/index.js';
import type { RedisClient } from '../../src/adapters/redis/client.js';
import type { Routing } from '../../src/domain/routing.js';
import { type SeedFunction, STANDARD_FUNCTIONS, seedFunction } from './aws-world.js';
import { type BotProcess, SIGNING_SECRET, startBot, writePolicy } from './bot-process.js';
import { FakeSlack } from './fake-slack.js';
import { TEST_POLICY } from './policy.js';
import { cleanup, connect, testPrefix } from './redis.js';
import { connectTo, ONE_NODE, onlyRedis, type RedisEnv, redisEnvOf } from './redis-env.js';
import type { RedisCluster, SentinelSet } from './redis-topology.js';
import { type SlackReply, sendCommand } from './slack-requests.js';

export interface World {
  readonly slack: FakeSlack;
  readonly emulator: RunningEmulator;
  readonly lambda: LambdaClient;
  readonly cloudwatch: CloudWatchClient;
  /** The test's own connection, of the same kind as the bot's: for clean-up and checks. */
  readonly redis: RedisClient;
  /** Where Redis is, as the bot's variables say it; `auditExport`/`auditVerify` take it too. */
  readonly redisEnv: RedisEnv;
  readonly prefix: string;
  readonly policyFile: string;
  readonly bot: BotProcess;
  /** The environment the bot was started with: start more replicas with `startReplica`. */
  readonly env: Record<string, string | undefined>;
  /** Sends `/lambda <text>` as `user` and returns the ack; `response()` waits for a reply on response_url. */
  command(
    text: string,
    user?: string,
  ): Promise<{
    ack: SlackReply;
    response: (match?: (body: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  }>;
  /** The alias's routing in the bot's own account and us-east-1, or in `place` (`{account, region}`). */
  routing(fn: string, alias: string, place?: Place): Promise<Routing>;
  /** An SDK client acting directly in an account and region of the emulator (as someone outside the bot). */
  lambdaIn(place: Place): LambdaClient;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Marks `fn`'s `$LATEST` code as signed (`PUT /_emulator/signing`), in `place` or the bot's own place. */
  signing(fn: string, signed: { profileVersionArn: string; jobArn: string }, place?: Place): Promise<void>;
  /** Another bot on the same world; a variable set to undefined is left out of its environment. */
  startReplica(extra?: Record<string, string | undefined>): Promise<BotProcess>;
  close(): Promise<void>;
}

/** An account and region of the emulator: a 12-digit key acts in that account there. */
export interface Place {
  readonly account: string;
  readonly region: string;
}

export interface WorldOptions {
  readonly policy?: string;
  readonly functions?: readonly SeedFunction[];
  /** Functions in other accounts and regions, seeded before the bot starts. */
  readonly places?: readonly (Place & { readonly functions: readonly SeedFunction[] })[];
  /** IAM roles the bot may assume (`PUT /_emulator/roles`), made before the bot starts. */
  readonly roles?: readonly { readonly arn: string; readonly trust: readonly string[]; readonly externalId?: string }[];
  /** Set over the defaults; undefined leaves a variable out (REDIS_URL, for a bot on Sentinel or Cluster). */
  readonly env?: Record<string, string | undefined>;
  /** A topology the test started, instead of the shared node: the bots and the test connect to it. */
  readonly redis?: SentinelSet | RedisCluster;
  readonly updateDelayMs?: number;
  /** The emulator's clock: `manual` (the default) for tests; `real` when traffic, alarms and timestamps must move with wall time, as the bot's clock does. */
  readonly clock?: ClockMode;
}

export const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const slack = await FakeSlack.start();
  const emulator = await startEmulator({ clock: options.clock ?? 'manual', updateDelayMs: options.updateDelayMs ?? 0 });
  const lambda = new LambdaClient({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const cloudwatch = new CloudWatchClient({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const delay = options.updateDelayMs ?? 0;
  const settle = async () => {
    if (delay > 0)
      await fetch(`${emulator.url}/_emulator/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: delay }) });
  };
  for (const f of options.functions ?? STANDARD_FUNCTIONS) await seedFunction(lambda, f, settle);
  const direct = new Map<string, LambdaClient>();
  const lambdaIn = (place: Place): LambdaClient => {
    const key = `${place.account}/${place.region}`;
    let client = direct.get(key);
    if (!client) {
      client = new LambdaClient({
        endpoint: emulator.url,
        region: place.region,
        credentials: { accessKeyId: place.account, secretAccessKey: 'x' },
        maxAttempts: 1,
      });
      direct.set(key, client);
    }
    return client;
  };
  for (const p of options.places ?? []) for (const f of p.functions) await seedFunction(lambdaIn(p), f, settle);
  for (const role of options.roles ?? []) {
    await fetch(`${emulator.url}/_emulator/roles`, { method: 'PUT', body: JSON.stringify(role) });
  }
  const redisEnv = options.redis ? redisEnvOf(options.redis) : ONE_NODE;
  const redis = options.redis ? await connectTo(redisEnv) : await connect();
  const prefix = testPrefix('e2e');
  const policyFile = writePolicy(options.policy ?? TEST_POLICY);
  const env = {
    SLACK_API_URL: slack.apiUrl,
    AWS_ENDPOINT_URL: emulator.url,
    ...(options.redis ? onlyRedis(redisEnv) : redisEnv),
    REDIS_KEY_PREFIX: prefix,
    LAMBDA_BOT_CONFIG: policyFile,
    ...options.env,
  };
  const bot = await startBot(env);
  const replicas: BotProcess[] = [];
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    slack,
    emulator,
    lambda,
    cloudwatch,
    redis,
    redisEnv,
    prefix,
    policyFile,
    bot,
    env,
    async command(text, user = 'U0ALICE') {
      const { id, url } = slack.newResponseUrl();
      const ack = await sendCommand(bot.url, SIGNING_SECRET, { text, user_id: user, response_url: url });
      return { ack, response: (match) => slack.waitForResponse(id, match) };
    },
    lambdaIn,
    async routing(fn, alias, place) {
      const client = place ? lambdaIn(place) : lambda;
      const a = await client.send(new GetAliasCommand({ FunctionName: fn, Name: alias }));
      const [extra] = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {});
      return {
        primary: a.FunctionVersion ?? '',
        ...(extra ? { additional: { version: extra[0], weight: extra[1] } } : {}),
      };
    },
    control,
    async signing(fn, signed, place) {
      const answer = await control<{ error?: string }>('PUT', '/_emulator/signing', {
        function: fn,
        ...signed,
        ...place,
      });
      if (answer?.error) throw new Error(`PUT /_emulator/signing: ${answer.error}`);
    },
    async startReplica(extra = {}) {
      const replica = await startBot({ ...env, ...extra });
      replicas.push(replica);
      return replica;
    },
    async close() {
      await Promise.all([bot.stop(), ...replicas.map((r) => r.stop())]);
      await cleanup(redis, prefix);
      redis.disconnect();
      lambda.destroy();
      cloudwatch.destroy();
      for (const client of direct.values()) client.destroy();
      await Promise.all([slack.close(), emulator.close()]);
    },
  };
}

/** All text of a Slack message (fallback text and blocks), for assertions. */
export function textOf(message: Record<string, unknown>): string {
  return `${String(message.text ?? '')}\n${JSON.stringify(message.blocks ?? [])}`;
}
