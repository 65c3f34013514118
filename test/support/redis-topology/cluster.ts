/**
 * A Redis Cluster for tests: 3 primaries and 3 replicas, each a redis-server on free ports (client
 * and bus) in its own folder, joined by `redis-cli --cluster create`. A 2 s node timeout makes a
 * replica take over a killed primary in 3–5 s.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ClusterEntry, failing, ownerOf, parseClusterNodes } from './cluster-view.js';
import { makeFolders, removeAll } from './folders.js';
import { type Failover, HOST, type NodeSpec, type Outage, RedisNode } from './node.js';
import { parseInfo } from './replies.js';
import { StopWaiting, waitUntil } from './wait.js';

export interface ClusterOptions {
  /**
   * `cluster-node-timeout`. Default 2000 ms: a killed primary is flagged FAIL 2–4 s after the kill (this
   * timeout, then failure reports from a majority of primaries), and its replica is elected 0.5–1 s
   * later: 3.0–5.0 s measured here. Lower makes nodes on a loaded machine flag each other for nothing.
   */
  readonly nodeTimeoutMs?: number;
  /** AOF (`appendfsync always`) on every node, for tests of what a restarted node still holds. Default off. */
  readonly aof?: boolean;
  /** `requirepass` and `masterauth` of every node. */
  readonly password?: string;
  /** How long starting may take before it fails. Default 60 s. */
  readonly timeoutMs?: number;
}

