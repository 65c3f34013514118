import { AssumeRoleCommand, type Credentials, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { BotError } from '../../domain/errors.js';
import { type Account, type Session, sessionName } from '../../domain/target.js';
import type { Clock } from '../../ports.js';

/** Credentials are renewed when less than this is left, as the SDK's own providers do (EXPIRATION_MS). */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** Sessions kept: a person each per account they change things in, and the bot's; plenty for an organisation. */
const MAX_SESSIONS = 2000;

/** What the SDK takes as credentials (its AwsCredentials). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

interface Held {
  readonly credentials: AwsCredentials & { readonly expiration: Date };
}

/**
 * Temporary credentials from `sts:AssumeRole` per (account, session): one for the bot's own work
 * (RoleSessionName `lambda-release-bot`) and one per person (`slack-<USERID>`, SourceIdentity the
 * Slack user ID, so that CloudTrail names them). Each is kept until 5 minutes before it expires and
 * shared by every client of that account, whatever the region: one AssumeRole per (account, person)
 * per session lifetime. Callers arriving while one is being assumed share it.
 */
export class RoleSessions {
  private readonly held = new Map<string, Held>();
  private readonly assuming = new Map<string, Promise<Held>>();
  /** AssumeRole calls made, for the benchmark and the log. */
  assumed = 0;

  constructor(
    private readonly sts: STSClient,
    private readonly clock: Clock,
  ) {}

  /** A credential provider for the SDK: the session's credentials, assumed or renewed when needed. */
  provider(account: Account, session: Session): () => Promise<AwsCredentials> {
    return () => this.credentials(account, session);
  }

  async credentials(account: Account, session: Session): Promise<AwsCredentials> {
    const role = account.roleArn;
    if (role === undefined) throw new Error(`account ${account.name} has no role to assume`);
    const key = `${role}\u0000${sessionName(session)}`;
    const now = this.clock.now().getTime();
    const held = this.held.get(key);
    if (held && held.credentials.expiration.getTime() - now > REFRESH_BEFORE_MS) return held.credentials;
    let pending = this.assuming.get(key);
    if (!pending) {
      pending = this.assume(account, role, session).finally(() => this.assuming.delete(key));
      this.assuming.set(key, pending);
    }
    const fresh = await pending;
    this.keep(key, fresh);
    return fresh.credentials;
  }

  /** Drops a session AWS no longer takes (expired early, revoked): the next call assumes the role again. */
  forget(account: Account, session: Session): void {
    if (account.roleArn) this.held.delete(`${account.roleArn}\u0000${sessionName(session)}`);
  }

  /**
   * The account of the bot's own credentials (STS GetCallerIdentity, which needs no permission), or
   * undefined when STS does not answer: then ARNs of the own account are checked against AWS's answers.
   */
  async ownAccount(timeoutMs = 3000): Promise<string | undefined> {
    // Bounded: the bot starts without it rather than wait on an STS that does not answer.
    const abortSignal = AbortSignal.timeout(timeoutMs);
    try {
      return (await this.sts.send(new GetCallerIdentityCommand({}), { abortSignal })).Account;
    } catch {
      return undefined;
    }
  }

  private async assume(account: Account, role: string, session: Session): Promise<Held> {
    this.assumed++;
    let out: Credentials | undefined;
    try {
      const answer = await this.sts.send(
        new AssumeRoleCommand({
          RoleArn: role,
          RoleSessionName: sessionName(session),
          ...(account.externalId ? { ExternalId: account.externalId } : {}),
          ...(session.kind === 'person' ? { SourceIdentity: session.user } : {}),
        }),
      );
      out = answer.Credentials;
    } catch (error) {
      throw refused(account, role, error);
    }
    if (!out?.AccessKeyId || !out.SecretAccessKey || !out.Expiration) {
      throw new BotError(
        'account-unavailable',
        `${where(account)}: STS answered AssumeRole on ${role} without credentials`,
      );
    }
    return {
      credentials: {
        accessKeyId: out.AccessKeyId,
        secretAccessKey: out.SecretAccessKey,
        ...(out.SessionToken ? { sessionToken: out.SessionToken } : {}),
        expiration: out.Expiration,
      },
    };
  }

  private keep(key: string, held: Held): void {
    this.held.delete(key);
    this.held.set(key, held);
    // The oldest first: a Map iterates in insertion order, and a renewal re-inserts.
    for (const oldest of this.held.keys()) {
      if (this.held.size <= MAX_SESSIONS) break;
      this.held.delete(oldest);
    }
  }
}

function where(account: Account): string {
  return `account ${account.name}${account.id ? ` (${account.id})` : ''}`;
}

/** AWS's reason, with the account and the role, for the person whose command it refuses. */
function refused(account: Account, role: string, error: unknown): BotError {
  const e = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? 'Error';
  const message = (e.message ?? name).slice(0, 400);
  const transient = /Throttl|ServiceUnavailable|InternalFailure|TimeoutError|ECONN|socket/i.test(`${name} ${message}`);
  return new BotError(
    transient ? 'aws-unavailable' : 'account-unavailable',
    `the bot cannot act in ${where(account)}: AssumeRole on ${role} failed (${name}): ${message}`,
    { cause: error, details: { aws: name, account: account.name, role } },
  );
}
