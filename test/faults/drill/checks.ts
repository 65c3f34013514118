/**
 * What a drill must leave behind, checked against what happened outside the bot: the emulator's
 * alias history and versions, and the answers people got. Each check returns `problems` (the ACK=1
 * drill asserts none) and, apart, `settler`: records of the settler that AWS contradicts. The
 * settler judges an intent by the alias as it is when it runs; an alias changed again since then
 * no longer says whether that intent's change was made (see docs/reliability.md, Known gaps).
 */
import { ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import type { AuditRecord, Snapshot } from '../../../src/domain/audit.js';
import { type AliasHistoryEntry, asSnapshot, sameSnapshot } from '../../support/alias-audit.js';
import { CANARY_STEPS, type Canaries } from './background.js';
import type { Answer } from './people.js';
import { CANARY_ALIASES, CANARY_FN, type DrillWorld, functionOf, PEOPLE, SEEDED_VERSIONS } from './world.js';

export interface Checked {
  readonly problems: string[];
  readonly settler: string[];
}

export const SETTLED = 'settled by reading AWS';
const CHANGES = ['promote', 'shift', 'rollback'];
/** A lock whose release failed with the primary goes once its replica of the bot reconnects: about a second. */
const LATE_LOCK_MS = 3000;

export const settled = (r: AuditRecord) => r.detail.startsWith(SETTLED);
export const describe = (s: Snapshot | null | undefined) =>
  s
    ? Object.entries(s.weights)
        .map(([v, w]) => `${Math.round(w * 100)}%v${v}`)
        .join('+')
    : 'none';
export const brief = (r: AuditRecord) =>
  `#${r.id} ${r.actor} ${r.action} ${r.result} ${describe(r.to)} "${r.detail.slice(0, 200)}"`;

/** From a primary's kill (performance.now()) to its replica's promotion. */
export interface Failover {
  readonly from: number;
  readonly to: number;
}

/**
 * Every command answered, with the change made or a refusal saying Redis is unavailable. A person's
 * own lock, left by a request caught in a failover, may still refuse their next command while the
 * failover lasts and for a moment after the promotion, or after that request failed ("being changed
 * by another request … by <@them>"): a request that succeeded just as the primary holding its lock
 * was killed released a lock that the promoted replica still has. Anything else is a problem. A
 * refused request must not be recorded as done.
 */
export function checkAnswers(
  answers: readonly Answer[],
  records: readonly AuditRecord[],
  failovers: readonly Failover[],
): Checked & { readonly lateLocks: number } {
  const problems: string[] = [];
  const settler: string[] = [];
  let lateLocks = 0;
  for (const a of answers) {
    const what = `${a.person} "${a.command}"`;
    if (a.kind === 'none') problems.push(`${what}: no answer within 30 s`);
    if (a.kind === 'other') problems.push(`${what}: answered ${JSON.stringify(a.text.slice(0, 300))}`);
    if (a.kind === 'busy') {
      const late = failovers.some((f) => a.sentAt >= f.from && a.sentAt - f.to <= LATE_LOCK_MS);
      if (a.holder === a.person && (late || leftByFailure(answers, a))) lateLocks++;
      else problems.push(`${what}: ${JSON.stringify(a.text.slice(0, 200))}`);
    }
    if (a.kind === 'refused' && !a.requestId) problems.push(`${what}: a refusal naming no request`);
    if (a.kind !== 'refused' || !a.requestId) continue;
    for (const r of records.filter((r) => r.request === a.requestId && r.result === 'ok'))
      (settled(r) ? settler : problems).push(`${what} was refused, yet ${brief(r)}`);
  }
  return { problems, settler, lateLocks };
}

/**
 * The person's request just before this one, on the same function, ended with Redis failing under
 * it (refused, unrecorded, unanswered) moments before: its lock release failed with it, and the lock
 * goes once that replica reconnects — under load, later than a fixed time after the promotion.
 */
function leftByFailure(answers: readonly Answer[], busy: Answer): boolean {
  const before = answers
    .filter((a) => a.person === busy.person && a.fn === busy.fn && a.sentAt < busy.sentAt)
    .sort((a, b) => a.sentAt - b.sentAt)
    .at(-1);
  if (!before || !['refused', 'unrecorded', 'none'].includes(before.kind)) return false;
  return busy.sentAt - before.answeredAt <= LATE_LOCK_MS;
}

export interface Change {
  readonly from: Snapshot;
  readonly to: Snapshot;
}

/** The alias's changes in AWS: each UpdateAlias with the state it replaced. */
export function changesOf(history: readonly AliasHistoryEntry[]): Change[] {
  const changes: Change[] = [];
  let before: Snapshot | undefined;
  for (const entry of history) {
    const now = asSnapshot(entry);
    if (entry.operation === 'UpdateAlias' && before) changes.push({ from: before, to: now });
    before = now;
  }
  return changes;
}

export const describes = (r: AuditRecord, c: Change) => sameSnapshot(r.from, c.from) && sameSnapshot(r.to, c.to);

/**
 * Pairs items of `a` with items of `b`, in order on both sides, as many as possible (a longest
 * common subsequence): a greedy pass would pair a change whose record was lost with the record of
 * a later change that happens to look the same, and blame every change in between.
 */
export function align<A, B>(a: readonly A[], b: readonly B[], same: (x: A, y: B) => boolean): Map<number, number> {
  const width = b.length + 1;
  const best = new Int32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      best[i * width + j] = same(a[i] as A, b[j] as B)
        ? (best[(i + 1) * width + j + 1] ?? 0) + 1
        : Math.max(best[(i + 1) * width + j] ?? 0, best[i * width + j + 1] ?? 0);
  const pairs = new Map<number, number>();
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (same(a[i] as A, b[j] as B) && best[i * width + j] === (best[(i + 1) * width + j + 1] ?? 0) + 1) {
      pairs.set(i++, j++);
    } else if ((best[(i + 1) * width + j] ?? 0) >= (best[i * width + j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}

/**
 * One alias: each change in AWS, in order, has the `ok` record the bot wrote for it; a change whose
 * outcome was lost has the settler's record instead; no `ok` record describes a change AWS never made.
 */
export function checkAlias(
  fn: string,
  alias: string,
  history: readonly AliasHistoryEntry[],
  records: readonly AuditRecord[],
  actions: readonly string[],
): Checked {
  const mine = records.filter((r) => r.function === fn && r.alias === alias && actions.includes(r.action));
  const own = mine.filter((r) => r.result === 'ok' && !settled(r));
  const bySettler = mine.filter(settled);
  const problems: string[] = [];
  const settler: string[] = [];
  const name = `${fn}:${alias}`;
  const changes = changesOf(history);
  const pairs = align(changes, own, (c, r) => describes(r, c));
  const paired = new Set(pairs.values());
  for (const [i, change] of changes.entries()) {
    if (pairs.has(i)) continue;
    const what = `${name} change ${i + 1} (${describe(change.from)} → ${describe(change.to)})`;
    const k = bySettler.findIndex((r) => describes(r, change));
    const closing = k < 0 ? undefined : bySettler.splice(k, 1)[0];
    if (!closing) problems.push(`${what} has no ok record and was not settled`);
    else if (closing.result !== 'ok') settler.push(`${what} was made, yet ${brief(closing)}`);
  }
  for (const [j, r] of own.entries()) if (!paired.has(j)) problems.push(`${name}: ${brief(r)} describes no change`);
  for (const r of bySettler.filter((r) => r.result === 'ok'))
    settler.push(`${name}: ${brief(r)}, a change AWS never made`);
  return { problems, settler };
}

/** The ten people's aliases. */
export async function checkPeople(drill: DrillWorld, records: readonly AuditRecord[]): Promise<Checked> {
  const all: Checked = { problems: [], settler: [] };
  for (const person of PEOPLE) {
    const fn = functionOf(person);
    const { problems, settler } = checkAlias(fn, 'live', await drill.history(fn, 'live'), records, CHANGES);
    all.problems.push(...problems);
    all.settler.push(...settler);
  }
  return all;
}

/** Every version published during the drill has its `ok` publish record, and every such record its version. */
export async function checkPublishes(drill: DrillWorld, records: readonly AuditRecord[]): Promise<string[]> {
  const problems: string[] = [];
  for (const person of PEOPLE) {
    const fn = functionOf(person);
    const listed = await drill.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: fn }));
    const made = new Set(
      (listed.Versions ?? []).map((v) => v.Version ?? '').filter((v) => Number(v) > SEEDED_VERSIONS),
    );
    const recorded = new Set<string>();
    for (const r of records.filter((r) => r.function === fn && r.action === 'publish' && r.result === 'ok')) {
      // The bot's own record says "published vN"; the settler's, "recovered: vN holds the code".
      const version = /^published v(\d+)$/.exec(r.detail)?.[1] ?? /recovered: v(\d+) holds/.exec(r.detail)?.[1];
      if (!version) continue; // "nothing changed since vN": no version made
      if (!made.has(version)) problems.push(`${fn}: ${brief(r)} names a version AWS does not have`);
      recorded.add(version);
    }
    for (const v of made) if (!recorded.has(v)) problems.push(`${fn} v${v} was published with no ok publish record`);
  }
  return problems;
}

/** The routings a canary of CANARY_STEPS from v1 to v2 leaves, in order, each once. */
const PLANNED = CANARY_STEPS.map((percent) => ({
  functionVersion: percent === 100 ? '2' : '1',
  routing: percent === 100 ? {} : { 2: Math.round(percent * 1000) / 100_000 },
}));

/** Canaries: each started one applied every step once, in order, each recorded; a refused start moved nothing. */
export async function checkCanaries(
  drill: DrillWorld,
  canaries: Canaries,
  records: readonly AuditRecord[],
): Promise<Checked> {
  const problems = [...canaries.odd];
  const settler: string[] = [];
  for (const alias of CANARY_ALIASES) {
    const history = await drill.history(CANARY_FN, alias);
    const applied = history
      .filter((c) => c.operation === 'UpdateAlias')
      .map((c) => ({ functionVersion: c.functionVersion, routing: c.routing }));
    const name = `${CANARY_FN}:${alias}`;
    if (!canaries.started.includes(alias)) {
      if (applied.length > 0) problems.push(`${name} moved ${applied.length} times, but no start of it was answered`);
      continue;
    }
    if (JSON.stringify(applied) !== JSON.stringify(PLANNED))
      problems.push(`${name} steps in AWS ${JSON.stringify(applied)}, planned each once`);
    const steps = records.filter((r) => r.function === CANARY_FN && r.alias === alias && r.action === 'canary.step');
    for (const change of changesOf(history)) {
      const step = `${name} step ${describe(change.from)} → ${describe(change.to)}`;
      if (steps.some((r) => r.result === 'ok' && !settled(r) && describes(r, change))) continue;
      const closing = steps.find((r) => settled(r) && describes(r, change));
      if (!closing) problems.push(`${step} has no ok record and was not settled`);
      else if (closing.result !== 'ok') settler.push(`${step} was made, yet ${brief(closing)}`);
    }
    const completes = records.filter((r) => r.alias === alias && r.action === 'canary.complete' && r.result === 'ok');
    if (completes.length !== 1) problems.push(`${name} has ${completes.length} canary.complete records`);
  }
  return { problems, settler };
}
