import { diffVersions } from '../domain/diff.js';
import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { AliasArg, FunctionArg } from '../domain/grammar/values.js';
import type { AliasView, AuditVerified, Diff, History, Status, Versions } from '../domain/outcome.js';
import type { Policy } from '../domain/policy-model.js';
import { weightsOf } from '../domain/routing.js';
import type {
  AliasMemory,
  AliasState,
  ApprovalStore,
  AuditLog,
  FreezeStore,
  LambdaGateway,
  RolloutStore,
} from '../ports.js';
import { driftOf } from './alias-change.js';
import { CHANGE_ACTIONS } from './snapshots.js';
import { checkSameAccount } from './targets.js';

export interface QueryDeps {
  readonly fleet: Fleet;
  readonly lambda: LambdaGateway;
  readonly audit: AuditLog;
  readonly aliases: AliasMemory;
  readonly freezes: FreezeStore;
  readonly approvals: ApprovalStore;
  readonly rollouts: RolloutStore;
  readonly policy: Policy;
}

/** The read-only commands. Anyone may run them; they never write to AWS. */
export class QueryService {
  constructor(private readonly deps: QueryDeps) {}

  async status(ref: FunctionArg | AliasArg): Promise<Status> {
    const { lambda, fleet } = this.deps;
    const target = fleet.resolve(ref);
    const states = 'alias' in ref ? [await lambda.getAlias(target, ref.alias)] : await lambda.listAliases(target);
    if (states[0]) checkSameAccount(ref, states[0].arn);
    let auditUnavailable = false;
    const aliases = await Promise.all(
      states.map(async (state): Promise<AliasView> => {
        const known = await this.known(state).catch((error: unknown) => {
          // Reads answer without Redis: the aliases come from AWS, only their history is missing.
          if (error instanceof BotError && error.code === 'redis-unavailable') auditUnavailable = true;
          else throw error;
          return {};
        });
        return { ...this.view(state), ...known };
      }),
    );
    const alias = 'alias' in ref ? ref.alias : undefined;
    const [freezes, approvals, rollouts] = await Promise.all([
      this.deps.freezes.list(target.fn).catch(() => []),
      this.deps.approvals.open().catch(() => []),
      this.deps.rollouts.live().catch(() => []),
    ]);
    return {
      kind: 'status',
      fn: target.fn,
      where: fleet.where(target.place),
      awsName: target.name,
      managed: target.managed,
      aliases,
      freezes: freezes.filter((f) => alias === undefined || f.alias === undefined || f.alias === alias),
      approvals: approvals.filter((r) => r.fn === target.fn && (alias === undefined || r.alias === alias)),
      rollouts: rollouts.filter((r) => r.plan.fn === target.fn && (alias === undefined || r.plan.alias === alias)),
      auditUnavailable,
    };
  }

  async versions(ref: FunctionArg, limit: number): Promise<Versions> {
    const { lambda } = this.deps;
    const target = this.deps.fleet.resolve(ref);
    const [all, aliases] = await Promise.all([lambda.listVersions(target), lambda.listAliases(target)]);
    if (all[0]) checkSameAccount(ref, all[0].arn);
    const newest = [...all].sort((a, b) => Number(b.version) - Number(a.version)).slice(0, limit);
    return {
      kind: 'versions',
      fn: target.fn,
      total: all.length,
      versions: newest.map((v) => ({
        version: v.version,
        description: v.description,
        codeSha256: v.codeSha256,
        lastModified: v.lastModified,
        aliases: aliases.flatMap((a) => {
          const weight = weightsOf(a.routing)[v.version];
          return weight === undefined ? [] : [{ alias: a.alias, weight }];
        }),
      })),
    };
  }

  async diff(ref: FunctionArg, from: string, to: string): Promise<Diff> {
    const { lambda } = this.deps;
    const target = this.deps.fleet.resolve(ref);
    const [a, b] = await Promise.all([lambda.getConfiguration(target, from), lambda.getConfiguration(target, to)]);
    checkSameAccount(ref, a.arn);
    return { kind: 'diff', fn: target.fn, from, to, ...diffVersions(a, b) };
  }

  async history(ref: FunctionArg | AliasArg, limit: number): Promise<History> {
    const target = this.deps.fleet.resolve(ref);
    const alias = 'alias' in ref ? ref.alias : undefined;
    const records = await this.deps.audit.recent({ fn: target.fn, ...(alias ? { alias } : {}), limit });
    // Fewer than asked: the answer ran out of records, and if the log was trimmed, older ones are archived.
    const trimmed = records.length < limit ? await this.deps.audit.trimmedBefore() : undefined;
    return {
      kind: 'history',
      fn: target.fn,
      ...(alias ? { alias } : {}),
      records,
      ...(trimmed ? { olderInArchive: true } : {}),
    };
  }

  async verify(): Promise<AuditVerified> {
    const result = await this.deps.audit.verify();
    return {
      kind: 'audit-verified',
      ok: result.ok,
      count: result.count,
      ...(result.ok ? {} : { problem: result.problem }),
      ...(result.from === undefined ? {} : { from: result.from }),
    };
  }

  private view(state: AliasState): AliasView {
    const policy = this.deps.policy.functions.get(state.fn)?.aliases.get(state.alias);
    return {
      alias: state.alias,
      routing: state.routing,
      description: state.description,
      protected: policy?.protected ?? false,
      managed: policy !== undefined,
    };
  }

  /** What Redis knows of the alias: its last audited change and whether it drifted since the bot wrote it. */
  private async known(state: AliasState): Promise<Pick<AliasView, 'lastChange' | 'drift'>> {
    const { audit, aliases } = this.deps;
    const [[lastChange], memory] = await Promise.all([
      audit.recent({ fn: state.fn, alias: state.alias, actions: CHANGE_ACTIONS, results: ['ok'], limit: 1 }),
      aliases.recall(state.fn, state.alias),
      aliases.saw(state),
    ]);
    const drift = driftOf(memory.written, state);
    return { ...(lastChange ? { lastChange } : {}), ...(drift ? { drift } : {}) };
  }
}
