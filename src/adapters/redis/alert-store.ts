/**
 * Alarm states and alerts in Redis, shared by every replica: one hash of last-seen states, one
 * hash per alert, a set of open alerts per alarm, a hash of each alarm's latest alert and a sorted
 * set of alerts with a message still to deliver. Every change that must happen once is one Lua
 * script (alert-scripts.ts).
 */

import { decodeSeen, encodeSeen, type SeenState } from '../../domain/alarm-transition.js';
import type { Alert, AlertDecision, AlertFacts, AlertTask, ThreadNote } from '../../domain/alert.js';
import { newId } from '../../domain/ids.js';
import type { AlertEffect, AlertStore, MessageRef, RecordResult } from '../../ports.js';
import { DECIDE, DELIVERED, GIVE_BACK, RECORD, TAKE } from './alert-scripts.js';
import type { RedisClient } from './client.js';
import { redisFailure } from './errors.js';
import { type RedisKeys, redisKeys } from './keys.js';

/** Alerts are forgotten a month after they were raised; their buttons then answer "unknown". */
const ALERT_TTL_MS = 30 * 86_400_000;
/** IDs this store issues (`newId('al')`); anything else in a button value is not one. */
const ID = /^al[a-z2-9]{16}$/;

export class RedisAlertStore implements AlertStore {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  async seen(alarms: readonly string[]): Promise<ReadonlyMap<string, SeenState>> {
    const seen = new Map<string, SeenState>();
    for (let i = 0; i < alarms.length; i += 1000) {
      const names = alarms.slice(i, i + 1000);
      const values = await this.attempt('reading alarm states', () => this.redis.hmget(this.keys.alarmSeen, ...names));
      names.forEach((name, k) => {
        const state = values[k] ? decodeSeen(values[k]) : undefined;
        if (state) seen.set(name, state);
      });
    }
    return seen;
  }

  async record(
    alarm: string,
    expected: SeenState | undefined,
    next: SeenState,
    effect: AlertEffect,
  ): Promise<RecordResult> {
    const k = this.keys;
    const base = [k.alarmSeen, k.alarmUndelivered, k.alarmOpen(alarm), k.alarmLatest];
    const args: (string | number)[] = [alarm, expected ? encodeSeen(expected) : '', encodeSeen(next), effect.kind];
    let keys = base;
    let id: string | undefined;
    let open: string[] = [];
    switch (effect.kind) {
      case 'none':
        args.push(0, ALERT_TTL_MS);
        break;
      case 'alert':
        id = newId('al');
        keys = [...base, k.alarmAlert(id)];
        args.push(Date.parse(effect.facts.raisedAt), ALERT_TTL_MS, id, JSON.stringify(effect.facts));
        break;
      case 'reopen': {
        id = effect.id;
        keys = [...base, k.alarmAlert(id)];
        const note = { kind: 'reopened', at: effect.at, reason: effect.reason, count: effect.count };
        args.push(Date.parse(effect.due), ALERT_TTL_MS, id, effect.count, effect.at);
        args.push(JSON.stringify(effect.context), JSON.stringify(note));
        break;
      }
      case 'resolve':
      case 'no-data': {
        // Read first, then named to the script: a script touches only the keys it is given. The
        // compare-and-set makes the read safe: a new alert for this alarm would have moved its state.
        open = await this.attempt('reading open alerts', () => this.redis.smembers(k.alarmOpen(alarm)));
        keys = [...base, ...open.map((o) => k.alarmAlert(o))];
        const state = { at: effect.at, reason: effect.reason };
        const note = { kind: effect.kind === 'resolve' ? 'resolved' : 'no-data', ...state };
        args.push(Date.parse(effect.due), ALERT_TTL_MS, JSON.stringify(state), JSON.stringify(note), ...open);
        break;
      }
    }
    const moved = await this.attempt('recording an alarm state', () => RECORD.run(this.redis, keys, args));
    if (moved !== 1) return { recorded: false, resolved: [], noted: [] };
    const alert = id ? await this.get(id) : undefined;
    const touched = (await Promise.all(open.map((o) => this.get(o)))).filter((a): a is Alert => a !== undefined);
    return {
      recorded: true,
      ...(alert && effect.kind === 'alert' ? { alert } : {}),
      ...(alert && effect.kind === 'reopen' ? { reopened: alert } : {}),
      resolved: effect.kind === 'resolve' ? touched.filter((a) => a.resolved) : [],
      noted: effect.kind === 'no-data' ? touched.filter((a) => a.noData) : [],
    };
  }

  async latest(alarm: string): Promise<Alert | undefined> {
    const id = await this.attempt('reading the latest alert', () => this.redis.hget(this.keys.alarmLatest, alarm));
    return id ? this.get(id) : undefined;
  }

