import type { AliasChanged } from '../domain/outcome.js';
import type { ChangeResult } from './alias-change.js';
import type { Who } from './gate.js';

/** The announcement of an alias change, from what the write path did. */
export function aliasChanged(
  who: Who,
  action: AliasChanged['action'],
  target: { readonly fn: string; readonly alias: string },
  result: ChangeResult,
): AliasChanged {
  return {
    kind: 'alias-changed',
    action,
    fn: target.fn,
    alias: target.alias,
    actor: who.actor,
    before: result.before.routing,
    after: result.after.routing,
    ...(result.drift ? { drift: result.drift } : {}),
    auditId: result.record?.id ?? '',
    ...(result.record ? {} : { unrecorded: true }),
  };
}
