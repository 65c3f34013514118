import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisFailure } from '../../../../src/adapters/redis/errors.js';

/** A reply error as ioredis makes them (its class, from redis-errors, is typed `any`). */
const reply = (message: string): Error => new (ReplyError as new (message: string) => Error)(message);

describe('redisFailure', () => {
  it('takes a Cluster redirection that reaches the caller (a pipeline after a failover) for Redis unavailable, not a bug', () => {
    for (const message of ['MOVED 1463 127.0.0.1:40335', 'ASK 1463 127.0.0.1:40335']) {
      expect(redisFailure(reply(message), 'appending to the audit log')).toMatchObject({
        code: 'redis-unavailable',
        message: `Redis is unavailable (appending to the audit log): ${message}`,
      });
    }
  });

  it('keeps replies that say a command is wrong, and look alike, for bugs', () => {
    for (const message of ['ERR unknown command', 'MOVEDX 1 2', 'WRONGTYPE Operation against a key'])
      expect(redisFailure(reply(message), 'x').code).toBe('internal');
  });

  it('takes the connection failing for Redis unavailable', () => {
    expect(redisFailure(new Error('Connection is closed.'), 'x').code).toBe('redis-unavailable');
  });
});
