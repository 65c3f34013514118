import { DEFAULT_ACCOUNT, isAccountId } from '../core/place.js';
import type { Signing } from '../core/sigv4.js';
import { assumedRoleArn, rootArn } from './arns.js';
import type { Authentication, Caller } from './identity.js';
import { PrincipalRegistry } from './principals.js';
import { RegionSwitches } from './regions.js';
import { RoleRegistry } from './roles.js';
import type { Session } from './sessions.js';
import { SessionStore } from './sessions.js';

/** The prefix of AWS temporary access key IDs. */
const TEMPORARY_KEY = 'ASIA';

/**
 * Identities: roles, registered principals, issued sessions and regions switched off. It answers the one question
 * every AWS call asks first: who is calling, and in which account?
 */
export class Iam {
  readonly roles = new RoleRegistry();
  readonly principals = new PrincipalRegistry();
  readonly sessions = new SessionStore();
  readonly regions = new RegionSwitches();

  /**
   * Reads a request's credentials. In order: a registered principal's key is that user (or root); a key issued by
   * AssumeRole is its session, refused once expired or without its session token; any other `ASIA…` key is
   * refused, as AWS refuses a token it never issued; a 12-digit key is the root of that account; any other key (or
   * none) is the root of account 000000000000.
   */
  authenticate(signing: Signing, nowMs: number): Authentication {
    const key = signing.accessKeyId ?? '';
    const principal = this.principals.get(key);
    if (principal) {
      const caller: Caller =
        principal.userName === undefined
          ? { kind: 'root', account: principal.account, arn: principal.arn, accessKeyId: key }
          : {
              kind: 'user',
              account: principal.account,
              arn: principal.arn,
              accessKeyId: key,
              userName: principal.userName,
              userId: principal.userId,
            };
      return { ok: true, caller };
    }
    const session = this.sessions.get(key);
    if (session) {
      if (signing.sessionToken !== session.sessionToken) {
        return { ok: false, problem: 'invalid-token', account: DEFAULT_ACCOUNT };
      }
      if (nowMs >= session.expiresAt) return { ok: false, problem: 'expired-token', account: session.account };
      const arn = assumedRoleArn(session.account, session.roleName, session.sessionName);
      return { ok: true, caller: { kind: 'session', account: session.account, arn, accessKeyId: key, session } };
    }
    if (key.startsWith(TEMPORARY_KEY)) return { ok: false, problem: 'invalid-token', account: DEFAULT_ACCOUNT };
    const account = isAccountId(key) ? key : DEFAULT_ACCOUNT;
    return { ok: true, caller: { kind: 'root', account, arn: rootArn(account), accessKeyId: key } };
  }

  /** True when a session's role was deleted since it was issued (or deleted and created again: a new role id). */
  revoked(session: Session): boolean {
    return this.roles.get(session.roleArn)?.roleId !== session.roleId;
  }

  clear(): void {
    this.roles.clear();
    this.principals.clear();
    this.sessions.clear();
    this.regions.clear();
  }
}
