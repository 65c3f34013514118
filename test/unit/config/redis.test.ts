import { describe, expect, it } from 'vitest';
import { describeTopology, parseRedisSettings } from '../../../src/config/redis.js';

describe('the Redis settings (CONTRACT §13)', () => {
  it('defaults to one node on 127.0.0.1:6379, no replicas to wait for', () => {
    expect(parseRedisSettings({})).toEqual({
      ok: true,
      redis: {
        topology: { kind: 'node', url: 'redis://127.0.0.1:6379' },
        keyPrefix: 'lambda-bot:',
        replicasAck: 0,
        ackTimeoutMs: 1000,
      },
    });
  });

  it('reads Sentinel, with its master name, passwords and TLS', () => {
    const result = parseRedisSettings({
      REDIS_SENTINELS: '10.0.0.1:26379, 10.0.0.2:26379,[::1]:26380',
      REDIS_SENTINEL_NAME: 'releases',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_USERNAME: 'bot',
      REDIS_PASSWORD: 'data-secret',
      REDIS_TLS: '1',
      REDIS_REPLICAS_ACK: '1',
      REDIS_ACK_TIMEOUT: '500ms',
    });
    expect(result).toEqual({
      ok: true,
      redis: {
        topology: {
          kind: 'sentinel',
          sentinels: [
            { host: '10.0.0.1', port: 26379 },
            { host: '10.0.0.2', port: 26379 },
            { host: '::1', port: 26380 },
          ],
          name: 'releases',
          sentinelPassword: 'sentinel-secret',
          username: 'bot',
          password: 'data-secret',
          tls: true,
        },
        keyPrefix: 'lambda-bot:',
        replicasAck: 1,
        ackTimeoutMs: 500,
      },
    });
    expect(result.ok && describeTopology(result.redis.topology)).toBe(
      'Sentinel master releases via 10.0.0.1:26379,10.0.0.2:26379,::1:26380',
    );
  });

  it('reads Cluster nodes; the Sentinel master name defaults to mymaster', () => {
    const cluster = parseRedisSettings({ REDIS_CLUSTER_NODES: 'a.example:7000,b.example:7001' });
    expect(cluster.ok && cluster.redis.topology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'a.example', port: 7000 },
        { host: 'b.example', port: 7001 },
      ],
      tls: false,
    });
    const sentinel = parseRedisSettings({ REDIS_SENTINELS: 'h:1' });
    expect(sentinel.ok && sentinel.redis.topology).toMatchObject({ kind: 'sentinel', name: 'mymaster' });
  });

  it('refuses more than one topology, and settings of another topology, naming them', () => {
    expect(parseRedisSettings({ REDIS_URL: 'redis://h:1', REDIS_CLUSTER_NODES: 'h:2' })).toEqual({
      ok: false,
      problems: ['REDIS_URL, REDIS_CLUSTER_NODES: set only one of them (one node, Sentinel or Cluster)'],
    });
    expect(parseRedisSettings({ REDIS_URL: 'redis://h:1', REDIS_PASSWORD: 'x' })).toEqual({
      ok: false,
      problems: ['REDIS_PASSWORD: only for REDIS_SENTINELS or REDIS_CLUSTER_NODES (REDIS_URL carries its own)'],
    });
    expect(parseRedisSettings({ REDIS_CLUSTER_NODES: 'h:2', REDIS_SENTINEL_NAME: 'm' })).toEqual({
      ok: false,
      problems: ['REDIS_SENTINEL_NAME: only for REDIS_SENTINELS'],
    });
  });

  it('reports every malformed value at once, never echoing it', () => {
    const result = parseRedisSettings({
      REDIS_SENTINELS: 'no-port,host:99999',
      REDIS_REPLICAS_ACK: 'one',
      REDIS_ACK_TIMEOUT: 'forever',
      REDIS_TLS: 'yes',
      REDIS_KEY_PREFIX: 'has space',
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'REDIS_SENTINELS: must be host:port pairs separated by commas (10.0.0.1:26379,…)',
        'REDIS_TLS: must be 1 or 0',
        'REDIS_KEY_PREFIX: must be 1–64 of A-Z a-z 0-9 : _ . -',
        'REDIS_REPLICAS_ACK: must be a whole number of replicas (0 to 99)',
        'REDIS_ACK_TIMEOUT: must be a duration from 10ms to 60s, like 500ms or 1s',
      ],
    });
    expect(JSON.stringify(parseRedisSettings({ REDIS_URL: 'http://user:secret-pw@h' }))).not.toContain('secret-pw');
  });
});
