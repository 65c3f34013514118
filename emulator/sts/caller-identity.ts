import { principalId } from '../iam/identity.js';
import type { StsHandler } from './context.js';

/**
 * GetCallerIdentity: who the credentials belong to. It needs no permission, so it answers even for a session
 * whose role was deleted since, as AWS does.
 */
export const getCallerIdentity: StsHandler = (_input, ctx) => ({
  members: [
    ['Arn', ctx.caller.arn],
    ['UserId', principalId(ctx.caller)],
    ['Account', ctx.caller.account],
  ],
});
