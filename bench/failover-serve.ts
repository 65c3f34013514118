/**
 * How long after a Redis primary dies the bot serves a command again, on a Sentinel set and on a
 * Cluster, each started here on free ports and stopped after. The bot runs as a process (as in
 * account-latency); 20 times, the primary the bot writes to is SIGKILLed, and from that moment
 * `/lambda rollback FN:staging V` is sent again and again (each after the previous one's answer,
 * 20 ms apart) until one is announced in the channel: the change made, both audit records written.
 * A rollback, because a write is what a failover stops (a read answers without Redis's part);
 * probing starts after the kill, so the figure is what the next person to ask sees. Measured from
 * the SIGKILL and from the promotion (the replica first seen to say it is the primary, polled every
 * 25 ms by the topology helper), to the served command's answer. Then the killed node is started
 * again (as a replica) and the set settles before the next kill.
 *
 * `REDIS_REPLICAS_ACK=0`: each primary has one replica, so after a failover no replica is left to
 * confirm a record until the killed node is back; with 1, nothing would be served before that.
 */
import { redisKeys } from '../src/adapters/redis/keys.js';
import { SIGNING_SECRET } from '../test/support/bot-process.js';
import {
  type Failover,
  type Outage,
  type RedisNode,
  startCluster,
  startSentinelSet,
} from '../test/support/redis-topology.js';
import { sendCommand } from '../test/support/slack-requests.js';
import { startWorld, textOf, type World } from '../test/support/world.js';
import { botRedisEnv } from './redis-topologies.js';
import { median } from './stats.js';
import type { Benchmark, BenchRow } from './types.js';

const FN = 'checkout';
const KILLS = 20;
const PROBE_PAUSE_MS = 20;
const WARMUP = 20;
/**
 * How long after a kill the first command may take before the benchmark gives up. A failover and
 * the bot finding the new primary take 2–5 s, but an alias lock that a failover left in Redis with
 * no holder blocks that alias for its whole TTL (30 s, AliasChanger), and that is what the next
 * person to change it sees: longer than that, so that such a wait is measured, not fatal.
 */
const SERVE_TIMEOUT_MS = 60_000;

const POLICY = `channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [U0ALICE], approvers: [], responders: [] }
functions:
  ${FN}: { aliases: { live: {}, staging: {} } }
`;

/** One topology's part in the drill: what the bot is given, which primary is killed, and recovery. */
interface Drill {
  readonly label: string;
  readonly env: Record<string, string | undefined>;
  /** Kills the primary that every write of the bot needs. */
  kill(world: World): Promise<Outage>;
  waitForFailover(outage: Outage): Promise<Failover>;
  restart(node: RedisNode): Promise<void>;
  stop(): Promise<void>;
  readonly killed: string;
}

export const failoverSentinel: Benchmark = {
  name: 'failover-sentinel',
  async run(): Promise<BenchRow[]> {
    const set = await startSentinelSet();
    return drill({
      label: 'Sentinel',
      env: botRedisEnv({ sentinel: set }),
      kill: () => set.killPrimary(),
      waitForFailover: (outage) => set.waitForFailover(outage, SERVE_TIMEOUT_MS),
      restart: (node) => set.restart(node),
      stop: () => set.stop(),
      killed: 'the primary (1 replica, 3 sentinels, down-after 1000 ms, failover-timeout 2000 ms)',
    });
  },
};

export const failoverCluster: Benchmark = {
  name: 'failover-cluster',
  async run(): Promise<BenchRow[]> {
    const cluster = await startCluster();
    return drill({
      label: 'Cluster',
      env: botRedisEnv({ cluster }),
      // The audit chain's primary: every write appends to it, whichever nodes its other keys are on.
      kill: async (world) => cluster.killPrimary(await cluster.primaryFor(redisKeys(world.prefix).auditLog)),
      waitForFailover: (outage) => cluster.waitForFailover(outage, SERVE_TIMEOUT_MS),
      restart: (node) => cluster.restart(node),
      stop: () => cluster.stop(),
      killed: 'the primary of the {audit} slot (3 primaries + 3 replicas, cluster-node-timeout 2000 ms)',
    });
  },
};

interface Sample {
  readonly promoted: number;
  readonly fromKill: number;
  readonly fromPromotion: number;
  /** Each refusal's first line, and how many times it came before the first command served. */
  readonly refusals: ReadonlyMap<string, number>;
}

