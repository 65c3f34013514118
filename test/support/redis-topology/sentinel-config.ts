/** The command lines and config files of a Sentinel set's nodes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST, type NodeSpec, type RedisNode } from './node.js';
import type { SentinelSetOptions } from './sentinel.js';

/** The primary or the replica (`--replicaof` is added at launch, and again at each restart). */
export function dataNode(dir: string, password: string | undefined): NodeSpec {
  return {
    dir,
    ...(password === undefined ? {} : { password }),
    args: (port: number) => [
      ...['--port', String(port), '--bind', HOST, '--dir', dir, '--logfile', join(dir, 'redis.log')],
      ...['--save', '', '--appendonly', 'no'],
      // A replica's first sync is immediate, not after the default 5 s wait for more replicas.
      ...['--repl-diskless-sync-delay', '0'],
      ...(password === undefined ? [] : ['--requirepass', password, '--masterauth', password]),
    ],
  };
}

/** A sentinel reads a config file and rewrites it as it learns, so the file is written once per port, then left to it. */
export function sentinelNode(dir: string, primary: RedisNode, options: SentinelSetOptions): NodeSpec {
  const name = options.masterName ?? 'mymaster';
  const file = join(dir, 'sentinel.conf');
  const written = new Set<number>();
  return {
    dir,
    ...(options.sentinelPassword === undefined ? {} : { password: options.sentinelPassword }),
    args: (port: number) => {
      if (!written.has(port)) {
        const lines = [
          `port ${port}`,
          `bind ${HOST}`,
          `dir ${confValue(dir)}`,
          `logfile ${confValue(join(dir, 'redis.log'))}`,
          `sentinel monitor ${name} ${HOST} ${primary.port} 2`,
          `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 1000}`,
          `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 2000}`,
          ...(options.password === undefined ? [] : [`sentinel auth-pass ${name} ${confValue(options.password)}`]),
          ...(options.sentinelPassword === undefined
            ? []
            : [
                `requirepass ${confValue(options.sentinelPassword)}`,
                `sentinel sentinel-pass ${confValue(options.sentinelPassword)}`,
              ]),
        ];
        writeFileSync(file, `${lines.join('\n')}\n`);
        written.add(port);
      }
      return [file, '--sentinel'];
    },
  };
}

/** A value for a redis.conf line: double-quoted, as the config parser reads it. */
function confValue(value: string): string {
  // A line break would end the line, and the parser's own escapes are not worth it for test passwords.
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new Error('a config value with control characters is not supported');
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}