/** Starts six nodes, creates the cluster, and resolves once every node says `cluster_state:ok` and every replica is in sync. */
export async function startCluster(options: ClusterOptions = {}): Promise<RedisCluster> {
  const began = performance.now();
  const { root, dirs } = makeFolders('lambda-bot-cluster-', ['n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
  const nodes: RedisNode[] = [];
  try {
    await Promise.all(dirs.map(async (dir) => nodes.push(await RedisNode.launch(clusterNode(dir, options)))));
    const create = ['--cluster', 'create', ...nodes.map((n) => n.address), '--cluster-replicas', '1', '--cluster-yes'];
    // The password goes through the environment: on the command line, ps would show it.
    const env = options.password === undefined ? process.env : { ...process.env, REDISCLI_AUTH: options.password };
    await promisify(execFile)('redis-cli', create, { env, timeout: options.timeoutMs ?? 60_000 }).catch((error) => {
      throw new Error(`redis-cli --cluster create failed: ${error.stderr || error.stdout || error.message}`);
    });
    const cluster = new RedisCluster(root, nodes);
    await cluster.settled(options.timeoutMs ?? 60_000);
    cluster.startupMs = performance.now() - began;
    return cluster;
  } catch (error) {
    await removeAll(nodes, root);
    throw error;
  }
}

export class RedisCluster {
  /** The startup nodes the way the bot's `REDIS_CLUSTER_NODES` takes them: `127.0.0.1:p1,…,127.0.0.1:p6`. */
  readonly nodes: string;
  /** The same, the way ioredis takes them: `new Cluster(cluster.startupNodes)`. */
  readonly startupNodes: readonly { readonly host: string; readonly port: number }[];
  /** How long `startCluster` took, in ms (set by it once everything has settled). */
  startupMs = 0;
  /** The slots and replicas each killed primary had, to know what its failover must restore. */
  private readonly lost = new Map<RedisNode, { slot: number; replicas: RedisNode[] }>();
  private stopping: Promise<void> | undefined;

  /** @internal use `startCluster` */
  constructor(
    private readonly root: string,
    /** All six nodes; which are primaries changes with failovers (see `pairs()`). */
    readonly all: readonly RedisNode[],
  ) {
    this.startupNodes = all.map((n) => ({ host: n.host, port: n.port }));
    this.nodes = all.map((n) => n.address).join(',');
  }

  /** Each primary that serves slots, with its replica (none while that replica is down), from `CLUSTER NODES`. */
  async pairs(): Promise<{ readonly primary: RedisNode; readonly replica?: RedisNode }[]> {
    const view = await this.view();
    return view
      .filter((e) => e.flags.has('master') && e.slots.length > 0)
      .map((p) => {
        const replica = view.find((r) => r.primaryId === p.id && !failing(r));
        return { primary: this.node(p.port), ...(replica ? { replica: this.node(replica.port) } : {}) };
      });
  }

  /** The primary that serves `key` now (`CLUSTER KEYSLOT`, then the slot map). */
  async primaryFor(key: string): Promise<RedisNode> {
    const [asked] = this.reachable();
    if (!asked) throw new Error('no node of the cluster runs');
    const slot = Number(await asked.call('CLUSTER', 'KEYSLOT', key));
    const owner = ownerOf(await this.view(), slot);
    if (!owner) throw new Error(`no primary serves slot ${slot}`);
    return this.node(owner.port);
  }

  /** SIGKILLs `node`, which must be a primary serving slots; resolves once it is dead, with when that happened. */
  async killPrimary(node: RedisNode): Promise<Outage> {
    const view = await this.view();
    const entry = view.find((e) => e.port === node.port);
    const first = entry?.slots[0];
    if (!entry?.flags.has('master') || first === undefined) throw new Error(`${node.address} serves no slots`);
    const replicas = view.filter((e) => e.primaryId === entry.id && !failing(e)).map((e) => this.node(e.port));
    if (replicas.length === 0) throw new Error(`${node.address} has no replica to take over: it would never fail over`);
    this.lost.set(node, { slot: first[0], replicas });
    return { node, at: await node.kill() };
  }

  /**
   * Resolves once a replica of the killed primary says it is a primary, and every running node says
   * `cluster_state:ok` and names it as the owner of the lost slots. `ms` counts from `previous.at` to
   * when the replica was first seen promoted.
   */
  async waitForFailover(previous: Outage, timeoutMs = 30_000): Promise<Failover> {
    const lost = this.lost.get(previous.node);
    if (!lost) throw new Error(`${previous.node.address} was not killed by killPrimary()`);
    let promoted: { node: RedisNode; at: number } | undefined;
    const wait = waitUntil(
      `a replica to replace ${previous.node.address}`,
      timeoutMs,
      async () => {
        for (const replica of lost.replicas.filter((r) => r.running && !r.paused && !promoted))
          if ((await replica.info('replication')).get('role') === 'master')
            promoted = { node: replica, at: performance.now() };
        if (!promoted) return undefined;
        for (const node of this.reachable()) {
          if (!(await clusterOk(node))) return undefined;
          if (ownerOf(await this.view(node), lost.slot)?.port !== promoted.node.port) return undefined;
        }
        return { primary: promoted.node, at: promoted.at, ms: promoted.at - previous.at };
      },
      25,
    );
    // The replicas' logs say whether they saw the FAIL and ran an election.
    return wait.catch((error: Error) => {
      throw new Error([error.message, ...lost.replicas.map((r) => r.logTail(15))].join('\n'));
    });
  }

  /**
   * Starts a killed node again on its ports and folder (its `nodes.conf` is still there). A primary that
   * was replaced rejoins as a replica of its replacement; resolves once the whole cluster is settled again.
   */
  async restart(node: RedisNode, timeoutMs = 30_000): Promise<void> {
    await node.start();
    this.lost.delete(node);
    await this.settled(timeoutMs);
  }

  /** SIGSTOPs a node; returns when. (`waitForFailover` takes only outages from `killPrimary`.) */
  pause(node: RedisNode): Outage {
    return { node, at: node.pause() };
  }

  resume(node: RedisNode): void {
    node.resume();
  }

  /** Kills every node and removes every folder. Safe to call twice; the process exit does it too. */
  stop(): Promise<void> {
    this.stopping ??= removeAll(this.all, this.root);
    return this.stopping;
  }

  /**
   * Waits until every running node says `cluster_state:ok`; sees every other running node, none of
   * them failing, each either a primary serving slots or a replica of one; agrees with the others on
   * which node serves which slots; and, if it is a replica, has its link to its primary up.
   */
  async settled(timeoutMs: number): Promise<void> {
    await waitUntil(`the cluster ${this.nodes} to settle`, timeoutMs, async () => {
      const slotMaps = new Set<string>();
      for (const node of this.reachable()) {
        if (!(await clusterOk(node))) throw new Error(`${node.address} says cluster_state is not ok`);
        const view = await this.view(node);
        const serving = view.filter((e) => e.flags.has('master') && e.slots.length > 0);
        for (const other of this.all.filter((n) => n.running)) {
          const entry = view.find((e) => e.port === other.port && !e.flags.has('handshake'));
          const role = entry?.flags.has('slave') ? serving.find((p) => p.id === entry.primaryId) : undefined;
          if (!entry || failing(entry) || (!serving.includes(entry) && !role))
            throw new Error(`${node.address} sees ${other.address} as ${entry ? [...entry.flags].join() : 'unknown'}`);
        }
        slotMaps.add(JSON.stringify(serving.map((p) => [p.id, p.slots]).sort()));
        const replication = await node.info('replication');
        if (replication.get('role') === 'slave' && replication.get('master_link_status') !== 'up')
          throw new Error(`${node.address} is not in sync with its primary`);
      }
      if (slotMaps.size !== 1) throw new Error('the nodes disagree on which node serves which slots');
      return true;
    });
  }

  /** `CLUSTER NODES` as `node` (by default the first that runs) sees it. */
  private async view(node = this.reachable()[0]): Promise<ClusterEntry[]> {
    if (!node) throw new Error('no node of the cluster runs');
    return parseClusterNodes(String(await node.call('CLUSTER', 'NODES')));
  }

  private reachable(): RedisNode[] {
    return this.all.filter((n) => n.running && !n.paused);
  }

  private node(port: number): RedisNode {
    const node = this.all.find((n) => n.port === port);
    if (!node) throw new StopWaiting(`CLUSTER NODES names port ${port}, which is not a node of this cluster`);
    return node;
  }
}

/** `CLUSTER INFO` (not `INFO cluster`, which only says whether cluster mode is on) reports `cluster_state:ok`. */
async function clusterOk(node: RedisNode): Promise<boolean> {
  return parseInfo(String(await node.call('CLUSTER', 'INFO'))).get('cluster_state') === 'ok';
}

function clusterNode(dir: string, options: ClusterOptions): NodeSpec {
  const { password } = options;
  return {
    dir,
    busPort: true,
    ...(password === undefined ? {} : { password }),
    args: (port: number, busPort: number | undefined) => [
      ...['--port', String(port), '--bind', HOST, '--dir', dir, '--logfile', join(dir, 'redis.log')],
      ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPort)],
      ...['--cluster-node-timeout', String(options.nodeTimeoutMs ?? 2000)],
      // Keeps each replica with the primary it was created with, so pairs stay the same across failovers.
      ...['--cluster-allow-replica-migration', 'no'],
      ...['--save', '', '--appendonly', options.aof ? 'yes' : 'no', '--appendfsync', 'always'],
      // A replica's first sync is immediate, not after the default 5 s wait for more replicas.
      ...['--repl-diskless-sync-delay', '0'],
      ...(password === undefined ? [] : ['--requirepass', password, '--masterauth', password]),
    ],
  };
}
