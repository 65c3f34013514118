/**
 * One redis-server process of a topology (a data node or a sentinel): its own port and folder,
 * started, frozen, killed and restarted by the test. Commands to it go over a fresh connection
 * each time, so a node that was killed or frozen never leaves a stuck client behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { closedPort } from '../redis.js';
import { trackProcess } from './reaper.js';
import { parseInfo } from './replies.js';
import { StopWaiting, waitUntil } from './wait.js';

/** Loopback only: nothing a topology starts is reachable from outside the machine. */
export const HOST = '127.0.0.1';

/** A moment on the monotonic clock (`performance.now()`), so NTP steps never skew a measured failover. */
export type Instant = number;

export interface NodeSpec {
  /** Its folder, created by the caller; the log goes to `redis.log` there. */
  readonly dir: string;
  /** The password clients must send (`requirepass`), if any. */
  readonly password?: string;
  /** A second free port for the cluster bus, which otherwise is port + 10000 and may be taken or above 65535. */
  readonly busPort?: boolean;
  /** The command line for a given port (and bus port); called again on each restart. */
  readonly args: (port: number, busPort: number | undefined) => string[];
}

/** One redis-server (or sentinel) process on its own port and folder, which a test can kill, freeze and restart. */
export class RedisNode {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private frozen = false;

  private constructor(
    readonly port: number,
    readonly busPort: number | undefined,
    private readonly spec: NodeSpec,
  ) {}

  /**
   * Starts a node on a free port. A port found free can be taken by someone else before
   * redis-server binds it (suites run side by side), so a node that dies at once is retried on another.
   */
  static async launch(spec: NodeSpec, extraArgs: readonly string[] = []): Promise<RedisNode> {
    for (let attempt = 1; ; attempt++) {
      const node = new RedisNode(await closedPort(), spec.busPort ? await closedPort() : undefined, spec);
      try {
        await node.start(extraArgs);
        return node;
      } catch (error) {
        await node.kill();
        if (attempt === 3) throw error;
      }
    }
  }

  get host(): string {
    return HOST;
  }

  /** `127.0.0.1:port`, as Redis and Sentinel name nodes. */
  get address(): string {
    return `${HOST}:${this.port}`;
  }

  get dir(): string {
    return this.spec.dir;
  }

  /** Frozen by `pause()`: running, but it answers nothing (asking it would only time out). */
  get paused(): boolean {
    return this.frozen && this.running;
  }

  /** False once killed (until restarted); a paused node is still running. */
  get running(): boolean {
    const child = this.child;
    return child?.pid !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /**
   * Starts redis-server on this node's port and folder, with `extraArgs` after the spec's (a restart
   * passes `--replicaof`); resolves once it answers, as itself: if the port was taken by another
   * suite's redis-server in the meantime, that one answers with another process id.
   */
  async start(extraArgs: readonly string[] = [], timeoutMs = 15_000): Promise<void> {
    if (this.running) throw new Error(`${this.address} is already running`);
    const args = [...this.spec.args(this.port, this.busPort), ...extraArgs];
    const child = spawn('redis-server', args, { cwd: this.dir, stdio: 'ignore' });
    let failed: Error | undefined;
    child.once('error', (error) => {
      failed = error;
    });
    this.child = child;
    this.frozen = false;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    trackProcess(child);
    await waitUntil(`${this.address} to answer`, timeoutMs, async () => {
      if (failed)
        throw new StopWaiting(`redis-server did not start (Debian: apt-get install redis-server): ${failed.message}`);
      if (!this.running) throw new StopWaiting(`redis-server on ${this.address} exited. ${this.logTail()}`);
      return (await this.info('server')).get('process_id') === String(child.pid) ? true : undefined;
    });
  }

  /** SIGKILL: no shutdown, as in a crash. Resolves with the moment of the kill, once the process is gone. */
  async kill(): Promise<Instant> {
    const at = performance.now();
    if (this.running) {
      this.child?.kill('SIGKILL');
      await this.exited;
    }
    return at;
  }

  /** SIGSTOP: the sockets stay open and nothing answers, as with a hung server or a partition. */
  pause(): Instant {
    this.child?.kill('SIGSTOP');
    this.frozen = true;
    return performance.now();
  }

  resume(): void {
    this.child?.kill('SIGCONT');
    this.frozen = false;
  }

  /** One command over a fresh connection; rejects if the node does not answer within 2 s. */
  async call(command: string, ...args: (string | number)[]): Promise<unknown> {
    return callAt(this.port, this.spec.password, command, ...args);
  }

  /** `INFO <section>` as a map of its `field:value` lines. */
  async info(section: string): Promise<Map<string, string>> {
    return parseInfo(String(await this.call('INFO', section)));
  }

  /** The last lines of the node's log, for error messages: why it did not start or did not fail over. */
  logTail(lines = 8): string {
    try {
      const log = readFileSync(join(this.dir, 'redis.log'), 'utf8').trimEnd().split('\n');
      return `Last lines of ${join(this.dir, 'redis.log')}:\n${log.slice(-lines).join('\n')}`;
    } catch {
      return `No log in ${this.dir} (is redis-server on the PATH?).`;
    }
  }
}

/** One command to `127.0.0.1:port` over a fresh connection that never retries or queues. */
async function callAt(
  port: number,
  password: string | undefined,
  command: string,
  ...args: (string | number)[]
): Promise<unknown> {
  const redis = new Redis({
    host: HOST,
    port,
    ...(password === undefined ? {} : { password }),
    lazyConnect: true,
    connectTimeout: 2000,
    commandTimeout: 2000,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await redis.call(command, ...args);
  } finally {
    redis.disconnect();
  }
}

/** A node taken down by a test (killed or paused) and when. */
export interface Outage {
  readonly node: RedisNode;
  readonly at: Instant;
}

/** A replica promoted in place of a lost primary: the new primary, when the promotion was seen, and how long after the outage. */
export interface Failover {
  readonly primary: RedisNode;
  readonly at: Instant;
  readonly ms: number;
}