  async undelivered(now: Date, limit: number): Promise<Alert[]> {
    const ids = await this.attempt('listing undelivered alerts', () =>
      this.redis.zrangebyscore(this.keys.alarmUndelivered, '-inf', String(now.getTime()), 'LIMIT', 0, limit),
    );
    const alerts = await Promise.all(ids.map((id) => this.get(id)));
    const gone = ids.filter((_, i) => alerts[i] === undefined);
    if (gone.length > 0)
      await this.attempt('tidying alerts', () => this.redis.zrem(this.keys.alarmUndelivered, ...gone));
    return alerts.filter((a): a is Alert => a !== undefined);
  }

  async take(id: string, task: AlertTask, token: number, now: Date, takeoverMs: number): Promise<boolean> {
    const taken = await this.attempt('taking an alert message', () =>
      TAKE.run(this.redis, [this.keys.alarmAlert(id)], [task, token, now.getTime(), takeoverMs]),
    );
    return taken === 1;
  }

  async delivered(id: string, task: 'post', ref: MessageRef): Promise<void>;
  async delivered(id: string, task: 'thread', upTo: number): Promise<void>;
  async delivered(id: string, task: AlertTask, done: MessageRef | number): Promise<void> {
    const ref = typeof done === 'number' ? '' : JSON.stringify({ channel: done.channel, ts: done.ts });
    const upTo = typeof done === 'number' ? done : 0;
    await this.attempt('marking an alert message delivered', () =>
      DELIVERED.run(this.redis, [this.keys.alarmAlert(id), this.keys.alarmUndelivered], [task, id, ref, upTo]),
    );
  }

  async giveBack(id: string, task: AlertTask, token: number, retryAt: Date): Promise<void> {
    await this.attempt('giving back an alert message', () =>
      GIVE_BACK.run(
        this.redis,
        [this.keys.alarmAlert(id), this.keys.alarmUndelivered],
        [task, token, id, retryAt.getTime()],
      ),
    );
  }

  async get(id: string): Promise<Alert | undefined> {
    if (!ID.test(id)) return undefined;
    const fields = await this.attempt('reading an alert', () => this.redis.hgetall(this.keys.alarmAlert(id)));
    return decode(fields);
  }

  async decide(id: string, decision: AlertDecision): Promise<{ decided: boolean; alert?: Alert }> {
    if (!ID.test(id)) return { decided: false };
    const { kind, ...rest } = decision;
    const result = await this.attempt('recording a decision on an alert', () =>
      DECIDE.run(this.redis, [this.keys.alarmAlert(id)], [kind, JSON.stringify(rest)]),
    );
    const alert = result === -1 ? undefined : await this.get(id);
    return { decided: result === 1, ...(alert ? { alert } : {}) };
  }

  private async attempt<T>(doing: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw redisFailure(error, doing);
    }
  }
}

/** A stored alert, or undefined when the hash is missing or not one of ours. */
function decode(fields: Record<string, string>): Alert | undefined {
  const { id, facts, rev } = fields;
  if (!id || !facts) return undefined;
  const parsed = json<AlertFacts>(facts);
  if (!parsed || typeof parsed.alarm !== 'string' || typeof parsed.channel !== 'string' || !parsed.context) {
    return undefined;
  }
  const ref = json<Alert['ref']>(fields.ref);
  const ack = json<Alert['ack']>(fields.ack);
  const rolledBack = json<Alert['rolledBack']>(fields.rollback);
  const resolved = json<Alert['resolved']>(fields.resolved);
  const noData = json<Alert['noData']>(fields.nodata);
  const thread = fields.thread ?? fields.resolve;
  const undelivered = (['post', 'thread'] as const).filter((t) => {
    const state = t === 'post' ? fields.post : thread;
    return state !== undefined && state !== 'done';
  });
  return {
    ...parsed,
    context: json<Alert['context']>(fields.context) ?? parsed.context,
    id,
    ...(ref ? { ref } : {}),
    ...(ack ? { ack } : {}),
    ...(rolledBack ? { rolledBack } : {}),
    ...(resolved ? { resolved } : {}),
    ...(noData ? { noData } : {}),
    count: Number(fields.count ?? 1),
    lastAlarmAt: fields.last ?? parsed.since,
    undelivered,
    notes: notesOf(fields, resolved),
    failures: Number(fields.failures ?? 0),
    rev: Number(rev ?? 0),
  };
}

/** The notes not yet delivered, oldest first. */
function notesOf(fields: Record<string, string>, resolved: Alert['resolved']): ThreadNote[] {
  // Resolved before thread notes existed: its one reply, the resolution, under 'resolve'.
  if (fields.thread === undefined && fields.resolve !== undefined) {
    return fields.resolve !== 'done' && resolved ? [{ seq: 1, kind: 'resolved', ...resolved }] : [];
  }
  const notes: ThreadNote[] = [];
  for (let seq = Number(fields.told ?? 0) + 1; seq <= Number(fields.notes ?? 0); seq++) {
    const note = json<Omit<ThreadNote, 'seq'>>(fields[`note:${seq}`]);
    if (note) notes.push({ ...note, seq } as ThreadNote);
  }
  return notes;
}

function json<T>(text: string | undefined): T | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
