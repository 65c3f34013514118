/**
 * The Redis topologies of the issue-14 benchmarks, each started by the benchmark on free ports and
 * stopped after it (test/support/redis-topology.ts), and how the bot and a client are pointed at
 * each: one node with a replica, a Sentinel set, a Cluster. Nothing here touches the Redis of
 * REDIS_URL.
 */
import type { RedisSettings } from '../src/config/redis.js';
import { makeFolders, removeAll } from '../test/support/redis-topology/folders.js';
import { HOST, RedisNode } from '../test/support/redis-topology/node.js';
import { dataNode } from '../test/support/redis-topology/sentinel-config.js';
import { waitUntil } from '../test/support/redis-topology/wait.js';
import type { RedisCluster, SentinelSet } from '../test/support/redis-topology.js';

/**
 * One Redis node with one replica and no sentinel: what a bot on `REDIS_URL` talks to when the
 * comparison with a Cluster (which has a replica per primary) must not differ in replication.
 * The same redis-server settings as a Sentinel set's data nodes (no persistence).
 */
export interface ReplicatedNode {
  readonly primary: RedisNode;
  readonly replica: RedisNode;
  readonly url: string;
  stop(): Promise<void>;
}

export async function startReplicatedNode(): Promise<ReplicatedNode> {
  const { root, dirs } = makeFolders('lambda-bot-bench-node-', ['primary', 'replica']);
  const nodes: RedisNode[] = [];
  try {
    const primary = await RedisNode.launch(dataNode(dirs[0] ?? '', undefined));
    nodes.push(primary);
    const replica = await RedisNode.launch(dataNode(dirs[1] ?? '', undefined), [
      '--replicaof',
      HOST,
      String(primary.port),
    ]);
    nodes.push(replica);
    await waitUntil('the replica to sync', 30_000, async () =>
      (await replica.info('replication')).get('master_link_status') === 'up' ? true : undefined,
    );
    return { primary, replica, url: `redis://${primary.address}`, stop: () => removeAll(nodes, root) };
  } catch (error) {
    await removeAll(nodes, root);
    throw error;
  }
}

/** The bot's environment for a topology: exactly one of REDIS_URL, REDIS_SENTINELS, REDIS_CLUSTER_NODES. */
export function botRedisEnv(
  topology: { sentinel: SentinelSet } | { cluster: RedisCluster } | { node: ReplicatedNode },
): Record<string, string | undefined> {
  if ('sentinel' in topology)
    return {
      REDIS_URL: undefined,
      REDIS_SENTINELS: topology.sentinel.sentinels,
      REDIS_SENTINEL_NAME: topology.sentinel.masterName,
    };
  if ('cluster' in topology) return { REDIS_URL: undefined, REDIS_CLUSTER_NODES: topology.cluster.nodes };
  return { REDIS_URL: topology.node.url };
}

/** Settings for `connectRedis` on a Sentinel set, as the bot builds them from its environment. */
export function sentinelSettings(
  set: SentinelSet,
  ackTimeoutMs: number,
): Pick<RedisSettings, 'topology' | 'ackTimeoutMs'> {
  return {
    topology: { kind: 'sentinel', sentinels: set.sentinelAddresses, name: set.masterName, tls: false },
    ackTimeoutMs,
  };
}
