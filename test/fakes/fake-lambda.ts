/**
 * An in-memory LambdaGateway for service tests: versions and aliases with RevisionIds that
 * change on every update, and the same BotErrors the AWS adapter raises. The emulator covers
 * the wire protocol; this covers the logic, fast.
 */
import { randomUUID } from 'node:crypto';
import { BotError } from '../../src/domain/errors.js';
import type { Routing } from '../../src/domain/routing.js';
import { placeLabel, type Target } from '../../src/domain/target.js';
import type { AliasState, LambdaGateway, PublishOptions, VersionConfig } from '../../src/ports.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
/** Where functions are unless a test says otherwise: the test fleet's home (the bot's own account). */
export const HOME = 'own/us-east-1';

interface FakeFunction {
  latest: VersionConfig;
  versions: Map<string, VersionConfig>;
  aliases: Map<string, AliasState>;
  nextVersion: number;
}

export class FakeLambda implements LambdaGateway {
  private readonly functions = new Map<string, FakeFunction>();
  /** Every call, in order, for assertions such as "no UpdateAlias was made". */
  readonly calls: { op: string; fn: string; alias?: string; place: string; session: string }[] = [];
  /** Called before every UpdateAlias: lets a test change the alias "outside the bot" at the worst moment. */
  beforeUpdate?: (fn: string, alias: string) => void;
  /** The next N calls of an operation fail with this error. */
  private readonly failures = new Map<string, BotError[]>();

  /** A function named `fn` in AWS, in `place` (`account/region` as the fleet names it). */
  addFunction(fn: string, versions: number, aliases: Record<string, Routing> = {}, place = HOME): void {
    const f: FakeFunction = {
      latest: config(fn, '$LATEST', 'code-0'),
      versions: new Map(),
      aliases: new Map(),
      nextVersion: 1,
    };
    this.functions.set(`${place}/${fn}`, f);
    for (let i = 1; i <= versions; i++) {
      f.versions.set(String(i), config(fn, String(i), `code-${i}`));
      f.nextVersion = i + 1;
    }
    f.latest = { ...config(fn, '$LATEST', `code-${versions}`) };
    for (const [alias, routing] of Object.entries(aliases)) {
      f.aliases.set(alias, {
        fn,
        alias,
        arn: `${ARN}:${fn}:${alias}`,
        routing,
        revisionId: randomUUID(),
        description: '',
      });
    }
  }

  /** A change made outside the bot (console, CLI, another tool). */
  setAliasOutside(fn: string, alias: string, routing: Routing, place = HOME): AliasState {
    const f = this.byName(fn, place);
    const current = f.aliases.get(alias) as AliasState;
    const next = { ...current, routing, revisionId: randomUUID() };
    f.aliases.set(alias, next);
    const lost = this.lostAnswer;
    this.lostAnswer = undefined;
    if (lost) throw lost;
    return next;
  }

  /** A code update to $LATEST (as a CI pipeline would make). */
  updateCode(fn: string, sha: string, status = 'Successful', place = HOME): void {
    const f = this.byName(fn, place);
    f.latest = { ...f.latest, codeSha256: sha, revisionId: randomUUID(), lastUpdateStatus: status };
  }

  /** Signs a published version (or $LATEST) as AWS Signer would have, for `signed_by` gates. */
  sign(fn: string, version: string, profileVersionArn: string, place = HOME): void {
    const f = this.byName(fn, place);
    const signing = { signingProfileVersionArn: profileVersionArn, signingJobArn: `${profileVersionArn}/job` };
    if (version === '$LATEST') f.latest = { ...f.latest, ...signing };
    else f.versions.set(version, { ...(f.versions.get(version) as VersionConfig), ...signing });
  }

  /** Gives a published version another code hash (two versions built from the same bytes share one). */
  setCode(fn: string, version: string, sha: string, place = HOME): void {
    const f = this.byName(fn, place);
    f.versions.set(version, { ...(f.versions.get(version) as VersionConfig), codeSha256: sha });
  }

  /** The next UpdateAlias is applied, then fails with this error, as when AWS's answer is lost. */
  loseNextUpdateAnswer(error: BotError): void {
    this.lostAnswer = error;
  }

  private lostAnswer: BotError | undefined;

  failNext(op: string, error: BotError, times = 1): void {
    this.failures.set(
      op,
      Array.from({ length: times }, () => error),
    );
  }

  alias(fn: string, alias: string, place = HOME): AliasState {
    return this.byName(fn, place).aliases.get(alias) as AliasState;
  }

  async getAlias(target: Target, alias: string): Promise<AliasState> {
    this.record('GetAlias', target, alias);
    const fn = target.fn;
    const state = this.fn(target).aliases.get(alias);
    if (!state) throw new BotError('alias-not-found', `${fn}:${alias} does not exist`);
    return { ...state, fn, arn: arnOf(target, alias) };
  }

  async listAliases(target: Target): Promise<AliasState[]> {
    this.record('ListAliases', target);
    return [...this.fn(target).aliases.values()]
      .sort((a, b) => a.alias.localeCompare(b.alias))
      .map((a) => ({ ...a, fn: target.fn, arn: arnOf(target, a.alias) }));
  }

