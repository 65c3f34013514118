/**
 * The archive's bucket for `npm run audit -- … --archive`, reached as the bot reaches it (src/main.ts):
 * the home region from AWS_REGION or the SDK's chain, the default credential chain, and the role of
 * `audit_archive.account` assumed through the same RoleSessions and AwsClients (or, with
 * `--own-credentials`, the caller's credentials as they are: an auditor's read-only identity in the
 * bucket's account, which the bot's role need not trust). Failures are one line
 * naming the bucket, account and region and AWS's reason, never a credential or an environment value.
 */
import { AwsClients, createSts } from '../adapters/aws/clients.js';
import { homeOf } from '../adapters/aws/home.js';
import { S3ArchiveStore } from '../adapters/aws/s3-archive.js';
import { RoleSessions } from '../adapters/aws/sessions.js';
import { systemClock } from '../adapters/clock.js';
import type { ArchiveConfig } from '../config.js';
import { BotError } from '../domain/errors.js';
import { Fleet } from '../domain/fleet.js';
import { OWN_ACCOUNT, type Place } from '../domain/target.js';
import type { ArchiveStore, ObjectLock } from '../ports.js';
import type { ArchiveSide } from './audit-archive.js';

export interface OpenedArchive extends ArchiveSide {
  /** `s3://bucket/`: how objects are named to the reader. */
  readonly url: string;
  close(): void;
}

/** The archive's store, or the setting that keeps it from being reached (no region). */
export async function openArchive(
  config: ArchiveConfig,
  ownCredentials: boolean,
): Promise<{ readonly archive: OpenedArchive } | { readonly problem: string }> {
  let region: string;
  try {
    ({ region } = await homeOf(config.aws));
  } catch (error) {
    return { problem: (error as Error).message };
  }
  const settings = { ...config.aws, region };
  const sts = createSts(settings);
  const aws = new AwsClients(settings, new RoleSessions(sts, systemClock));
  // No account ID: the bot's own account is only named, as the bot names it before STS answers.
  const fleet = new Fleet(config.policy, { region });
  const { bucket, prefix, account, region: archiveRegion } = config.archive;
  // With the caller's own credentials the bucket is read in whatever account they belong to: no role.
  const place = ownCredentials ? fleet.place(undefined, archiveRegion) : fleet.place(account, archiveRegion);
  const store = new S3ArchiveStore(aws, place, bucket);
  const named = ownCredentials ? `your own credentials, region ${place.region}` : where(place);
  return {
    archive: {
      store: new ExplainedStore(store, `the archive bucket ${bucket} (${named})`),
      prefix,
      url: `s3://${bucket}/`,
      close() {
        aws.destroy();
        sts.destroy();
      },
    },
  };
}

function where(place: Place): string {
  const { account } = place;
  const name = account.name === OWN_ACCOUNT ? 'the bot’s own account' : `account ${account.name}`;
  return `${name}${account.id ? ` ${account.id}` : ''}, region ${place.region}`;
}

/** Every failure of the store as one BotError saying where and AWS's reason. */
class ExplainedStore implements ArchiveStore {
  constructor(
    private readonly inner: ArchiveStore,
    private readonly where: string,
  ) {}

  put(key: string, body: Uint8Array, lock: ObjectLock): Promise<'written' | 'exists'> {
    return this.explained('PutObject', () => this.inner.put(key, body, lock));
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.explained('GetObject', () => this.inner.get(key));
  }

  head(key: string) {
    return this.explained('HeadObject', () => this.inner.head(key));
  }

  async *list(prefix: string, startAfter?: string): AsyncIterable<string> {
    try {
      yield* this.inner.list(prefix, startAfter);
    } catch (error) {
      throw this.failure('ListObjectsV2', error);
    }
  }

  private async explained<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.failure(operation, error);
    }
  }

  private failure(operation: string, error: unknown): BotError {
    return new BotError('aws-unavailable', `${this.where} cannot be read: ${operation}: ${awsReason(error)}`, {
      cause: error,
    });
  }
}

/**
 * AWS's reason (`AccessDenied: Access Denied`, `NoSuchBucket: The specified bucket does not exist`),
 * a role that could not be assumed as RoleSessions says it, or the network's error code.
 */
export function awsReason(error: unknown): string {
  // A network error's message names the endpoint (AWS_ENDPOINT_URL's value): only its code is said.
  const network = networkCode(error) ?? (error instanceof BotError ? networkCode(error.cause) : undefined);
  if (network) return `no connection to AWS (${network})`;
  if (error instanceof BotError) return error.message;
  const e = (error ?? {}) as { name?: string; message?: string };
  const message = (e.message ?? '').split('\n')[0]?.slice(0, 300) ?? '';
  const name = e.name ?? 'Error';
  return message && message !== name ? `${name}: ${message}` : name;
}

function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
