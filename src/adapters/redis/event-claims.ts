import { randomBytes } from 'node:crypto';
import type { EventClaims } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';

/** Slack retries a delivery three times within minutes; an hour outlives them all. */
export const EVENT_CLAIM_TTL_MS = 3_600_000;

/**
 * One key per event ID, set only if absent (SET NX) and expiring by itself: whichever replica sets it
 * handles the event. The value is unique to each claim, so that a SET that ioredis sent again after a
 * lost reply is still recognised as this claim, while a retry on the same replica is not.
 */
export class RedisEventClaims implements EventClaims {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly ttlMs = EVENT_CLAIM_TTL_MS,
  ) {
    this.keys = redisKeys(prefix);
  }

  async claim(eventId: string): Promise<boolean> {
    const key = this.keys.eventClaim(eventId);
    const value = randomBytes(12).toString('hex');
    try {
      if ((await this.redis.set(key, value, 'PX', this.ttlMs, 'NX')) === 'OK') return true;
      return (await this.redis.get(key)) === value;
    } catch (error) {
      throw redisFailure(error, 'claiming an event');
    }
  }
}
