/**
 * Command latency with the bot on a Redis Cluster against the same bot on one Redis node, in the
 * same run. Two bot processes (`node dist/src/main.js`) share the emulator, the fake Slack and the
 * policy; one has `REDIS_URL` (a node with one replica), the other `REDIS_CLUSTER_NODES` (3
 * primaries, each with one replica): both with replicas, so that replication is not what differs,
 * and `REDIS_REPLICAS_ACK=0` (the default) on both, so that no WAIT is timed. Both topologies are
 * started here on free ports with the same redis-server settings (no persistence) and stopped after.
 *
 * A sample is from sending a signed `/lambda` command to its answer arriving on `response_url`, as
 * in account-latency. Two commands, each judged on its own:
 * - `status FN`: the most frequent command; its Redis work is reads (last audited change of each
 *   alias from the audit index, alias memory) and one write (what it saw);
 * - `rollback FN:staging V`: the command with the most Redis round trips, over keys of three
 *   families that a Cluster puts in different slots (the alias lock, the alias memory, the audit
 *   chain: intent and outcome).
 * Each bot changes a function of its own (seeded alike), so that neither sees the other's changes.
 */
import { SIGNING_SECRET } from '../test/support/bot-process.js';
import type { RedisNode } from '../test/support/redis-topology.js';
import { startCluster } from '../test/support/redis-topology.js';
import { sendCommand } from '../test/support/slack-requests.js';
import { startWorld, textOf, type World } from '../test/support/world.js';
import { botRedisEnv, startReplicatedNode } from './redis-topologies.js';
import { median, percentile, spread } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const ON_NODE = 'checkout-node';
const ON_CLUSTER = 'checkout-cluster';
const WARMUP = 20;
const ROUNDS = 9;
const SAMPLES = 100;
const TARGET = 1.2;
/** Alternated, so that every rollback changes the alias. Both start on v1. */
const VERSIONS = ['2', '1'] as const;

const POLICY = `channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [U0ALICE], approvers: [], responders: [] }
functions:
  ${ON_NODE}: { aliases: { live: {}, staging: {} } }
  ${ON_CLUSTER}: { aliases: { live: {}, staging: {} } }
`;

interface Kind {
  readonly label: string;
  readonly announced: boolean;
  readonly text: (fn: string, n: number) => string;
}

const KINDS: readonly Kind[] = [
  { label: 'status FN', announced: false, text: (fn) => `status ${fn}` },
  { label: 'rollback FN:staging V', announced: true, text: (fn, n) => `rollback ${fn}:staging ${VERSIONS[n % 2]}` },
];

/** One bot, the function it changes, and the primaries whose commands are counted. */
interface Side {
  readonly url: string;
  readonly fn: string;
  readonly primaries: () => Promise<readonly RedisNode[]>;
  sent: number;
}

export const clusterLatency: Benchmark = {
  name: 'cluster-latency',
  async run(): Promise<BenchRow[]> {
    const node = await startReplicatedNode();
    const cluster = await startCluster().catch(async (error) => {
      await node.stop();
      throw error;
    });
    let world: World | undefined;
    try {
      world = await startWorld({
        policy: POLICY,
        functions: [ON_NODE, ON_CLUSTER].map((name) => ({ name, versions: 3, aliases: { live: '3', staging: '1' } })),
        env: botRedisEnv({ node }),
      });
      const onCluster = await world.startReplica(botRedisEnv({ cluster }));
      const sides = {
        node: { url: world.bot.url, fn: ON_NODE, primaries: async () => [node.primary], sent: 0 },
        cluster: {
          url: onCluster.url,
          fn: ON_CLUSTER,
          primaries: async () => (await cluster.pairs()).map((p) => p.primary),
          sent: 0,
        },
      };
      const rows: BenchRow[] = [];
      for (const kind of KINDS) rows.push(...(await measure(world, kind, sides.cluster, sides.node)));
      return rows;
    } finally {
      await world?.close();
      await Promise.all([cluster.stop(), node.stop()]);
    }
  },
};