  async updateAlias(target: Target, alias: string, routing: Routing, revisionId: string): Promise<AliasState> {
    const fn = target.fn;
    this.beforeUpdate?.(fn, alias);
    this.record('UpdateAlias', target, alias);
    const f = this.fn(target);
    const current = f.aliases.get(alias);
    if (!current) throw new BotError('alias-not-found', `${fn}:${alias} does not exist`);
    for (const v of [routing.primary, routing.additional?.version]) {
      if (v !== undefined && v !== '$LATEST' && !f.versions.has(v))
        throw new BotError('version-not-found', `${fn} has no version ${v}`);
    }
    if (current.revisionId !== revisionId)
      throw new BotError('revision-conflict', `${fn}:${alias} changed since it was read`);
    const next = { ...current, routing, revisionId: randomUUID() };
    f.aliases.set(alias, next);
    const lost = this.lostAnswer;
    this.lostAnswer = undefined;
    if (lost) throw lost;
    return { ...next, fn, arn: arnOf(target, alias) };
  }

  async getConfiguration(target: Target, qualifier: string): Promise<VersionConfig> {
    const fn = target.fn;
    this.record('GetFunctionConfiguration', target);
    const f = this.fn(target);
    const found = qualifier === '$LATEST' ? f.latest : f.versions.get(qualifier);
    if (!found) throw new BotError('version-not-found', `${fn} has no version ${qualifier}`);
    return { ...found, fn, arn: arnOf(target, qualifier) };
  }

  async listVersions(target: Target): Promise<VersionConfig[]> {
    this.record('ListVersionsByFunction', target);
    return [...this.fn(target).versions.values()].map((v) => ({ ...v, fn: target.fn, arn: arnOf(target, v.version) }));
  }

  /** Pages of 50, as AWS's; the marker is the first version of the next page. */
  async versionsPage(
    target: Target,
    marker?: string,
  ): Promise<{ versions: VersionConfig[]; marker?: string; next?: string }> {
    this.record('ListVersionsByFunction', target);
    const all = [...this.fn(target).versions.values()].sort((a, b) => Number(a.version) - Number(b.version));
    const start =
      marker === undefined
        ? 0
        : Math.max(
            0,
            all.findIndex((v) => v.version === marker),
          );
    const page = all.slice(start, start + 50).map((v) => ({ ...v, fn: target.fn, arn: arnOf(target, v.version) }));
    const next = all[start + 50]?.version;
    return { versions: page, ...(marker ? { marker } : {}), ...(next ? { next } : {}) };
  }

  async publishVersion(target: Target, options: PublishOptions): Promise<VersionConfig> {
    const fn = target.fn;
    this.record('PublishVersion', target);
    const f = this.fn(target);
    if (options.revisionId && options.revisionId !== f.latest.revisionId)
      throw new BotError('revision-conflict', `${fn} changed`);
    if (options.codeSha256 && options.codeSha256 !== f.latest.codeSha256) {
      throw new BotError(
        'code-changed',
        `CodeSHA256 (${options.codeSha256}) is different from current CodeSHA256 in $LATEST`,
      );
    }
    const newest = f.versions.get(String(f.nextVersion - 1));
    if (newest && newest.codeSha256 === f.latest.codeSha256) return newest;
    const version = String(f.nextVersion++);
    const published = { ...f.latest, version, arn: `${ARN}:${fn}:${version}`, description: options.description ?? '' };
    f.versions.set(version, published);
    f.latest = { ...f.latest, revisionId: randomUUID() };
    return published;
  }

  private fn(target: Target): FakeFunction {
    return this.byName(target.name, placeLabel(target.place), target.fn);
  }

  private byName(name: string, place: string, fn = name): FakeFunction {
    const f = this.functions.get(`${place}/${name}`);
    if (!f) throw new BotError('function-not-found', `there is no function ${fn}`);
    return f;
  }

  private record(op: string, target: Target, alias?: string): void {
    const session = target.session.kind === 'person' ? target.session.user : 'bot';
    this.calls.push({ op, fn: target.fn, ...(alias ? { alias } : {}), place: placeLabel(target.place), session });
    const queued = this.failures.get(op);
    const error = queued?.shift();
    if (error) throw error;
  }
}

/** The ARN AWS would give: the target's account (the test fleet's own is 123456789012) and region. */
function arnOf(target: Target, qualifier: string): string {
  const { account, region } = target.place;
  return `arn:aws:lambda:${region}:${account.id ?? '123456789012'}:function:${target.name}:${qualifier}`;
}

function config(fn: string, version: string, sha: string): VersionConfig {
  return {
    fn,
    version,
    arn: version === '$LATEST' ? `${ARN}:${fn}:$LATEST` : `${ARN}:${fn}:${version}`,
    description: version === '$LATEST' ? '' : `release ${version}`,
    codeSha256: sha,
    codeSize: 1000,
    lastModified: '2026-11-26T12:00:00.000+0000',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    memorySize: 512,
    timeout: 10,
    architectures: ['x86_64'],
    layers: [],
    environment: new Map([['TABLE', `fp-${version}`]]),
    revisionId: randomUUID(),
    state: 'Active',
    lastUpdateStatus: 'Successful',
  };
}
