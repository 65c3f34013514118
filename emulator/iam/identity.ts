import type { Session } from './sessions.js';

/**
 * Who makes an AWS call, as IAM and CloudTrail see it: the root of an account (the identity of an account's plain
 * access keys), a registered IAM user, or an AssumeRole session.
 */
export type Caller =
  | { kind: 'root'; account: string; arn: string; accessKeyId: string }
  | { kind: 'user'; account: string; arn: string; accessKeyId: string; userName: string; userId: string }
  | { kind: 'session'; account: string; arn: string; accessKeyId: string; session: Session };

/** The outcome of reading a request's credentials: a caller, or why the credentials are refused. */
export type Authentication =
  | { ok: true; caller: Caller }
  | {
      ok: false;
      /** `invalid-token`: an ASIA key never issued (or with the wrong session token); `expired-token`: past its Expiration. */
      problem: 'invalid-token' | 'expired-token';
      /** The account the call is counted under: the session's for an expired one, else the default. */
      account: string;
    };

/**
 * The caller's unique id as GetCallerIdentity's `UserId` and CloudTrail's `principalId` give it: the account id for
 * root, `AIDA…` for a user, `AROA…:SESSION` for a session.
 */
export function principalId(caller: Caller): string {
  switch (caller.kind) {
    case 'root':
      return caller.account;
    case 'user':
      return caller.userId;
    case 'session':
      return `${caller.session.roleId}:${caller.session.sessionName}`;
  }
}

/** The name CloudTrail's event history shows as `Username`: `root`, the user's name, or the session name. */
export function userName(caller: Caller): string {
  switch (caller.kind) {
    case 'root':
      return 'root';
    case 'user':
      return caller.userName;
    case 'session':
      return caller.session.sessionName;
  }
}
