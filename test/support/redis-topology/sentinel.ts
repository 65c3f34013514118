/**
 * A Redis Sentinel set for tests: one primary, one replica and three sentinels (quorum 2), each a
 * redis-server on a free port in its own folder. Timings are cut so that a failover takes seconds.
 */
import { makeFolders, removeAll } from './folders.js';
import { type Failover, HOST, type Outage, RedisNode } from './node.js';
import { pairsToMap } from './replies.js';
import { dataNode, sentinelNode } from './sentinel-config.js';
import { StopWaiting, waitUntil } from './wait.js';

export interface SentinelSetOptions {
  /** The name the sentinels monitor the primary under, which clients ask them for. Default `mymaster`. */
  readonly masterName?: string;
  /** `requirepass` and `masterauth` of the primary and replica; the sentinels get it as `auth-pass`. */
  readonly password?: string;
  /** `requirepass` of the sentinels (ioredis: `sentinelPassword`); they also use it with each other. */
  readonly sentinelPassword?: string;
  /**
   * How long a primary may not answer before a sentinel calls it down. Default 1000 ms: with it a
   * SIGKILLed primary was replaced in 0.9–3.2 s here (about 2.2 s on a fresh set). Lower risks
   * failovers nobody asked for when a loaded machine leaves Redis unscheduled for that long.
   */
  readonly downAfterMs?: number;
  /**
   * Default 2000 ms. A sentinel gives up an election or a promotion that takes longer, and no sentinel
   * that took part tries again for twice this. Drills that kill a primary soon after the previous
   * failover sometimes hit that wait (a sentinel can briefly see a just-promoted primary as down and
   * start a failover that finds no replica): 3000 ms made one kill in 25 take 6.4 s; the default keeps it near 4 s.
   */
  readonly failoverTimeoutMs?: number;
  /** How long starting may take before it fails. Default 30 s. */
  readonly timeoutMs?: number;
}

/** Starts a Sentinel set; resolves once the replica is in sync and every sentinel knows every other node. */
export async function startSentinelSet(options: SentinelSetOptions = {}): Promise<SentinelSet> {
  const began = performance.now();
  const { root, dirs } = makeFolders('lambda-bot-sentinel-', ['primary', 'replica', 's1', 's2', 's3']);
  const [primaryDir = '', replicaDir = '', ...sentinelDirs] = dirs;
  const nodes: RedisNode[] = [];
  try {
    const primary = await RedisNode.launch(dataNode(primaryDir, options.password));
    nodes.push(primary);
    const replicaOf = ['--replicaof', HOST, String(primary.port)];
    const replica = await RedisNode.launch(dataNode(replicaDir, options.password), replicaOf);
    nodes.push(replica);
    // In sync before the sentinels start: a sentinel finds replicas in the primary's INFO, which it
    // asks for once on connecting and then only every 10 s.
    await waitUntil('the replica to sync', options.timeoutMs ?? 30_000, async () =>
      (await replica.info('replication')).get('master_link_status') === 'up' ? true : undefined,
    );
    const sentinels = await Promise.all(
      sentinelDirs.map((dir) => RedisNode.launch(sentinelNode(dir, primary, options))),
    );
    const set = new SentinelSet(root, nodes.slice(0, 2), sentinels, options);
    await set.settled(options.timeoutMs ?? 30_000);
    set.startupMs = performance.now() - began;
    return set;
  } catch (error) {
    await removeAll(nodes, root);
    throw error;
  }
}

export class SentinelSet {
  readonly masterName: string;
  /** The addresses the way the bot's `REDIS_SENTINELS` takes them: `127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  readonly sentinels: string;
  /** The same, the way ioredis takes them: `new Redis({ sentinels: set.sentinelAddresses, name: set.masterName })`. */
  readonly sentinelAddresses: readonly { readonly host: string; readonly port: number }[];
  /** How long `startSentinelSet` took, in ms (set by it once everything has settled). */
  startupMs = 0;
  private stopping: Promise<void> | undefined;

  /** @internal use `startSentinelSet` */
  constructor(
    private readonly root: string,
    /** The primary and the replica as started; which is which changes with each failover (see `primary()`). */
    readonly dataNodes: readonly RedisNode[],
    readonly sentinelNodes: readonly RedisNode[],
    options: SentinelSetOptions,
  ) {
    this.masterName = options.masterName ?? 'mymaster';
    this.sentinelAddresses = sentinelNodes.map((s) => ({ host: s.host, port: s.port }));
    this.sentinels = sentinelNodes.map((s) => s.address).join(',');
  }

  /** The primary according to the first sentinel that answers (`SENTINEL get-master-addr-by-name`). */
  async primary(): Promise<RedisNode> {
    for (const sentinel of this.reachableSentinels()) {
      const address = await this.primaryAccordingTo(sentinel).catch(() => undefined);
      if (address) return this.node(address);
    }
    throw new Error('no sentinel answers');
  }

  /** SIGKILLs the current primary; resolves once it is dead, with when that happened. */
  async killPrimary(): Promise<Outage> {
    const node = await this.primary();
    return { node, at: await node.kill() };
  }

