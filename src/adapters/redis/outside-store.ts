/**
 * The watch of changes made outside the bot, in Redis (layout in keys.ts, scripts in
 * outside-scripts.ts): the state each function was last accounted for in, the versions the bot
 * published, and the alerts raised, under the `{outside}` hash tag.
 */

import { newId } from '../../domain/ids.js';
import type { FunctionWatch } from '../../domain/outside.js';
import type { OutsideAlert, OutsideDecision, OutsideFacts, WhoState } from '../../domain/outside-alert.js';
import type { MessageRef, OutsideStore } from '../../ports.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';
import { DECIDE, DELIVERED, GIVE_BACK, IDENTIFY, RECORD, TAKE } from './outside-scripts.js';

/** Alerts stay readable (for a late click's answer) for a month; the audit log keeps the change for good. */
const KEEP_MS = 30 * 86_400_000;
/** IDs this store issues; anything else in a button value is not one. */
const ID = /^x[a-z2-9]{16}$/;

export class RedisOutsideStore implements OutsideStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async watch(fn: string): Promise<{ state?: FunctionWatch; rev: number }> {
    const [rev, state] = await this.attempt('reading the watch of a function', () =>
      this.redis.hmget(this.keys.outsideWatch(fn), 'rev', 'state'),
    );
    return { rev: Number(rev ?? 0), ...(state ? { state: JSON.parse(state) as FunctionWatch } : {}) };
  }

  async record(
    fn: string,
    rev: number,
    next: FunctionWatch,
    facts: readonly OutsideFacts[],
    at: Date,
  ): Promise<{ recorded: boolean; alerts: OutsideAlert[] }> {
    const now = at.getTime();
    const alerts: OutsideAlert[] = facts.map((f) => ({
      ...f,
      id: newId('x'),
      who: { state: 'looking', since: f.detectedAt },
      rev: 1,
    }));
    const keys = [
      this.keys.outsideWatch(fn),
      this.keys.outsideUndelivered,
      this.keys.outsideLooking,
      ...alerts.map((a) => this.keys.outsideAlert(a.id)),
    ];
    const args: (string | number)[] = [String(rev), JSON.stringify(next), now, KEEP_MS];
    for (const a of alerts) {
      const { id, who, rev: _, ...rest } = a;
      // A published version is only noted: nobody needs to know who for a one-line note.
      const looking = a.change.kind !== 'version-published';
      args.push(
        id,
        JSON.stringify(rest),
        JSON.stringify(looking ? who : { state: 'unknown', why: 'not looked up for a note' }),
        looking ? 1 : 0,
      );
    }
    const done = await this.attempt('recording a change made outside the bot', () =>
      RECORD.run(this.redis, keys, args),
    );
    return done === 1 ? { recorded: true, alerts } : { recorded: false, alerts: [] };
  }

  async published(fn: string, version: string): Promise<void> {
    await this.attempt('remembering a published version', () => this.redis.sadd(this.keys.outsideOwn(fn), version));
  }

  async publishedVersions(fn: string): Promise<ReadonlySet<string>> {
    return new Set(
      await this.attempt('reading published versions', () => this.redis.smembers(this.keys.outsideOwn(fn))),
    );
  }

  async undelivered(now: Date, limit: number): Promise<OutsideAlert[]> {
    const ids = await this.attempt('listing alerts to post', () =>
      this.redis.zrangebyscore(this.keys.outsideUndelivered, '-inf', String(now.getTime()), 'LIMIT', 0, limit),
    );
    return this.many(ids);
  }

  async take(id: string, token: number, now: Date, takeoverMs: number): Promise<boolean> {
    const taken = await this.attempt('taking an alert to post', () =>
      TAKE.run(this.redis, [this.keys.outsideAlert(id)], [token, now.getTime(), takeoverMs]),
    );
    return taken === 1;
  }

  async delivered(id: string, ref: MessageRef): Promise<void> {
    await this.attempt('recording a posted alert', () =>
      DELIVERED.run(this.redis, [this.keys.outsideAlert(id), this.keys.outsideUndelivered], [id, JSON.stringify(ref)]),
    );
  }

  async giveBack(id: string, token: number, retryAt: Date): Promise<void> {
    await this.attempt('giving back an alert', () =>
      GIVE_BACK.run(
        this.redis,
        [this.keys.outsideAlert(id), this.keys.outsideUndelivered],
        [token, id, retryAt.getTime()],
      ),
    );
  }

  async get(id: string): Promise<OutsideAlert | undefined> {
    if (!ID.test(id)) return undefined;
    const fields = await this.attempt('reading an alert', () => this.redis.hgetall(this.keys.outsideAlert(id)));
    return decode(fields);
  }

  async looking(limit: number): Promise<OutsideAlert[]> {
    const ids = await this.attempt('listing alerts looking for who', () =>
      this.redis.zrange(this.keys.outsideLooking, '0', String(limit - 1)),
    );
    return this.many(ids);
  }

  async identify(id: string, who: WhoState): Promise<boolean> {
    const done = await this.attempt('recording who made a change', () =>
      IDENTIFY.run(this.redis, [this.keys.outsideAlert(id), this.keys.outsideLooking], [id, JSON.stringify(who)]),
    );
    return done === 1;
  }

  async decide(id: string, decision: OutsideDecision): Promise<{ decided: boolean; alert?: OutsideAlert }> {
    if (!ID.test(id)) return { decided: false };
    const [field, value] = fieldOf(decision);
    const done = await this.attempt('recording a decision on an alert', () =>
      DECIDE.run(this.redis, [this.keys.outsideAlert(id)], [field, value]),
    );
    const alert = await this.get(id);
    return { decided: done === 1, ...(alert ? { alert } : {}) };
  }

  private async many(ids: readonly string[]): Promise<OutsideAlert[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.keys.outsideAlert(id));
    const replies = await this.attempt('reading alerts', async () => (await pipeline.exec()) ?? []);
    return replies.flatMap(([error, fields]) => {
      const alert = error ? undefined : decode(fields as Record<string, string>);
      return alert ? [alert] : [];
    });
  }

  private async attempt<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw redisFailure(error, doing);
    }
  }
}

function fieldOf(decision: OutsideDecision): [string, string] {
  switch (decision.kind) {
    case 'revert': {
      const { kind: _, ...rest } = decision;
      return ['reverted', JSON.stringify(rest)];
    }
    case 'accept':
      return ['accepted', JSON.stringify({ by: decision.by, at: decision.at })];
    case 'revert-failed':
      return ['revertFailed', JSON.stringify(decision.why)];
    case 'paused':
      return ['pausedRollout', JSON.stringify(decision.rollout)];
  }
}

function decode(fields: Record<string, string>): OutsideAlert | undefined {
  if (!fields.id || !fields.facts || !fields.who) return undefined;
  try {
    const json = (name: string) => (fields[name] ? JSON.parse(fields[name] as string) : undefined);
    return {
      ...(JSON.parse(fields.facts) as OutsideFacts),
      id: fields.id,
      who: JSON.parse(fields.who) as WhoState,
      ...(fields.ref ? { ref: json('ref') } : {}),
      ...(fields.reverted ? { reverted: json('reverted') } : {}),
      ...(fields.accepted ? { accepted: json('accepted') } : {}),
      ...(fields.revertFailed ? { revertFailed: json('revertFailed') } : {}),
      ...(fields.pausedRollout ? { pausedRollout: json('pausedRollout') } : {}),
      rev: Number(fields.rev ?? 1),
    };
  } catch {
    return undefined;
  }
}
