/**
 * The core end-to-end scenario (core.case.ts) on a Sentinel set (one primary, one replica, three
 * sentinels) and on a Cluster (three primaries, three replicas), each started here from
 * redis-server alone and stopped after its scenario (issue 14). The bots wait for one replica to
 * hold each audit record (REDIS_REPLICAS_ACK=1).
 */
import { expect } from 'vitest';
import { redisKeys } from '../../src/adapters/redis/keys.js';
import { keysUnder } from '../support/redis.js';
import { type RedisNode, startCluster, startSentinelSet } from '../support/redis-topology.js';
import { coreScenario } from './core.case.js';

/**
 * No failover is wanted here: the sentinels and the cluster's nodes call a node down only after 5 s
 * without an answer (the helpers' 1–2 s suit failover drills), longer than a loaded CI machine
 * leaves a redis-server unscheduled.
 */
const PATIENT_MS = 5_000;

/** How many WAIT commands a node has answered since it started (`INFO commandstats`). */
async function waits(node: RedisNode): Promise<number> {
  const stats = (await node.info('commandstats')).get('cmdstat_wait');
  return Number(/calls=(\d+)/.exec(stats ?? '')?.[1] ?? 0);
}

coreScenario({
  name: 'on a Sentinel set (one primary, one replica, three sentinels)',
  readiness: 'redis:sentinel/mymaster',
  start: () => startSentinelSet({ downAfterMs: PATIENT_MS }),
  async placement(set, world, records) {
    // The bot wrote through the primary the sentinels name, and every acknowledged record is on
    // the replica too: that is what REDIS_REPLICAS_ACK=1 promises.
    const log = redisKeys(world.prefix).auditLog;
    const primary = await set.primary();
    const replica = set.dataNodes.find((n) => n !== primary);
    expect(await primary.call('XLEN', log)).toBe(records);
    expect(await replica?.call('XLEN', log)).toBe(records);
    expect(await waits(primary)).toBeGreaterThan(0);
  },
});

coreScenario({
  name: 'on a Cluster (three primaries, three replicas)',
  readiness: 'redis:cluster',
  start: () => startCluster({ nodeTimeoutMs: PATIENT_MS }),
  async placement(cluster, world) {
    const keys = redisKeys(world.prefix);
    expect((await cluster.primaryFor(keys.auditLog)).port).toBe((await cluster.primaryFor(keys.auditHead)).port);
    // Each family the bot wrote (one hash tag) lives whole on the primary that serves its tag: asked
    // directly, that node holds every key of it (a key of another slot would answer MOVED).
    const families = new Map<string, string[]>();
    for (const key of await keysUnder(world.redis, world.prefix)) {
      const tag = /\{([^}]+)\}/.exec(key.slice(world.prefix.length))?.[1];
      if (tag) families.set(tag, [...(families.get(tag) ?? []), key]);
    }
    expect([...families.keys()]).toEqual(expect.arrayContaining(['audit', 'approvals', 'rollouts', 'alarms']));
    for (const [tag, members] of families) {
      const node = await cluster.primaryFor(members[0] as string);
      expect([tag, await node.call('EXISTS', ...members)]).toEqual([tag, members.length]);
    }
    // WAIT went with each audit batch to the audit log's node, and with each compare-and-set of an
    // approval or rollout to its own node, and nowhere else: on a node that holds none of them it would
    // count the replicas of a connection that wrote nothing there, and confirm nothing.
    const audit = await cluster.primaryFor(keys.auditLog);
    const durable = new Set([audit.port]);
    for (const tag of ['approvals', 'rollouts']) {
      const members = families.get(tag);
      if (members) durable.add((await cluster.primaryFor(members[0] as string)).port);
    }
    const others = (await cluster.pairs()).map((p) => p.primary).filter((n) => !durable.has(n.port));
    expect(await waits(audit)).toBeGreaterThan(0);
    expect(await Promise.all(others.map(waits))).toEqual(others.map(() => 0));
  },
});