async function drill(d: Drill): Promise<BenchRow[]> {
  let world: World | undefined;
  try {
    world = await startWorld({
      policy: POLICY,
      functions: [{ name: FN, versions: 3, aliases: { live: '3', staging: '1' } }],
      env: { ...d.env, REDIS_REPLICAS_ACK: '0' },
    });
    const w = world;
    // Warm-up (connections, the JIT, the alias remembered), and what a rollback takes with Redis up.
    const up: number[] = [];
    for (let i = 0; i < WARMUP; i++) up.push((await probe(w, performance.now() + SERVE_TIMEOUT_MS)).ms);
    const healthy = median(up);
    const samples: Sample[] = [];
    for (let i = 0; i < KILLS; i++) {
      const outage = await d.kill(w);
      const [failover, first] = await Promise.all([d.waitForFailover(outage), probe(w, outage.at + SERVE_TIMEOUT_MS)]);
      samples.push({
        promoted: failover.ms,
        fromKill: first.at - outage.at,
        fromPromotion: first.at - failover.at,
        refusals: first.refusals,
      });
      await d.restart(outage.node);
    }
    return rows(d, samples, healthy);
  } finally {
    await world?.close();
    await d.stop();
  }
}

/**
 * Sends rollbacks until one is served; resolves with when its answer arrived. Each goes to the
 * version the alias does not hold now (read from the emulator), so that an earlier attempt that
 * changed the alias before failing does not turn the next one into a refusal of a no-op.
 */
async function probe(
  world: World,
  deadline: number,
): Promise<{ at: number; ms: number; refusals: Map<string, number> }> {
  const refusals = new Map<string, number>();
  for (;;) {
    const { primary } = await world.routing(FN, 'staging');
    const text = `rollback ${FN}:staging ${primary === '1' ? '2' : '1'}`;
    const { id, url } = world.slack.newResponseUrl();
    const sent = performance.now();
    const ack = await sendCommand(world.bot.url, SIGNING_SECRET, { text, response_url: url });
    const answer = ack.status === 200 ? await world.slack.waitForResponse(id, undefined, SERVE_TIMEOUT_MS) : undefined;
    const at = performance.now();
    if (answer?.response_type === 'in_channel') return { at, ms: at - sent, refusals };
    const why = answer ? firstLine(textOf(answer)) : `acked ${ack.status}`;
    refusals.set(why, (refusals.get(why) ?? 0) + 1);
    if (performance.now() > deadline) throw new Error(`no command served before the deadline; the last answer: ${why}`);
    await new Promise((resolve) => setTimeout(resolve, PROBE_PAUSE_MS));
  }
}

/** The refusal's first line, without what varies from one to the next (ids, ms, addresses). */
function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').replace(/\d+/g, 'N').slice(0, 120);
}

function rows(d: Drill, samples: readonly Sample[], healthy: number): BenchRow[] {
  const of = (pick: (s: Sample) => number) => samples.map(pick);
  const max = (xs: number[]) => Math.max(...xs);
  const promoted = of((s) => s.promoted);
  const fromKill = of((s) => s.fromKill);
  const fromPromotion = of((s) => s.fromPromotion);
  const name = `failover, ${d.label}: first command served`;
  const each = (xs: number[]) => xs.map((x) => Math.round(x)).join(' ');
  // Per kind of refusal: how many in all, and in how many failovers (a held lock shows in one or two).
  const kinds = new Map<string, { times: number; failovers: number }>();
  for (const s of samples)
    for (const [why, n] of s.refusals) {
      const kind = kinds.get(why) ?? { times: 0, failovers: 0 };
      kinds.set(why, { times: kind.times + n, failovers: kind.failovers + 1 });
    }
  const said = [...kinds].map(([why, k]) => `${k.times}× in ${k.failovers} failovers "${why}"`).join('; ');
  const refused = samples.map((s) => [...s.refusals.values()].reduce((a, b) => a + b, 0));
  const common = `${KILLS} SIGKILLs of ${d.killed}; rollback sent again ${PROBE_PAUSE_MS} ms after each refusal`;
  return [
    {
      name: `${name}, from the SIGKILL (p50 of ${KILLS})`,
      figure: median(fromKill),
      unit: 'ms',
      baseline: 'SIGKILL → replica promoted (p50)',
      baselineFigure: median(promoted),
      ratio: median(fromKill) / median(promoted),
      notes: `${common}; each, ms: ${each(fromKill)}; promotions, ms: ${each(promoted)}`,
    },
    {
      name: `${name}, from the SIGKILL (max of ${KILLS})`,
      figure: max(fromKill),
      unit: 'ms',
      baseline: 'SIGKILL → replica promoted (max)',
      baselineFigure: max(promoted),
      ratio: max(fromKill) / max(promoted),
    },
    {
      name: `${name}, from the promotion (p50 of ${KILLS})`,
      figure: median(fromPromotion),
      unit: 'ms',
      baseline: `the same rollback, Redis up (median of ${WARMUP})`,
      baselineFigure: healthy,
      ratio: Number.NaN,
      notes: `each, ms: ${each(fromPromotion)}; refused before the first served (median ${median(refused)}): ${said}`,
    },
    {
      name: `${name}, from the promotion (max of ${KILLS})`,
      figure: max(fromPromotion),
      unit: 'ms',
      baseline: `the same rollback, Redis up (median of ${WARMUP})`,
      baselineFigure: healthy,
      ratio: Number.NaN,
    },
  ];
}