  /**
   * Resolves once a replica has replaced `previous.node`: the replica says it is the primary, and every
   * sentinel that runs names it. `ms` counts from `previous.at` to when a sentinel first named it.
   */
  async waitForFailover(previous: Outage, timeoutMs = 30_000): Promise<Failover> {
    let promoted: { node: RedisNode; at: number } | undefined;
    const wait = waitUntil(
      `a replica to replace ${previous.node.address} as ${this.masterName}`,
      timeoutMs,
      async () => {
        const named = await Promise.all(
          this.reachableSentinels().map((s) => this.primaryAccordingTo(s).catch(() => undefined)),
        );
        const fresh = named.find((a) => a !== undefined && a !== previous.node.address);
        if (!fresh) return undefined;
        const node = this.node(fresh);
        if (!promoted && (await node.info('replication')).get('role') === 'master')
          promoted = { node, at: performance.now() };
        if (!promoted || named.some((a) => a !== promoted?.node.address)) return undefined;
        return { primary: promoted.node, at: promoted.at, ms: promoted.at - previous.at };
      },
      25,
    );
    // What the sentinels did (or did not) is the only useful clue when a failover never comes.
    return wait.catch((error: Error) => {
      throw new Error([error.message, ...this.sentinelNodes.map((s) => s.logTail(15))].join('\n'));
    });
  }

  /**
   * Starts a killed node again on its port and folder. A data node comes back as a replica of the
   * current primary (as Sentinel would make it, but without waiting seconds for it to), and resolves once it
   * is in sync and no sentinel holds it down; a sentinel resolves once it knows the set again.
   */
  async restart(node: RedisNode, timeoutMs = 30_000): Promise<void> {
    if (this.sentinelNodes.includes(node)) {
      await node.start();
      await this.settled(timeoutMs);
      return;
    }
    const primary = await this.primary();
    await node.start(primary === node ? [] : ['--replicaof', HOST, String(primary.port)]);
    await this.settled(timeoutMs);
  }

  /** SIGSTOPs a node (primary, replica or sentinel); returns when, for `waitForFailover` if it was the primary. */
  pause(node: RedisNode): Outage {
    return { node, at: node.pause() };
  }

  /**
   * SIGCONTs a paused node. A primary that was replaced meanwhile still takes writes until a sentinel
   * demotes it (about 10 s here); `settled()` waits for that.
   */
  resume(node: RedisNode): void {
    node.resume();
  }

  /** Kills every node and removes every folder. Safe to call twice; the process exit does it too. */
  stop(): Promise<void> {
    this.stopping ??= removeAll([...this.dataNodes, ...this.sentinelNodes], this.root);
    return this.stopping;
  }

  /**
   * Waits until each running data node other than the primary replicates from it with the link up,
   * and each running sentinel names that primary, sees every such replica and the other running
   * sentinels, none of them down or disconnected: the state in which a failover can start at once.
   */
  async settled(timeoutMs: number): Promise<void> {
    await waitUntil(`the Sentinel set ${this.sentinels} to settle`, timeoutMs, async () => {
      const primary = await this.primary();
      if ((await primary.info('replication')).get('role') !== 'master') return undefined;
      const replicas = this.dataNodes.filter((n) => n !== primary && n.running && !n.paused);
      for (const replica of replicas) {
        const info = await replica.info('replication');
        if (info.get('master_port') !== String(primary.port) || info.get('master_link_status') !== 'up')
          throw new Error(`${replica.address} is not in sync with ${primary.address}`);
      }
      const sentinels = this.reachableSentinels();
      for (const sentinel of sentinels) {
        const master = pairsToMap(await sentinel.call('SENTINEL', 'MASTER', this.masterName));
        if (!healthy(master, 'master') || master.get('port') !== String(primary.port))
          throw new Error(`${sentinel.address} sees the master as ${master.get('port')} ${master.get('flags')}`);
        const known = ((await sentinel.call('SENTINEL', 'REPLICAS', this.masterName)) as unknown[]).map(pairsToMap);
        for (const replica of replicas)
          if (!known.some((r) => r.get('port') === String(replica.port) && healthy(r, 'slave')))
            throw new Error(`${sentinel.address} does not see ${replica.address} as a healthy replica`);
        const peers = ((await sentinel.call('SENTINEL', 'SENTINELS', this.masterName)) as unknown[]).map(pairsToMap);
        if (peers.filter((p) => healthy(p, 'sentinel')).length < sentinels.length - 1)
          throw new Error(
            `${sentinel.address} sees the other sentinels as ${peers.map((p) => p.get('flags')).join(' ')}`,
          );
      }
      return true;
    });
  }

  private async primaryAccordingTo(sentinel: RedisNode): Promise<string | undefined> {
    const reply = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.masterName)) as string[] | null;
    return reply ? `${reply[0]}:${reply[1]}` : undefined;
  }

  private reachableSentinels(): RedisNode[] {
    return this.sentinelNodes.filter((s) => s.running && !s.paused);
  }

  private node(address: string): RedisNode {
    const node = this.dataNodes.find((n) => n.address === address);
    if (!node) throw new StopWaiting(`the sentinels name ${address}, which is not a node of this set`);
    return node;
  }
}

/**
 * A sentinel's record of a node is healthy when it has the role and no down or disconnected flag.
 * Other flags are not waited for: after a failover, `master_down` stays on the other sentinels' records
 * for 5 s (their old votes age out), and has no effect until the primary goes down again.
 */
function healthy(record: Map<string, string>, role: 'master' | 'slave' | 'sentinel'): boolean {
  const flags = (record.get('flags') ?? '').split(',');
  return flags.includes(role) && !flags.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected');
}
