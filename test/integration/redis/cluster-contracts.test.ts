/**
 * Every Redis port's contract suite, run again on a real 3-primary/3-replica Cluster with
 * REDIS_REPLICAS_ACK=1 (CONTRACT §13): each script's keys in one slot, each pipeline on one node, no
 * command over several slots, and WAIT routed with its script. A CROSSSLOT error anywhere fails here.
 */
import type { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAlertStore } from '../../../src/adapters/redis/alert-store.js';
import { RedisAliasMemory } from '../../../src/adapters/redis/alias-memory.js';
import { RedisApprovalStore } from '../../../src/adapters/redis/approvals.js';
import { RedisAuditLog } from '../../../src/adapters/redis/audit-log.js';
import { connectRedis, type RedisClient } from '../../../src/adapters/redis/client.js';
import { RedisFreezeStore } from '../../../src/adapters/redis/freezes.js';
import { redisKeys } from '../../../src/adapters/redis/keys.js';
import { upgradeLayout } from '../../../src/adapters/redis/layout.js';
import { RedisLease } from '../../../src/adapters/redis/lease.js';
import { RedisLocks } from '../../../src/adapters/redis/locks.js';
import { RedisOutsideStore } from '../../../src/adapters/redis/outside-store.js';
import { redisReadiness } from '../../../src/adapters/redis/readiness.js';
import { RedisRolloutStore } from '../../../src/adapters/redis/rollouts.js';
import type { RedisSettings } from '../../../src/config/redis.js';
import { alertStoreContract } from '../../contract/ports/alert-store.case.js';
import { aliasMemoryContract } from '../../contract/ports/alias-memory.case.js';
import { approvalStoreContract, freezeStoreContract } from '../../contract/ports/approvals.case.js';
import { auditLogContract } from '../../contract/ports/audit-log.case.js';
import { leaseContract } from '../../contract/ports/lease.case.js';
import { locksContract } from '../../contract/ports/locks.case.js';
import { outsideStoreContract } from '../../contract/ports/outside-store.case.js';
import { rolloutStoreContract } from '../../contract/ports/rollouts.case.js';
import { TestClock } from '../../fakes/test-clock.js';
import { cleanup, testPrefix } from '../../support/redis.js';
import { type RedisCluster, startCluster } from '../../support/redis-topology.js';

let cluster: RedisCluster;
let settings: RedisSettings;
const connections: RedisClient[] = [];
const filePrefix = testPrefix('cluster');
let n = 0;
const next = () => `${filePrefix}${n++}:`;
const durability = { replicas: 1, timeoutMs: 1000 };

async function connect(): Promise<RedisClient> {
  const redis = connectRedis(settings);
  connections.push(redis);
  await new Promise((resolve) => redis.once('ready', resolve));
  return redis;
}

let redis: RedisClient;

beforeAll(async () => {
  cluster = await startCluster();
  settings = {
    topology: { kind: 'cluster', nodes: [...cluster.startupNodes], tls: false },
    keyPrefix: filePrefix,
    replicasAck: 1,
    ackTimeoutMs: 1000,
  };
  redis = await connect();
}, 90_000);

afterAll(async () => {
  await cleanup(redis, filePrefix).catch(() => {});
  for (const c of connections) c.disconnect();
  await cluster?.stop();
});

auditLogContract('Redis Cluster', async () => {
  const clock = new TestClock();
  const prefix = next();
  return {
    log: new RedisAuditLog(redis, prefix, clock, durability),
    clock,
    replica: async () => new RedisAuditLog(await connect(), prefix, clock, durability),
  };
});
alertStoreContract('Redis Cluster', async () => {
  const prefix = next();
  return {
    store: new RedisAlertStore(redis, prefix),
    replica: async () => new RedisAlertStore(await connect(), prefix),
  };
});
aliasMemoryContract('Redis Cluster', async () => ({ memory: new RedisAliasMemory(redis, next()) }));
approvalStoreContract('Redis Cluster', async () => new RedisApprovalStore(redis, next(), durability));
freezeStoreContract('Redis Cluster', async () => new RedisFreezeStore(redis, next()));
rolloutStoreContract('Redis Cluster', async () => new RedisRolloutStore(redis, next(), durability));
leaseContract('Redis Cluster', async () => ({
  lease: new RedisLease(redis, next()),
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));
locksContract('Redis Cluster', async () => ({
  locks: new RedisLocks(redis, next()),
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

outsideStoreContract('Redis Cluster', async () => new RedisOutsideStore(redis, next()));

describe('the Cluster itself', () => {
  it('keeps each family of keys on one primary', async () => {
    const keys = redisKeys(next());
    const nodeOf = async (key: string) => (await cluster.primaryFor(key)).port;
    expect(
      new Set(await Promise.all([keys.auditLog, keys.auditHead, keys.auditPending, keys.auditIndex('x')].map(nodeOf)))
        .size,
    ).toBe(1);
    expect(new Set(await Promise.all([keys.approval('a'), keys.openApprovals].map(nodeOf))).size).toBe(1);
    expect(
      new Set(await Promise.all([keys.rollout('o'), keys.liveRollouts, keys.rolloutSlot('f', 'a')].map(nodeOf))).size,
    ).toBe(1);
  });

  it('has no earlier layout to move, and remembers that', async () => {
    const prefix = next();
    expect(await upgradeLayout(redis, prefix)).toEqual({ moved: 0, clashes: [] });
    expect(await redis.get(redisKeys(prefix).layout)).toBe('2');
  });

  it('/readyz names the Cluster, and the primary that does not answer', async () => {
    const check = redisReadiness(redis, settings);
    expect(check.name).toBe('redis:cluster');
    await expect(check.check()).resolves.toBeUndefined();
    const [pair] = await cluster.pairs();
    if (!pair) throw new Error('no primary');
    const outage = cluster.pause(pair.primary);
    try {
      await expect(check.check()).rejects.toThrow(new RegExp(`primary 127\\.0\\.0\\.1:${pair.primary.port}: `));
    } finally {
      cluster.resume(outage.node);
    }
    await cluster.settled(30_000);
    expect((redis as Cluster).nodes('master').length).toBe(3);
  });
});
