import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { FunctionArg } from '../domain/grammar/values.js';
import { publishIntentDetail } from '../domain/intents.js';
import type { Published } from '../domain/outcome.js';
import { actingFor, recordedPlace, type Target } from '../domain/target.js';
import type { AuditLog, Clock, LambdaGateway, Locks, VersionConfig } from '../ports.js';
import type { PolicyGate, Who } from './gate.js';
import { checkSameAccount } from './targets.js';

export interface PublishRequest {
  readonly target: FunctionArg;
  readonly expectSha?: string;
  readonly description?: string;
}

export interface PublishDeps {
  readonly fleet: Fleet;
  readonly gate: PolicyGate;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly locks: Locks;
  readonly clock: Clock;
  /** How long to wait for an update of $LATEST to finish before publishing. */
  readonly maxWaitMs: number;
  /** Tells the watch of outside changes that this version is the bot's own. */
  readonly published?: (fn: string, version: string) => Promise<void>;
}

const LOCK_TTL_MS = 120_000;

/** `publish FN`: publishes $LATEST once Lambda has finished updating it, audited like every change. */
export class PublishService {
  constructor(private readonly deps: PublishDeps) {}

  async publish(who: Who, request: PublishRequest, progress?: (text: string) => Promise<void>): Promise<Published> {
    const { gate, lambda, audit, locks, fleet } = this.deps;
    const resolved = fleet.resolve(request.target);
    const fn = resolved.fn;
    await gate.check(who, 'publish', { fn }, 'publish', resolved);
    // Published as the person: AWS's trail names who asked.
    const target = actingFor(resolved, who.actor);
    const lock = await locks.acquire(`publish:${fn}`, { ...who, action: 'publish' }, LOCK_TTL_MS);
    if (!lock.acquired)
      throw new BotError('busy', `${fn} is being published by another request`, { details: { holder: lock.holder } });
    try {
      const started = this.deps.clock.now().getTime();
      const latest = await this.settled(target, who, progress);
      checkSameAccount(request.target, latest.arn);
      const waitedMs = this.deps.clock.now().getTime() - started;
      const base = {
        actor: who.actor,
        action: 'publish' as const,
        function: fn,
        alias: null,
        from: null,
        request: who.request,
        ...recordedPlace(target),
      };
      const what = publishIntentDetail(latest.codeSha256, request.description);
      await audit.append({ ...base, to: null, result: 'pending', detail: what });

      let published: VersionConfig;
      let after: VersionConfig | undefined;
      try {
        published = await lambda.publishVersion(target, {
          revisionId: latest.revisionId,
          ...(request.expectSha ? { codeSha256: request.expectSha } : {}),
          ...(request.description ? { description: request.description } : {}),
        });
        after = await lambda.getConfiguration(target, '$LATEST').catch(() => undefined);
      } catch (error) {
        await audit.append({
          ...base,
          to: null,
          result: 'error',
          detail: `not published: ${(error as Error).message}`,
        });
        throw error;
      }
      // AWS answers a publish with nothing new by returning the existing version, and then leaves
      // $LATEST's RevisionId alone; a description it did not store tells the same.
      const unchanged =
        (after !== undefined && after.revisionId === latest.revisionId) ||
        (request.description !== undefined && published.description !== request.description);
      const detail = unchanged ? `nothing changed since v${published.version}` : `published v${published.version}`;
      // Before the outcome record: a watch that runs right after must already know the version is ours.
      await this.deps.published?.(fn, published.version).catch(() => {});
      const to = { version: published.version, weights: {} };
      const record = await audit.append({ ...base, to, result: 'ok', detail }).catch(() => undefined);
      return {
        kind: 'published',
        fn,
        where: fleet.where(target.place),
        actor: who.actor,
        version: published.version,
        description: published.description,
        codeSha256: published.codeSha256,
        unchanged,
        waitedMs,
        auditId: record?.id ?? '',
        ...(record ? {} : { unrecorded: true }),
      };
    } finally {
      await lock.release().catch(() => {});
    }
  }

  /** $LATEST once no update is in progress; waits with backoff up to maxWaitMs, saying so once. */
  private async settled(target: Target, who: Who, progress?: (text: string) => Promise<void>): Promise<VersionConfig> {
    const { clock, maxWaitMs } = this.deps;
    const fn = target.fn;
    const deadline = clock.now().getTime() + maxWaitMs;
    let delay = 250;
    let told = false;
    for (;;) {
      const latest = await this.readLatest(target, who);
      if (latest.lastUpdateStatus === 'Failed') {
        throw new BotError(
          'aws-refused',
          `the last update of ${fn} failed (${latest.lastUpdateStatusReason ?? 'no reason given'}); fix it before publishing`,
        );
      }
      if (latest.lastUpdateStatus !== 'InProgress') return latest;
      if (clock.now().getTime() + delay > deadline) {
        throw new BotError(
          'update-in-progress',
          `Lambda is still applying an update to ${fn} after ${Math.round(maxWaitMs / 1000)} s`,
        );
      }
      if (!told) {
        told = true;
        await progress?.(`Lambda is still applying an update to ${fn}; publishing as soon as it finishes…`).catch(
          () => {},
        );
      }
      await clock.sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }

  /** The first read as the person: an account that refuses their session is a publish refused, on the record. */
  private async readLatest(target: Target, who: Who): Promise<VersionConfig> {
    try {
      return await this.deps.lambda.getConfiguration(target, '$LATEST');
    } catch (error) {
      if (error instanceof BotError && error.code === 'account-unavailable') {
        await this.deps.audit.append({
          actor: who.actor,
          action: 'publish',
          function: target.fn,
          alias: null,
          from: null,
          to: null,
          result: 'error',
          detail: `not published: ${error.message}`,
          request: who.request,
          ...recordedPlace(target),
        });
      }
      throw error;
    }
  }
}
