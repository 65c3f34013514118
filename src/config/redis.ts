/**
 * The Redis settings (CONTRACT §13): one node (REDIS_URL), Sentinel (REDIS_SENTINELS) or Cluster
 * (REDIS_CLUSTER_NODES), at most one of them; the key prefix; and how many replicas must hold an
 * audit record before it counts as written. Read by the bot, `npm run audit` and the benchmarks
 * alike. Messages name the rule, never a value: the URL may hold a password.
 */
import { z } from 'zod';
import { parseDuration } from '../domain/duration.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export type RedisTopology =
  | { readonly kind: 'node'; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly HostPort[];
      readonly name: string;
      readonly sentinelPassword?: string;
      readonly username?: string;
      readonly password?: string;
      readonly tls: boolean;
    }
  | {
      readonly kind: 'cluster';
      readonly nodes: readonly HostPort[];
      readonly username?: string;
      readonly password?: string;
      readonly tls: boolean;
    };

export interface RedisSettings {
  readonly topology: RedisTopology;
  readonly keyPrefix: string;
  /** Replicas that must confirm an audit record (WAIT) before it counts as written; 0: the primary's answer. */
  readonly replicasAck: number;
  /** How long WAIT may take for them. */
  readonly ackTimeoutMs: number;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

const hostPorts = z.string().transform((text, ctx) => {
  const nodes: HostPort[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(part);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      ctx.addIssue({ code: 'custom', message: 'must be host:port pairs separated by commas (10.0.0.1:26379,…)' });
      return [];
    }
    nodes.push({ host: (match[1] as string).replace(/^\[|\]$/g, ''), port });
  }
  return nodes;
});

const flag = z
  .enum(['0', '1', 'true', 'false'], { error: 'must be 1 or 0' })
  .transform((v) => v === '1' || v === 'true');

export const redisEnv = {
  REDIS_URL: z.string().refine((text) => {
    try {
      return ['redis:', 'rediss:'].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, 'must be a redis:// or rediss:// URL'),
  REDIS_SENTINELS: hostPorts,
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a Sentinel master name'),
  REDIS_SENTINEL_PASSWORD: z.string().min(1),
  REDIS_CLUSTER_NODES: hostPorts,
  REDIS_USERNAME: z.string().min(1),
  REDIS_PASSWORD: z.string().min(1),
  REDIS_TLS: flag,
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 : _ . -'),
  REDIS_REPLICAS_ACK: z
    .string()
    .regex(/^\d{1,2}$/, 'must be a whole number of replicas (0 to 99)')
    .transform(Number),
  REDIS_ACK_TIMEOUT: z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms < 10 || ms > 60_000) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration from 10ms to 60s, like 500ms or 1s' });
    }
    return ms ?? 0;
  }),
};

const schema = z.object(Object.fromEntries(Object.entries(redisEnv).map(([k, v]) => [k, v.optional()]))) as z.ZodType<
  Partial<{ [K in keyof typeof redisEnv]: z.output<(typeof redisEnv)[K]> }>
>;

/**
 * Reads the Redis variables of an environment (empty ones already removed). Every problem is one
 * line naming the variable; setting two topologies at once is one of them.
 */
export function parseRedisSettings(
  env: Readonly<Record<string, string>>,
): { ok: true; redis: RedisSettings } | { ok: false; problems: string[] } {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`) };
  }
  const v = parsed.data;
  const problems: string[] = [];
  const chosen = (['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const).filter((k) => v[k] !== undefined);
  if (chosen.length > 1) problems.push(`${chosen.join(', ')}: set only one of them (one node, Sentinel or Cluster)`);
  const auth = {
    ...(v.REDIS_USERNAME ? { username: v.REDIS_USERNAME } : {}),
    ...(v.REDIS_PASSWORD ? { password: v.REDIS_PASSWORD } : {}),
  };
  if (chosen[0] === 'REDIS_URL' || chosen.length === 0) {
    for (const name of [
      'REDIS_SENTINEL_NAME',
      'REDIS_SENTINEL_PASSWORD',
      'REDIS_USERNAME',
      'REDIS_PASSWORD',
      'REDIS_TLS',
    ] as const) {
      if (v[name] !== undefined)
        problems.push(`${name}: only for REDIS_SENTINELS or REDIS_CLUSTER_NODES (REDIS_URL carries its own)`);
    }
  }
  if (chosen[0] === 'REDIS_CLUSTER_NODES') {
    for (const name of ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'] as const) {
      if (v[name] !== undefined) problems.push(`${name}: only for REDIS_SENTINELS`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const topology: RedisTopology = v.REDIS_SENTINELS
    ? {
        kind: 'sentinel',
        sentinels: v.REDIS_SENTINELS,
        name: v.REDIS_SENTINEL_NAME ?? 'mymaster',
        ...(v.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: v.REDIS_SENTINEL_PASSWORD } : {}),
        ...auth,
        tls: v.REDIS_TLS ?? false,
      }
    : v.REDIS_CLUSTER_NODES
      ? { kind: 'cluster', nodes: v.REDIS_CLUSTER_NODES, ...auth, tls: v.REDIS_TLS ?? false }
      : { kind: 'node', url: v.REDIS_URL ?? DEFAULT_URL };
  return {
    ok: true,
    redis: {
      topology,
      keyPrefix: v.REDIS_KEY_PREFIX ?? 'lambda-bot:',
      replicasAck: v.REDIS_REPLICAS_ACK ?? 0,
      ackTimeoutMs: v.REDIS_ACK_TIMEOUT ?? 1000,
    },
  };
}

/** The topology in words for logs and /readyz, with no secret: `sentinel mymaster via 3 sentinels`. */
export function describeTopology(t: RedisTopology): string {
  switch (t.kind) {
    case 'node': {
      const url = new URL(t.url);
      return `one node ${url.protocol === 'rediss:' ? 'over TLS ' : ''}at ${url.hostname}:${url.port || 6379}`;
    }
    case 'sentinel':
      return `Sentinel master ${t.name} via ${t.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
    case 'cluster':
      return `Cluster via ${t.nodes.map((s) => `${s.host}:${s.port}`).join(',')}${t.tls ? ' over TLS' : ''}`;
  }
}
