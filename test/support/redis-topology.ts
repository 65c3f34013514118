/**
 * Redis Sentinel and Redis Cluster topologies for tests (issue 14), from `redis-server` and
 * `redis-cli` alone (Debian: the `redis-server` package, which brings `redis-tools`). Every node
 * listens on 127.0.0.1 on a free port and keeps its files in a folder under `os.tmpdir()`; `stop()`
 * removes both, and a watcher does it if the test process dies first.
 *
 * @example
 * const set = await startSentinelSet();
 * const redis = new Redis({ sentinels: [...set.sentinelAddresses], name: set.masterName, failoverDetector: true });
 * const outage = await set.killPrimary();
 * const { primary, ms } = await set.waitForFailover(outage);
 * await set.restart(outage.node); // back as a replica of `primary`
 * await set.stop();
 */
export { type ClusterOptions, RedisCluster, startCluster } from './redis-topology/cluster.js';
export type { Failover, Instant, Outage, RedisNode } from './redis-topology/node.js';
export { SentinelSet, type SentinelSetOptions, startSentinelSet } from './redis-topology/sentinel.js';
export { keysInEverySlot, SLOTS, slotOf } from './redis-topology/slots.js';
