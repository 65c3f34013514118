/**
 * Where a function lives and as whom the bot acts on it (CONTRACT §9). One value, built once from the
 * policy and passed whole to every AWS-touching port, as aws-cdk passes an Environment: never an
 * account, a region and a session threaded by hand as three loose strings.
 */

/** An AWS account the bot works in. */
export interface Account {
  /** The policy's name for it (`prod`), or {@link OWN_ACCOUNT} for the bot's own credentials. */
  readonly name: string;
  /** The 12-digit ID: from the policy, or (own account) from STS GetCallerIdentity when it answered. */
  readonly id?: string;
  /** Absent: the bot's own credentials are used as they are. */
  readonly roleArn?: string;
  readonly externalId?: string;
}

/** The name of the bot's own account (functions with no `account:`); reserved in the policy file. */
export const OWN_ACCOUNT = 'own';

/** An account and a region: the unit AWS keeps apart (functions, alarms, metrics, CloudTrail). */
export interface Place {
  readonly account: Account;
  readonly region: string;
}

/**
 * As whom a call is made. A person's session names them to AWS (SourceIdentity, RoleSessionName
 * `slack-<USERID>`), so that CloudTrail shows who asked; the bot's own work (reads, polling,
 * automatic rollbacks) runs in the bot's session.
 */
export type Session = { readonly kind: 'bot' } | { readonly kind: 'person'; readonly user: string };

export const BOT_SESSION: Session = { kind: 'bot' };

/** The RoleSessionName of the bot's own session. */
export const BOT_SESSION_NAME = 'lambda-release-bot';

/** A function as the bot acts on it: its name in the bot, its name in AWS, where it is, as whom. */
export interface Target {
  /** The name people type and every record, lock and key of the bot uses (the policy key). */
  readonly fn: string;
  /** The function's name in AWS (`FunctionName`). */
  readonly name: string;
  readonly place: Place;
  readonly session: Session;
  /** In the policy file: the bot may change it. Functions outside it can only be read. */
  readonly managed: boolean;
}

/**
 * The same target, acted on for a person: AWS's trail then names them.
 * @example actingFor(target, 'U0ALICE').session → { kind: 'person', user: 'U0ALICE' }
 */
export function actingFor(target: Target, user: string): Target {
  // `system` is the actor of the bot's own work (automatic rollbacks): it stays in the bot's session.
  const session: Session = user === 'system' ? BOT_SESSION : { kind: 'person', user };
  return { ...target, session };
}

/** The bot's own session on the same function (reads, polling). */
export function asBot(target: Target): Target {
  return target.session.kind === 'bot' ? target : { ...target, session: BOT_SESSION };
}

/**
 * `prod/eu-west-1`: how places are named in messages, logs and `/readyz`.
 * @example placeLabel({ account: { name: 'prod', id: '222222222222' }, region: 'eu-west-1' }) === 'prod/eu-west-1'
 */
export function placeLabel(place: Place): string {
  return `${place.account.name}/${place.region}`;
}

/** A key that tells places apart (account name and region). */
export function placeKey(place: Place): string {
  return `${place.account.name}\u0000${place.region}`;
}

/** The RoleSessionName for a session: `slack-<USERID>` for a person, the bot's name otherwise. */
export function sessionName(session: Session): string {
  return session.kind === 'person' ? `slack-${session.user}` : BOT_SESSION_NAME;
}

/** The audit record's `account` and `region` for a change on this target. */
export function recordedPlace(target: Target): { readonly account?: string; readonly region: string } {
  return { ...(target.place.account.id ? { account: target.place.account.id } : {}), region: target.place.region };
}

/** A place as outcomes and messages show it. */
export interface Where {
  /** The policy's name of the account (`own` for the bot's own). */
  readonly account: string;
  readonly accountId?: string;
  readonly region: string;
  /** The bot's own account and default region: announcements need not say where. */
  readonly home: boolean;
}

export function whereOf(place: Place, home: Place): Where {
  return {
    account: place.account.name,
    ...(place.account.id ? { accountId: place.account.id } : {}),
    region: place.region,
    home: placeKey(place) === placeKey(home),
  };
}
