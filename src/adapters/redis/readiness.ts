import { Cluster } from 'ioredis';
import { describeTopology, type RedisSettings } from '../../config/redis.js';
import type { ReadinessCheck } from '../http/readiness.js';
import type { RedisClient } from './client.js';

/**
 * The Redis half of /readyz, named after the topology (`redis:node`, `redis:sentinel/mymaster`,
 * `redis:cluster`), saying which part does not answer: the primary Sentinel points at (or the
 * sentinels themselves, in ioredis's words), or each Cluster primary that does not answer and a
 * cluster that is not `ok`.
 */
export function redisReadiness(redis: RedisClient, settings: Pick<RedisSettings, 'topology'>): ReadinessCheck {
  const t = settings.topology;
  const name = t.kind === 'sentinel' ? `redis:sentinel/${t.name}` : `redis:${t.kind}`;
  const where = describeTopology(t);
  return {
    name,
    async check() {
      if (!(redis instanceof Cluster)) {
        try {
          await redis.ping();
          return;
        } catch (error) {
          throw new Error(`${where}: ${(error as Error).message}`);
        }
      }
      const primaries = redis.nodes('master');
      if (primaries.length === 0) throw new Error(`${where}: no primary known (${redis.status})`);
      const down = (
        await Promise.all(
          primaries.map((node) =>
            node.ping().then(
              () => undefined,
              (error: Error) => `primary ${node.options.host}:${node.options.port}: ${error.message}`,
            ),
          ),
        )
      ).filter((d): d is string => d !== undefined);
      if (down.length > 0) throw new Error(`${where}: ${down.join('; ')}`);
      const info = await (primaries[0] as (typeof primaries)[number]).cluster('INFO');
      const state = /cluster_state:(\w+)/.exec(String(info))?.[1];
      if (state !== 'ok') throw new Error(`${where}: cluster_state is ${state ?? 'unknown'}`);
    },
  };
}
