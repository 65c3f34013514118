/**
 * The checks of a drill that read one source each: the alerts in the fake Slack, the audit chain
 * as `npm run audit` reads it, and the intents it still holds open.
 */
import { type AuditRecord, intentKey } from '../../../src/domain/audit.js';
import { shown } from '../../support/alarm-world.js';
import { align, brief, changesOf, describe, describes } from './checks.js';
import type { Answer } from './people.js';
import { ALARM, ALERTS_CHANNEL, CANARY_ALIASES, CANARY_FN, type DrillWorld, functionOf, PEOPLE } from './world.js';

/** The alerts posted for the flapping alarm: each alert once, one alert per time in ALARM since, each change of the alarm told once in its thread. */
export function checkAlerts(drill: DrillWorld): { problems: string[]; alerts: number; resolved: number } {
  const { messages } = drill.world.slack;
  const posts = messages.filter((m) => m.channel === ALERTS_CHANNEL && !m.thread_ts && m.text.includes(ALARM));
  const problems: string[] = [];
  const byId = new Map<string, number>();
  const bySince = new Map<string, Set<string>>();
  for (const post of posts) {
    const text = shown(post);
    const id = /alert `(al[a-z2-9]{16})`/.exec(text)?.[1] ?? '?';
    const since = /In ALARM since <!date\^\d+\^[^|]*\|([^>]+)>/.exec(text)?.[1] ?? '?';
    byId.set(id, (byId.get(id) ?? 0) + 1);
    bySince.set(since, new Set([...(bySince.get(since) ?? []), id]));
  }
  for (const [id, n] of byId) if (n > 1) problems.push(`alert ${id} posted ${n} times`);
  for (const [since, ids] of bySince) if (ids.size > 1) problems.push(`ALARM since ${since} alerted ${ids.size} times`);
  // A flapping alarm keeps its alert (CONTRACT §10's realert_after): each return to OK or to ALARM is
  // one note in the alert's thread, told once, however many replicas and failovers came between.
  const replies = messages.filter((m) => m.thread_ts && posts.some((p) => p.ts === m.thread_ts));
  const told = new Map<string, number>();
  for (const reply of replies) {
    for (const [, kind, at] of shown(reply).matchAll(/is (back to OK|back in ALARM) <!date\^\d+\^[^|]*\|([^>]+)>/g)) {
      const key = `${reply.thread_ts} ${kind} at ${at}`;
      told.set(key, (told.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of told) if (n > 1) problems.push(`the alert posted at ${key} was told ${n} times`);
  const resolved = [...told.keys()].filter((k) => k.includes('back to OK')).length;
  return { problems, alerts: posts.length, resolved };
}

/**
 * The chain as `npm run audit -- verify` sees it: intact, with exactly the records export reads,
 * numbered 1…n; every record a person was shown (`Audit record #N`) is there, as shown.
 */
export function checkChain(
  verify: { code: number; out: string },
  records: readonly AuditRecord[],
  answers: readonly Answer[],
): string[] {
  const problems: string[] = [];
  const count = Number(/audit chain OK: (\d+) records/.exec(verify.out)?.[1] ?? Number.NaN);
  if (verify.code !== 0 || count !== records.length)
    problems.push(`audit verify: ${verify.out.trim()} (export reads ${records.length} records)`);
  records.forEach((r, i) => {
    if (r.id !== String(i + 1)) problems.push(`record ${i + 1} of the export has id ${r.id}`);
  });
  problems.push(...lostAcknowledged(records, answers));
  return problems;
}

/** Records a person was shown (`Audit record #N`) that the chain does not hold as shown: what a failover lost. */
export function lostAcknowledged(records: readonly AuditRecord[], answers: readonly Answer[]): string[] {
  const lost: string[] = [];
  for (const a of answers.filter((a) => a.auditId !== undefined)) {
    const r = records[Number(a.auditId) - 1];
    if (!r || r.id !== a.auditId || r.actor !== a.person || r.function !== a.fn || r.result !== 'ok')
      lost.push(
        `${a.person} was shown record #${a.auditId} for "${a.command}"; the chain holds ${r ? brief(r) : 'no such record'}`,
      );
  }
  return lost;
}

/**
 * Intents still without an outcome (after the settler's pass there must be none): as the bot's own
 * pending set counts them, an intent is open while it is the last record of its request, function,
 * alias and action (a rollout's steps share its request, one after the other).
 */
export function openIntents(records: readonly AuditRecord[]): string[] {
  const last = new Map<string, AuditRecord>();
  for (const r of records) if (r.result !== 'denied') last.set(intentKey(r), r);
  return [...last.values()].filter((r) => r.result === 'pending').map(brief);
}

/**
 * Changes in AWS with no record at all, not even the intent written before the call: what ACK=0
 * can lose. Changes and intents are paired in order, as many as possible (see `align`).
 */
export async function unrecordedChanges(drill: DrillWorld, records: readonly AuditRecord[]): Promise<string[]> {
  const aliases = [
    ...PEOPLE.map((p) => [functionOf(p), 'live'] as const),
    ...CANARY_ALIASES.map((a) => [CANARY_FN, a] as const),
  ];
  const found: string[] = [];
  for (const [fn, alias] of aliases) {
    const changes = changesOf(await drill.history(fn, alias));
    const intents = records.filter((r) => r.function === fn && r.alias === alias && r.result === 'pending');
    const pairs = align(changes, intents, (c, r) => describes(r, c));
    for (const [i, c] of changes.entries())
      if (!pairs.has(i)) found.push(`${fn}:${alias} change ${i + 1} (${describe(c.from)} → ${describe(c.to)})`);
  }
  return found;
}
