/**
 * What the bot remembers of each alias between AWS calls: the state it last saw and the state it
 * last wrote (with the request that wrote it), in one Redis hash per alias. Services use it to
 * tell a change made outside the bot from their own.
 */

import { z } from 'zod';
import type { AliasMemory, AliasState, WrittenState } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';

const aliasState = z.object({
  fn: z.string(),
  alias: z.string(),
  arn: z.string(),
  routing: z.object({
    primary: z.string(),
    additional: z.object({ version: z.string(), weight: z.number() }).optional(),
  }),
  revisionId: z.string(),
  description: z.string(),
});
const writtenState = z.object({ state: aliasState, request: z.string(), at: z.string() });

export class RedisAliasMemory implements AliasMemory {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async recall(fn: string, alias: string): Promise<{ seen?: AliasState; written?: WrittenState }> {
    let seen: string | null | undefined;
    let written: string | null | undefined;
    try {
      [seen, written] = await this.redis.hmget(this.keys.alias(fn, alias), 'seen', 'written');
    } catch (error) {
      throw redisFailure(error, `recalling ${fn}:${alias}`);
    }
    // A value that no longer parses is forgotten rather than trusted: memory is only a hint,
    // and the services read AWS before they act.
    const s = parse(aliasState, seen);
    const w = parse(writtenState, written);
    return { ...(s ? { seen: s } : {}), ...(w ? { written: w } : {}) };
  }

  async saw(state: AliasState): Promise<void> {
    try {
      await this.redis.hset(this.keys.alias(state.fn, state.alias), 'seen', JSON.stringify(state));
    } catch (error) {
      throw redisFailure(error, `remembering ${state.fn}:${state.alias}`);
    }
  }

  async wrote(state: AliasState, request: string, at: Date): Promise<void> {
    const written: WrittenState = { state, request, at: at.toISOString() };
    try {
      // One command, so `seen` and `written` never disagree about what the bot wrote last.
      await this.redis.hset(
        this.keys.alias(state.fn, state.alias),
        'seen',
        JSON.stringify(state),
        'written',
        JSON.stringify(written),
      );
    } catch (error) {
      throw redisFailure(error, `remembering ${state.fn}:${state.alias}`);
    }
  }
}

function parse<T>(schema: z.ZodType<T>, json: string | null | undefined): T | undefined {
  if (json == null) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