/** ms from sending the command to its answer on response_url; the answer must not be a refusal. */
async function timed(world: World, side: Side, kind: Kind): Promise<number> {
  const text = kind.text(side.fn, side.sent++);
  const { id, url } = world.slack.newResponseUrl();
  const start = performance.now();
  const ack = await sendCommand(side.url, SIGNING_SECRET, { text, response_url: url });
  if (ack.status !== 200) throw new Error(`${text}: acked ${ack.status}`);
  const answer = await world.slack.waitForResponse(id);
  const ms = performance.now() - start;
  if (textOf(answer).includes(':x:') || (answer.response_type === 'in_channel') !== kind.announced)
    throw new Error(`${text}: ${textOf(answer).slice(0, 300)}`);
  return ms;
}

async function measure(world: World, kind: Kind, cluster: Side, node: Side): Promise<BenchRow[]> {
  // Discarded: connections open (on a Cluster, to each primary the keys lead to), the JIT warms up.
  for (let i = 0; i < WARMUP; i++) {
    await timed(world, node, kind);
    await timed(world, cluster, kind);
  }
  const before = { node: await processed(node), cluster: await processed(cluster) };
  const onNode: number[][] = [];
  const onCluster: number[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const n: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // Alternate which goes first, so that drift hits both.
      if ((round + i) % 2 === 0) {
        n.push(await timed(world, node, kind));
        c.push(await timed(world, cluster, kind));
      } else {
        c.push(await timed(world, cluster, kind));
        n.push(await timed(world, node, kind));
      }
    }
    onNode.push(n);
    onCluster.push(c);
  }
  const commands = ROUNDS * SAMPLES;
  const perCommand = (after: number[], from: number[]) => after.map((x, i) => (x - (from[i] ?? 0)) / commands);
  const redisNode = perCommand(await processed(node), before.node);
  const redisCluster = perCommand(await processed(cluster), before.cluster);
  const ratios = onCluster.map((c, i) => median(c) / median(onNode[i] as number[]));
  const ratio = median(ratios);
  const what = `/lambda ${kind.label}, bot on a Cluster vs on one node`;
  const baseline = 'one node with a replica';
  const allNode = onNode.flat();
  const allCluster = onCluster.flat();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0).toFixed(1);
  return [
    {
      name: `${what}: median`,
      figure: median(onCluster.map(median)),
      unit: 'ms',
      baseline: `${baseline} (median)`,
      baselineFigure: median(onNode.map(median)),
      ratio,
      spread: spread(ratios),
      target: `ratio ≤ ${TARGET}`,
      met: ratio <= TARGET,
      notes: `two bot processes, signed HTTP, send → answer on response_url, one command at a time; Cluster 3 primaries + 3 replicas, one node + 1 replica, REDIS_REPLICAS_ACK=0; ${ROUNDS} rounds × ${SAMPLES} each way interleaved after ${WARMUP} warm-up each way; figures are medians of round medians, ratio the median of per-round ratios; Redis commands a command (total_commands_processed, background jobs included): one node ${sum(redisNode)}, Cluster ${sum(redisCluster)} over its ${redisCluster.length} primaries (${redisCluster.map((x) => x.toFixed(1)).join(' + ')})`,
    },
    {
      name: `${what}: p99`,
      figure: percentile(allCluster, 99),
      unit: 'ms',
      baseline: `${baseline} (p99)`,
      baselineFigure: percentile(allNode, 99),
      ratio: percentile(allCluster, 99) / percentile(allNode, 99),
      notes: `over all ${allCluster.length} commands each way; max ${Math.max(...allCluster).toFixed(1)} ms on the Cluster, ${Math.max(...allNode).toFixed(1)} ms on one node`,
    },
  ];
}

/** `total_commands_processed` of each primary of a side, in a stable order (the INFO call itself adds one). */
async function processed(side: Side): Promise<number[]> {
  const primaries = [...(await side.primaries())].sort((a, b) => a.port - b.port);
  return Promise.all(primaries.map(async (p) => Number((await p.info('stats')).get('total_commands_processed'))));
}
