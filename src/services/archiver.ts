/**
 * The audit archiver (CONTRACT §14), a leader job: seals the records since the last segment into
 * the next one and puts it in the archive store under Object Lock, records how far the archive goes,
 * then trims from Redis what is both archived and older than the retention window. The archive
 * store being down never stops anything else: the archive lags, the lag is measured and alerted.
 */

import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { type ArchiveEnd, buildSegment, parseSegmentKey, type Segment, segmentStartPrefix } from '../domain/archive.js';
import { type ArchiveLag, type ArchiveRules, retryAfterMs, segmentDue, trimThrough } from '../domain/archive-plan.js';
import { follows, verifySegment } from '../domain/archive-verify.js';
import { addPeriod } from '../domain/duration.js';
import { BotError } from '../domain/errors.js';
import type { AuditArchivePolicy } from '../domain/policy-model.js';
import type { ArchivePosition, ArchiveStore, AuditArchiving, Clock, Notifier } from '../ports.js';
import { ArchiveLagWatch } from './archive-lag.js';

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

/** Where the archive ends and what is claimed next, if anything. */
type Claimed = ArchiveEnd & Pick<ArchivePosition, 'claim'>;
type Step = 'written' | 'adopted';
/** A step's outcome and, unless lost, the position it left (with its claim, if it made one): the next step starts there. */
type StepResult = { readonly done: 'lost' } | { readonly done: Step; readonly position: Claimed };
const LOST: StepResult = { done: 'lost' };

/** A segment built and compressed, ready to claim and put. */
interface Sealed {
  readonly segment: Segment;
  readonly body: Uint8Array;
}
/** What follows the archive's end: a segment to put, the key of one already stored, or nothing due. */
type Next = Sealed | string | undefined;

const endOf = (segment: Segment): ArchiveEnd => ({ id: segment.manifest.last, hash: segment.manifest.lastHash });

export class Archiver {
  private failures = 0;
  private retryAt = 0;
  private lastError: string | undefined;
  private readonly lagWatch: ArchiveLagWatch;
  private readonly rules: ArchiveRules;

  constructor(private readonly deps: ArchiverDeps) {
    const { settings } = deps;
    this.rules = {
      maxRecords: settings.maxRecords,
      intervalMs: settings.intervalMs,
      retainInRedisMs: deps.retainInRedisMs,
      alertLagMs: settings.alertLagMs,
    };
    this.lagWatch = new ArchiveLagWatch(deps);
  }

  /** The lag as last measured (for the metrics), or undefined before the first run. */
  lag(): ArchiveLag | undefined {
    return this.lagWatch.measured;
  }

  async run(stillLeader: () => Promise<boolean>): Promise<ArchiveReport> {
    const now = this.deps.clock.now().getTime();
    let report: ArchiveReport;
    if (now < this.retryAt) report = { written: 0, adopted: 0, waiting: true };
    else report = await this.attempt(stillLeader);
    await this.lagWatch.measure(stillLeader, this.lastError);
    return report;
  }

