/**
 * The audit archiver (CONTRACT §14), a leader job: seals the records since the last segment into
 * the next one and puts it in the archive store under Object Lock, records how far the archive goes,
 * then trims from Redis what is both archived and older than the retention window. The archive
 * store being down never stops anything else: the archive lags, the lag is measured and alerted.
 */

import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { type ArchiveEnd, buildSegment, parseSegmentKey, type Segment, segmentStartPrefix } from '../domain/archive.js';
import {
  type ArchiveLag,
  type ArchiveRules,
  lagNotice,
  retryAfterMs,
  segmentDue,
  trimThrough,
} from '../domain/archive-plan.js';
import { follows, verifySegment } from '../domain/archive-verify.js';
import { addPeriod } from '../domain/duration.js';
import { BotError } from '../domain/errors.js';
import type { AuditArchivePolicy } from '../domain/policy-model.js';
import type { ArchivePosition, ArchiveStore, AuditArchiving, Clock, Notifier } from '../ports.js';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/** Segments a run writes at most, so that a run catching up stays well within its lease. */
const SEGMENTS_PER_RUN = 10;
/** Records read a step when looking for what to trim. */
const TRIM_BATCH = 1000;

export interface ArchiverDeps {
  readonly store: ArchiveStore;
  readonly archiving: AuditArchiving;
  readonly settings: AuditArchivePolicy;
  readonly retainInRedisMs: number;
  readonly clock: Clock;
  readonly notifier: Notifier;
  /** Where the lag alert goes: the policy's alerts channel. */
  readonly alertsChannel: string;
  readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
  readonly info: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/** What one run did. */
export interface ArchiveReport {
  readonly written: number;
  /** Segments found already in the store (a crash before their position was recorded) and recorded. */
  readonly adopted: number;
  /** The last record trimmed from Redis after this run, if any ever was. */
  readonly trimmedThrough?: number;
  /** Set when the run did nothing but measure: waiting for the retry time after a failure. */
  readonly waiting?: true;
  readonly failed?: string;
}

type Step = 'written' | 'adopted' | 'lost';

export class Archiver {
  private failures = 0;
  private retryAt = 0;
  private lastError: string | undefined;
  private alerted = false;
  private measured: ArchiveLag | undefined;
  private readonly rules: ArchiveRules;

  constructor(private readonly deps: ArchiverDeps) {
    const { settings } = deps;
    this.rules = {
      maxRecords: settings.maxRecords,
      intervalMs: settings.intervalMs,
      retainInRedisMs: deps.retainInRedisMs,
      alertLagMs: settings.alertLagMs,
    };
  }

  /** The lag as last measured (for the metrics), or undefined before the first run. */
  lag(): ArchiveLag | undefined {
    return this.measured;
  }

  async run(stillLeader: () => Promise<boolean>): Promise<ArchiveReport> {
    const now = this.deps.clock.now().getTime();
    let report: ArchiveReport;
    if (now < this.retryAt) report = { written: 0, adopted: 0, waiting: true };
    else report = await this.attempt(stillLeader);
    await this.measure(stillLeader);
    return report;
  }

