/**
 * Which Redis a test's bots, `npm run audit` and the test itself use, said as the bot's own
 * variables (CONTRACT §13): the one node at REDIS_URL, unless the test started a Sentinel set or a
 * Cluster (redis-topology.ts). The test's connection is built from the same variables by the bot's
 * parser and `connectRedis`, so it is of the same kind as the bot's and routes commands as it does.
 */
import { connectRedis, type RedisClient } from '../../src/adapters/redis/client.js';
import { parseRedisSettings } from '../../src/config/redis.js';
import { REDIS_URL } from './redis.js';
import { type RedisCluster, SentinelSet } from './redis-topology.js';

/** `REDIS_*` variables that say where Redis is and how the bot waits for its replicas. */
export type RedisEnv = Readonly<Record<string, string>>;

/** The shared node every other test uses. */
export const ONE_NODE: RedisEnv = { REDIS_URL };

/**
 * Every variable that chooses or reaches a topology. The bot refuses two topologies at once, so a
 * child given one topology must lose the others it would inherit (REDIS_URL above all).
 */
const TOPOLOGY_VARIABLES = [
  'REDIS_URL',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_CLUSTER_NODES',
  'REDIS_USERNAME',
  'REDIS_PASSWORD',
  'REDIS_TLS',
  'REDIS_REPLICAS_ACK',
  'REDIS_ACK_TIMEOUT',
] as const;

/**
 * The variables for a topology started by redis-topology.ts. Each of its primaries has a replica,
 * so records wait for one (REDIS_REPLICAS_ACK=1), as docs/operations.md tells operators to set it.
 */
export function redisEnvOf(topology: SentinelSet | RedisCluster): RedisEnv {
  const ack = { REDIS_REPLICAS_ACK: '1' };
  return topology instanceof SentinelSet
    ? { REDIS_SENTINELS: topology.sentinels, REDIS_SENTINEL_NAME: topology.masterName, ...ack }
    : { REDIS_CLUSTER_NODES: topology.nodes, ...ack };
}

/**
 * `redis`, with every other topology variable set to undefined: spread over an environment, it
 * leaves only this topology's (`startBot` drops undefined values, `childEnv` too).
 */
export function onlyRedis(redis: RedisEnv): Record<string, string | undefined> {
  return { ...Object.fromEntries(TOPOLOGY_VARIABLES.map((name) => [name, undefined])), ...redis };
}

/** The test process's environment for a child (the audit CLI), with `redis` as its only topology. */
export function childEnv(redis: RedisEnv, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...onlyRedis(redis), ...extra };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  // The test run's own switch (vitest.config.ts): the CLI must turn the SDK's notice off itself.
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  return env;
}

/** A ready connection to `redis`, of the kind the bot makes from the same variables. */
export async function connectTo(redis: RedisEnv): Promise<RedisClient> {
  const parsed = parseRedisSettings(redis);
  if (!parsed.ok) throw new Error(`bad test Redis settings: ${parsed.problems.join('; ')}`);
  const client = connectRedis(parsed.redis, { lazyConnect: true });
  await client.connect();
  return client;
}
