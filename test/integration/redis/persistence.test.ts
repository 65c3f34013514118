import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePersistence, judgePersistence } from '../../../src/adapters/redis/persistence.js';
import { connect } from '../../support/redis.js';

let redis: Redis;

beforeAll(async () => {
  redis = await connect();
});

afterAll(() => {
  redis.disconnect();
});

describe('describePersistence against the test Redis', () => {
  it('agrees with what CONFIG GET says', async () => {
    const [, appendonly = ''] = (await redis.config('GET', 'appendonly')) as string[];
    const [, save = ''] = (await redis.config('GET', 'save')) as string[];
    expect(await describePersistence(redis)).toEqual(judgePersistence({ config: { appendonly, save } }));
  });
});