  private async attempt(stillLeader: () => Promise<boolean>): Promise<ArchiveReport> {
    let written = 0;
    let adopted = 0;
    try {
      for (let i = 0; i < SEGMENTS_PER_RUN; i++) {
        // Only a run's first step can find a segment the position does not know (put by a run that
        // died, its claim lost with a Redis failover): the ones after follow this run's own writes.
        const step = await this.step(stillLeader, i === 0);
        if (step === undefined || step === 'lost') break;
        if (step === 'written') written++;
        else adopted++;
      }
      const trimmed = await this.trim(stillLeader);
      if (this.failures > 0) this.deps.info('audit archive: working again', { failures: this.failures });
      this.failures = 0;
      this.retryAt = 0;
      this.lastError = undefined;
      return { written, adopted, ...(trimmed === undefined ? {} : { trimmedThrough: trimmed }) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failures++;
      this.lastError = message;
      const waitMs = retryAfterMs(this.failures);
      this.retryAt = this.deps.clock.now().getTime() + waitMs;
      // Once per streak: a store down for a day would otherwise log every run.
      if (this.failures === 1) this.deps.warn('audit archive failed; retrying with backoff', { err: message, waitMs });
      return { written, adopted, failed: message };
    }
  }

  /**
   * One segment: the claimed one if there is a claim (another run, perhaps another replica, chose
   * it and may have died before recording it), else one already in the store at the next position
   * (a claim lost with a Redis failover), else a new one if records are due. Undefined: nothing due.
   */
  private async step(stillLeader: () => Promise<boolean>, lookInStore: boolean): Promise<Step | undefined> {
    const { archiving, settings } = this.deps;
    const position = await archiving.position();
    if (position.claim !== undefined) return this.finishClaim(position, stillLeader);
    const waiting = await archiving.lines(position.id, settings.maxRecords);
    // Redis first: an idle bot lists nothing in the store (each LIST is billed, and runs are frequent).
    if (!segmentDue(waiting, this.deps.clock.now(), this.rules)) return undefined;
    const existing = lookInStore
      ? await this.firstKey(segmentStartPrefix(settings.prefix, position.id + 1))
      : undefined;
    if (existing !== undefined) return this.adopt(position, existing, stillLeader);
    const segment = this.build(waiting, position);
    if (!(await stillLeader())) return 'lost';
    if (!(await archiving.claim(position, segment.key))) return 'lost';
    return this.putAndRecord(position, segment, stillLeader);
  }

  private async finishClaim(position: ArchivePosition, stillLeader: () => Promise<boolean>): Promise<Step> {
    const claim = position.claim as string;
    const place = parseSegmentKey(this.deps.settings.prefix, claim);
    if (place === undefined || place.first !== position.id + 1) {
      throw new BotError(
        'internal',
        `the claimed archive segment ${claim} does not follow the archive's last record (${position.id})`,
      );
    }
    const records = await this.deps.archiving.lines(position.id, place.last - position.id);
    const segment = this.build(records, position);
    if (segment.key !== claim) {
      throw new BotError(
        'internal',
        `the records in Redis do not make the claimed archive segment ${claim}: run audit verify`,
      );
    }
    return this.putAndRecord(position, segment, stillLeader);
  }

  private async putAndRecord(
    position: ArchiveEnd,
    segment: Segment,
    stillLeader: () => Promise<boolean>,
  ): Promise<Step> {
    const { store, settings, archiving, clock } = this.deps;
    // Level 1: a segment is written once and read rarely; the fastest level keeps the archiver's cost
    // near the copy's, and JSON lines still shrink about sixfold.
    const body = new Uint8Array(await gzip(segment.body, { level: 1 }));
    const lock = { mode: settings.mode, retainUntil: addPeriod(clock.now(), settings.retain) };
    if (!(await stillLeader())) return 'lost';
    // 'exists' is as good as written: the name is the records', so what is there is this segment.
    await store.put(segment.key, body, lock);
    if (!(await stillLeader())) return 'lost';
    const { manifest: m } = segment;
    const moved = await archiving.advance(position, { id: m.last, hash: m.lastHash, key: segment.key }, clock.now());
    return moved ? 'written' : 'lost';
  }

  /** A segment already in the store at the next position: checked against the chain and Redis, then recorded. */
  private async adopt(position: ArchiveEnd, key: string, stillLeader: () => Promise<boolean>): Promise<Step> {
    const { store, settings, archiving, clock } = this.deps;
    const bytes = await store.get(key);
    if (bytes === undefined) throw new Error(`archive segment ${key} was listed but cannot be read`);
    const check = verifySegment(settings.prefix, key, (await gunzip(bytes)).toString('utf8'));
    const problem = check.ok ? follows(key, check.manifest, position) : check.problem;
    if (problem || !check.ok)
      throw new BotError('internal', `archive segment ${key} cannot be adopted: ${problem?.reason}`);
    const m = check.manifest;
    // Same prev and the same last hash as Redis: the same records (both sides chain).
    const [mine] = await archiving.after(m.last - 1, 1);
    if (mine?.id !== String(m.last) || mine.hash !== m.lastHash) {
      throw new BotError(
        'internal',
        `archive segment ${key} holds records that Redis does not: run audit verify --archive`,
      );
    }
    if (!(await stillLeader())) return 'lost';
    const moved = await archiving.advance(position, { id: m.last, hash: m.lastHash, key }, clock.now());
    if (moved) this.deps.info('audit archive: recorded a segment found in the store', { key });
    return moved ? 'adopted' : 'lost';
  }

  private build(records: Parameters<typeof buildSegment>[1], after: ArchiveEnd): Segment {
    const built = buildSegment(this.deps.settings.prefix, records, after, this.deps.clock.now());
    if ('segment' in built) return built.segment;
    // A damaged chain is not archived as if it were whole; `audit verify` names the damage.
    throw new BotError('internal', `record ${built.problem.id} cannot be archived: ${built.problem.reason}`);
  }

  private async firstKey(prefix: string): Promise<string | undefined> {
    for await (const key of this.deps.store.list(prefix)) return key;
    return undefined;
  }

  /** Trims what is archived and older than the window, a batch at a time; the last record trimmed. */
  private async trim(stillLeader: () => Promise<boolean>): Promise<number | undefined> {
    const { archiving, clock } = this.deps;
    const position = await archiving.position();
    let last: number | undefined;
    for (let i = 0; i < SEGMENTS_PER_RUN; i++) {
      const kept = await archiving.after(0, TRIM_BATCH);
      const through = trimThrough(kept, position, clock.now(), this.rules.retainInRedisMs);
      if (through === undefined || !(await stillLeader())) break;
      const base = await archiving.trim(through.id, through.functions);
      if (base === undefined || base.id === last) break;
      last = base.id;
    }
    return last;
  }

  /** The lag from Redis (even while the store is down), and its alert or recovery note, each once. */
  private async measure(stillLeader: () => Promise<boolean>): Promise<void> {
    const { archiving, clock, notifier, settings } = this.deps;
    try {
      const [position, head] = await Promise.all([archiving.position(), archiving.head()]);
      const [oldest] = await archiving.after(position.id, 1);
      const ms = oldest ? Math.max(0, clock.now().getTime() - Date.parse(oldest.at)) : 0;
      this.measured = { records: head.id - position.id, ms };
      const say = lagNotice(this.alerted, this.measured, this.rules.alertLagMs);
      if (say === undefined || !(await stillLeader())) return;
      await notifier.post(this.deps.alertsChannel, {
        kind: 'archive-lag',
        state: say,
        records: this.measured.records,
        lagMs: ms,
        bucket: settings.bucket,
        ...(say === 'behind' && this.lastError ? { reason: this.lastError } : {}),
      });
      this.alerted = say === 'behind';
    } catch (error) {
      // Redis or Slack away: the next run measures and says it again.
      this.deps.warn('audit archive lag not measured or not told', { err: (error as Error).message });
    }
  }
}