  private async attempt(stillLeader: () => Promise<boolean>): Promise<ArchiveReport> {
    let written = 0;
    let adopted = 0;
    // The segment after the one being put, read, built and compressed meanwhile: the put's round
    // trip is most of a segment's time, and the records after it are already known.
    let ahead: Promise<Next> | undefined;
    try {
      let position: Claimed = await this.deps.archiving.position();
      for (let i = 0; i < SEGMENTS_PER_RUN; i++) {
        const found = await (ahead ?? (position.claim === undefined ? this.next(position, i === 0) : undefined));
        ahead = undefined;
        let sealed: Sealed;
        if (position.claim !== undefined) {
          // Claimed by this run when it recorded the segment before, or by a run that died before its put.
          sealed =
            typeof found === 'object' && found.segment.key === position.claim ? found : await this.claimed(position);
        } else if (found === undefined) break;
        else if (typeof found === 'string') {
          const step = await this.adopt(position, found, stillLeader);
          if (step.done === 'lost') break;
          adopted++;
          position = step.position;
          continue;
        } else {
          if (!(await stillLeader()) || !(await this.deps.archiving.claim(position, found.segment.key))) break;
          sealed = found;
        }
        if (i + 1 < SEGMENTS_PER_RUN) ahead = this.next(endOf(sealed.segment), false);
        const step = await this.putAndRecord(position, sealed, stillLeader, ahead);
        if (step.done === 'lost') break;
        written++;
        position = step.position;
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
    } finally {
      // A segment read ahead and not used (the run lost its lead, failed or ended) is simply dropped.
      ahead?.catch(() => undefined);
    }
  }

  /**
   * What follows `after` when nothing is claimed: a segment already in the store at that position
   * (its key: a claim lost with a Redis failover), else a new segment if records are due, ready to
   * put. Undefined: nothing due.
   */
  private async next(after: ArchiveEnd, lookInStore: boolean): Promise<Next> {
    const { archiving, settings } = this.deps;
    const waiting = await archiving.lines(after.id, settings.maxRecords);
    // Redis first: an idle bot lists nothing in the store (each LIST is billed, and runs are frequent).
    if (!segmentDue(waiting, this.deps.clock.now(), this.rules)) return undefined;
    const existing = lookInStore ? await this.firstKey(segmentStartPrefix(settings.prefix, after.id + 1)) : undefined;
    if (existing !== undefined) return existing;
    return this.sealed(this.build(waiting, after));
  }

  private async sealed(segment: Segment): Promise<Sealed> {
    // Level 1: a segment is written once and read rarely; the fastest level keeps the archiver's cost
    // near the copy's, and JSON lines still shrink about sixfold.
    return { segment, body: new Uint8Array(await gzip(segment.body, { level: 1 })) };
  }

  /** The claimed segment rebuilt from Redis (its claimer died before recording it): the same name, or an error. */
  private async claimed(position: Claimed): Promise<Sealed> {
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
    return this.sealed(segment);
  }

  /**
   * Puts a claimed segment and moves the position past it, claiming in the same step the segment
   * read ahead, if it is ready: one Redis round trip between two puts instead of two.
   */
  private async putAndRecord(
    position: ArchiveEnd,
    { segment, body }: Sealed,
    stillLeader: () => Promise<boolean>,
    ahead: Promise<Next> | undefined,
  ): Promise<StepResult> {
    const { store, settings, clock } = this.deps;
    const lock = { mode: settings.mode, retainUntil: addPeriod(clock.now(), settings.retain) };
    if (!(await stillLeader())) return LOST;
    // 'exists' is as good as written: the name is the records', so what is there is this segment.
    await store.put(segment.key, body, lock);
    if (!(await stillLeader())) return LOST;
    // A failure reading ahead is the next step's to report: this segment is recorded first.
    const following = await ahead?.catch(() => undefined);
    const claim = typeof following === 'object' ? following.segment.key : undefined;
    return this.record(position, segment.key, endOf(segment), 'written', claim);
  }

  /**
   * Moves the position past a segment in the store (compare-and-set), claiming `claim` next if
   * given; lost when another archiver moved it first.
   */
  private async record(
    position: ArchiveEnd,
    key: string,
    end: ArchiveEnd,
    done: Step,
    claim?: string,
  ): Promise<StepResult> {
    const moved = await this.deps.archiving.advance(position, { ...end, key }, this.deps.clock.now(), claim);
    return moved ? { done, position: { ...end, ...(claim === undefined ? {} : { claim }) } } : LOST;
  }

  /** A segment already in the store at the next position: checked against the chain and Redis, then recorded. */
  private async adopt(position: ArchiveEnd, key: string, stillLeader: () => Promise<boolean>): Promise<StepResult> {
    const { store, settings, archiving } = this.deps;
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
    if (!(await stillLeader())) return LOST;
    const step = await this.record(position, key, { id: m.last, hash: m.lastHash }, 'adopted');
    if (step.done === 'adopted') this.deps.info('audit archive: recorded a segment found in the store', { key });
    return step;
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
    // The oldest record alone says whether anything may go: most runs trim nothing, and reading (and
    // parsing) a whole batch to learn that was a tenth of the archiver's time.
    const oldest = await archiving.after(0, 1);
    if (trimThrough(oldest, position, clock.now(), this.rules.retainInRedisMs) === undefined) return undefined;
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
}
