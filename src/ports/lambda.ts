/** Lambda's versions and aliases, and their metrics in CloudWatch, at one target (CONTRACT §9). */
import type { VersionStats } from '../domain/judge.js';
import type { Routing } from '../domain/routing.js';
import type { Target } from '../domain/target.js';

export interface AliasState {
  readonly fn: string;
  readonly alias: string;
  /** `arn:aws:lambda:REGION:ACCOUNT:function:FN:ALIAS`: tells which Region and account the bot acts in. */
  readonly arn: string;
  readonly routing: Routing;
  /** Changes on every UpdateAlias: the token of optimistic concurrency. */
  readonly revisionId: string;
  readonly description: string;
}

/** A function version's configuration, as much as releases need. Environment values never leave the adapter. */
export interface VersionConfig {
  readonly fn: string;
  /** A number, or `$LATEST`. */
  readonly version: string;
  readonly arn: string;
  readonly description: string;
  readonly codeSha256: string;
  readonly codeSize: number;
  readonly lastModified: string;
  readonly runtime?: string;
  readonly handler?: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly architectures: readonly string[];
  readonly layers: readonly string[];
  /** Variable name → a fingerprint of its value (a keyed hash): enough to tell "changed", never the value. */
  readonly environment: ReadonlyMap<string, string>;
  readonly revisionId: string;
  readonly state?: string;
  readonly lastUpdateStatus?: string;
  readonly lastUpdateStatusReason?: string;
  /** The AWS Signer profile version that signed the code (`signed_by` gates read it); absent when unsigned. */
  readonly signingProfileVersionArn?: string;
  /** The Signer job that signed the code; absent when unsigned. */
  readonly signingJobArn?: string;
}

export interface PublishOptions {
  /** AWS refuses the publish if $LATEST's code hash differs. */
  readonly codeSha256?: string;
  readonly description?: string;
  /** AWS refuses the publish if $LATEST changed since it was read. */
  readonly revisionId?: string;
}

/**
 * Lambda's versions and aliases of one target: its account, region and AWS name, called as its
 * session (CONTRACT §9). States come back named by `target.fn`, the name the bot uses. Errors are
 * BotErrors: `function-not-found`, `alias-not-found`, `version-not-found`, `revision-conflict`
 * (412), `update-in-progress` (409), `code-changed`, `account-unavailable` (the account's role
 * cannot be assumed, or the account does not take the credentials in that region), `aws-refused`
 * (any other 4xx, with AWS's message), `aws-unavailable`.
 */
export interface LambdaGateway {
  getAlias(target: Target, alias: string): Promise<AliasState>;
  /** Every alias of the function, through all pages. */
  listAliases(target: Target): Promise<AliasState[]>;
  updateAlias(target: Target, alias: string, routing: Routing, revisionId: string): Promise<AliasState>;
  getConfiguration(target: Target, qualifier: string): Promise<VersionConfig>;
  /** Every published version (not $LATEST), through all pages, in AWS's order (ascending). */
  listVersions(target: Target): Promise<VersionConfig[]>;
  publishVersion(target: Target, options: PublishOptions): Promise<VersionConfig>;
  /**
   * One page of published versions (ascending), from `marker`: the watch reads one page a run and keeps
   * the marker of the page it read, so that new versions cost one call however many there were before.
   */
  versionsPage(
    target: Target,
    marker?: string,
  ): Promise<{ readonly versions: VersionConfig[]; readonly marker?: string; readonly next?: string }>;
}

export interface VersionMetrics extends VersionStats {
  /** Error rate per period, oldest first, for the progress message's sparkline. */
  readonly errorRates: readonly (number | undefined)[];
}

/** Lambda's per-version metrics on an alias (the ExecutedVersion dimension), from CloudWatch. */
export interface MetricSource {
  versions(
    target: Target,
    alias: string,
    versions: readonly string[],
    from: Date,
    to: Date,
  ): Promise<ReadonlyMap<string, VersionMetrics>>;
}
