import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { describeTopology, type RedisSettings, type RedisTopology } from '../../config/redis.js';
import type { Logger } from '../logging.js';

/** One Redis node, a Sentinel-managed primary, or a Cluster: the same commands on each (CONTRACT §13). */
export type RedisClient = Redis | Cluster;

/**
 * How every connection of the bot behaves; tools, tests and benchmarks connect the same way, so
 * that what they measure and prove holds for the bot.
 */
export const REDIS_OPTIONS = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  /**
   * A command with no answer fails after this long. Without it, a Redis that hangs with its
   * socket open (stopped, swapping, a network partition with no reset) holds every command
   * forever, and the user who asked for a change never hears back. The bot sends no blocking
   * commands but WAIT, bounded by REDIS_ACK_TIMEOUT (the timeout grows with it), and its longest
   * one (an audit batch of 100 records) takes milliseconds.
   */
  commandTimeout: 2000,
  retryStrategy: (attempt: number) => Math.min(100 * 2 ** attempt, 2000),
} as const satisfies RedisOptions;

/** Room a command needs besides WAIT's own wait. */
const COMMAND_MARGIN_MS = 1000;

/**
 * The connection for a topology. Commands fail at once while Redis is away (no offline queue), and
 * after the command timeout while it does not answer: a write must be refused with a clear message,
 * not queued to run minutes later against a state the user no longer sees. Reconnection, and
 * finding the new primary after a failover, are ioredis's own (Sentinel: `failoverDetector`
 * drops the connection to a demoted primary as soon as Sentinel announces the switch; Cluster:
 * the slot map is refreshed on MOVED and on a lost node).
 */
export function connectRedis(
  settings: Pick<RedisSettings, 'topology' | 'ackTimeoutMs'>,
  extra: RedisOptions = {},
): RedisClient {
  const options: RedisOptions = {
    ...REDIS_OPTIONS,
    commandTimeout: Math.max(REDIS_OPTIONS.commandTimeout, settings.ackTimeoutMs + COMMAND_MARGIN_MS),
    ...extra,
  };
  const t = settings.topology;
  switch (t.kind) {
    case 'node':
      return new Redis(t.url, options);
    case 'sentinel':
      return reconnectWhenAborted(
        new Redis({
          ...options,
          sentinels: t.sentinels.map((s) => ({ host: s.host, port: s.port })),
          name: t.name,
          failoverDetector: true,
          // A READONLY answer means the connection still points at a demoted primary: reconnect, and resend.
          reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
          ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword } : {}),
          ...auth(t),
          ...(t.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
        }),
        options.retryStrategy?.(1) ?? 200,
      );
    case 'cluster': {
      const { enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = options;
      const cluster: ClusterOptions = {
        enableOfflineQueue,
        ...(lazyConnect === undefined ? {} : { lazyConnect }),
        scaleReads: 'master',
        // Longer in all than a failover takes (node timeout ≈ 2 s, election ≈ 1 s): a command during
        // it waits for the new primary rather than fail, up to its own command timeout.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        maxRedirections: 16,
        clusterRetryStrategy: retryStrategy ?? ((attempt: number) => Math.min(100 * 2 ** attempt, 2000)),
        redisOptions: { ...perNode, ...auth(t), ...(t.tls ? { tls: {} } : {}) },
        // ElastiCache's TLS certificates name the configuration endpoint, not the IPs it resolves to.
        ...(t.tls ? { dnsLookup: (address, lookup) => lookup(null, address) } : {}),
      };
      return new Cluster(
        t.nodes.map((n) => ({ host: n.host, port: n.port })),
        cluster,
      );
    }
  }
}

/**
 * ioredis (6.0.0) ends a Sentinel client for good, with no retry, when its failover detector hears
 * `+switch-master` while a reconnection is asking the sentinels for the primary: the detector
 * disconnects the connector, the reconnection fails with "Connection is closed.", and the status
 * goes from `connecting` to `end`. After a primary dies the client is reconnecting exactly when the
 * switch is announced: a bot lost Redis until restarted, once in 47 primaries SIGKILLed while
 * bench/failover-serve.ts was written (minutes later its /readyz still said "Connection is closed.").
 * An end straight after `connecting` that no `disconnect()` asked for is that abort: the client
 * connects again after `delayMs`. Any other end (`disconnect()`, or `quit`, which ends from
 * `close`) is left alone.
 */
function reconnectWhenAborted(redis: Redis, delayMs: number): Redis {
  let closing = false;
  let last = '';
  const disconnect = redis.disconnect.bind(redis);
  redis.disconnect = (reconnect = false) => {
    if (!reconnect) closing = true;
    disconnect(reconnect);
  };
  for (const status of ['connecting', 'connect', 'ready', 'close', 'reconnecting'])
    redis.on(status, () => {
      last = status;
    });
  redis.on('end', () => {
    if (closing || last !== 'connecting') return;
    setTimeout(() => {
      if (!closing && redis.status === 'end') redis.connect().catch(() => {});
    }, delayMs).unref();
  });
  return redis;
}

function auth(t: Extract<RedisTopology, { kind: 'sentinel' | 'cluster' }>): RedisOptions {
  return { ...(t.username ? { username: t.username } : {}), ...(t.password ? { password: t.password } : {}) };
}

/** The bot's one connection, which logs when Redis goes away and comes back (never with secrets). */
export function createRedis(settings: RedisSettings, log: Logger): RedisClient {
  const redis = connectRedis(settings);
  let down = false;
  redis.on('ready', () => {
    if (down) log.info({ redis: describeTopology(settings.topology) }, 'redis is back');
    down = false;
  });
  redis.on('error', (error: Error) => {
    if (!down)
      log.warn({ err: error.message, redis: describeTopology(settings.topology) }, 'redis unavailable; retrying');
    down = true;
  });
  return redis;
}
