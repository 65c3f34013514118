import type { AliasChanged } from '../domain/outcome.js';
import type { Target, Where } from '../domain/target.js';
import type { ChangeResult } from './alias-change.js';
import type { Who } from './gate.js';

/** The announcement of an alias change, from what the write path did. */
export function aliasChanged(
  who: Who,
  action: AliasChanged['action'],
  target: Target,
  alias: string,
  where: Where,
  result: ChangeResult,
): AliasChanged {
  return {
    kind: 'alias-changed',
    action,
    fn: target.fn,
    alias,
    where,
    actor: who.actor,
    before: result.before.routing,
    after: result.after.routing,
    ...(result.drift ? { drift: result.drift } : {}),
    auditId: result.record?.id ?? '',
    ...(result.record ? {} : { unrecorded: true }),
  };
}
