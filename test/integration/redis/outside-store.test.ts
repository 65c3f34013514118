import { RedisOutsideStore } from '../../../src/adapters/redis/outside-store.js';
import { outsideStoreContract } from '../../contract/ports/outside-store.case.js';
import { redisForFile } from '../../support/redis.js';

const file = redisForFile('outside');

outsideStoreContract('Redis', async () => new RedisOutsideStore(file.redis(), file.next()));
