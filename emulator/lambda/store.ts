import { type Place, PlaceMap } from '../core/place.js';
import { notFound } from './errors.js';
import type { AliasRecord, FunctionConfig, FunctionRecord } from './model.js';
import { functionArn, isVersionNumber, qualifiedArn } from './names.js';

/** One successful change to an alias, as the control API's alias history reports it. */
export interface AliasChange {
  at: string;
  function: string;
  alias: string;
  account: string;
  region: string;
  revisionId: string;
  functionVersion: string;
  routing: Record<string, number>;
  operation: 'CreateAlias' | 'UpdateAlias' | 'DeleteAlias';
}

/** Functions per place (account and region), in memory. */
export class LambdaStore {
  private readonly places = new PlaceMap<Map<string, FunctionRecord>>(() => new Map());
  readonly aliasHistory: AliasChange[] = [];

  /** The functions of one place (created empty on first use). */
  functions(p: Place): Map<string, FunctionRecord> {
    return this.places.at(p);
  }

  /** A function, or AWS's 404 naming its unqualified ARN. */
  getFunction(p: Place, name: string): FunctionRecord {
    const fn = this.findFunction(p, name);
    if (!fn) throw notFound(`Function not found: ${functionArn(p, name)}`);
    return fn;
  }

  findFunction(p: Place, name: string): FunctionRecord | undefined {
    return this.places.peek(p)?.get(name);
  }

  /**
   * The configuration a qualifier designates: `$LATEST` (or none), a version number, or an alias (resolved to the
   * version it points to). A missing one gives the 404 AWS gives, naming the qualified ARN.
   */
  resolveConfig(fn: FunctionRecord, qualifier: string | undefined): FunctionConfig {
    if (qualifier === undefined || qualifier === '$LATEST') return fn.latest;
    const missing = () => notFound(`Function not found: ${qualifiedArn(fn.place, fn.name, qualifier)}`);
    if (isVersionNumber(qualifier)) {
      const version = fn.versions.get(qualifier);
      if (!version) throw missing();
      return version;
    }
    const alias = fn.aliases.get(qualifier);
    if (!alias) throw missing();
    return this.resolveConfig(fn, alias.FunctionVersion);
  }

  /** Records an alias change for the control API (the fault suite checks no rollout step ran twice). */
  recordAliasChange(fn: FunctionRecord, alias: AliasRecord, operation: AliasChange['operation'], at: string): void {
    this.aliasHistory.push({
      at,
      function: fn.name,
      alias: alias.Name,
      account: fn.place.account,
      region: fn.place.region,
      revisionId: alias.RevisionId,
      functionVersion: alias.FunctionVersion,
      routing: { ...(alias.Weights ?? {}) },
      operation,
    });
  }

  /** An alias and its function, when both exist (the traffic simulation looks its alias up every second). */
  findAlias(p: Place, name: string, alias: string): { fn: FunctionRecord; alias: AliasRecord } | undefined {
    const fn = this.findFunction(p, name);
    const record = fn?.aliases.get(alias);
    return fn && record ? { fn, alias: record } : undefined;
  }

  clear(): void {
    this.places.clear();
    this.aliasHistory.length = 0;
  }
}
