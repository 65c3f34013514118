import { BotError } from '../domain/errors.js';
import type { Fleet } from '../domain/fleet.js';
import type { AliasArg, FunctionArg } from '../domain/grammar/values.js';
import type { FreezeChanged } from '../domain/outcome.js';
import { recordedPlace, type Target } from '../domain/target.js';
import type { AuditLog, Clock, FreezeStore } from '../ports.js';
import type { PolicyGate, Who } from './gate.js';

/**
 * `freeze` and `unfreeze`: a freeze stops promote, shift, canary and resume on a function or one
 * alias (the policy decision reads the store); rollback always stays possible.
 */
export class FreezeService {
  constructor(
    private readonly fleet: Fleet,
    private readonly gate: PolicyGate,
    private readonly store: FreezeStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async freeze(who: Who, ref: FunctionArg | AliasArg, reason: string): Promise<FreezeChanged> {
    const alias = 'alias' in ref ? ref.alias : undefined;
    const target = this.fleet.resolve(ref);
    await this.gate.check(who, 'freeze', { fn: target.fn, ...(alias ? { alias } : {}) }, 'freeze', target);
    await this.store.put({
      fn: target.fn,
      ...(alias ? { alias } : {}),
      reason,
      by: who.actor,
      at: this.clock.now().toISOString(),
    });
    await this.record(who, 'freeze', target, alias, 'ok', reason);
    return {
      kind: 'freeze-changed',
      frozen: true,
      fn: target.fn,
      ...(alias ? { alias } : {}),
      actor: who.actor,
      reason,
    };
  }

  async unfreeze(who: Who, ref: FunctionArg | AliasArg): Promise<FreezeChanged> {
    const alias = 'alias' in ref ? ref.alias : undefined;
    const target = this.fleet.resolve(ref);
    await this.gate.check(who, 'unfreeze', { fn: target.fn, ...(alias ? { alias } : {}) }, 'unfreeze', target);
    const where = alias ? `${target.fn}:${alias}` : target.fn;
    if (!(await this.store.remove(target.fn, alias))) {
      const others = (await this.store.list(target.fn)).map((f) => (f.alias ? `${f.fn}:${f.alias}` : f.fn));
      const hint = others.length > 0 ? ` (frozen: ${others.join(', ')})` : '';
      await this.record(who, 'unfreeze', target, alias, 'error', `${where} was not frozen`);
      throw new BotError('invalid-change', `${where} is not frozen${hint}`);
    }
    await this.record(who, 'unfreeze', target, alias, 'ok', `${where} unfrozen`);
    return { kind: 'freeze-changed', frozen: false, fn: target.fn, ...(alias ? { alias } : {}), actor: who.actor };
  }

  private async record(
    who: Who,
    action: 'freeze' | 'unfreeze',
    target: Target,
    alias: string | undefined,
    result: 'ok' | 'error',
    detail: string,
  ) {
    await this.audit.append({
      actor: who.actor,
      action,
      function: target.fn,
      alias: alias ?? null,
      from: null,
      to: null,
      result,
      detail,
      request: who.request,
      ...recordedPlace(target),
    });
  }
}
