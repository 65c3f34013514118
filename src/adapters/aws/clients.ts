import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BOT_SESSION, type Place, type Session, sessionName } from '../../domain/target.js';
import type { RoleSessions } from './sessions.js';

export interface AwsSettings {
  readonly region?: string;
  /** AWS_ENDPOINT_URL: the emulator in tests and the sandbox; unset against AWS. */
  readonly endpoint?: string | undefined;
  /** The bot's own credentials; unset (the bot): the SDK's default chain. Tests and benchmarks give fixed ones. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Lambda's control plane allows 15 requests a second per account and Region, shared with every
 * other tool. More attempts than the SDK's default 3 let a release finish through a busy minute.
 */
export const MAX_ATTEMPTS = 5;

/**
 * Each attempt is bounded, so that an endpoint that accepts a connection and never answers costs
 * one attempt, not the whole command: the SDK's default is to wait forever. The control-plane
 * calls the bot makes answer in well under a second; the response limit leaves room for a slow
 * moment. A timed-out attempt is retried like a 5xx (the SDK counts TimeoutError as transient).
 */
export const AWS_TIMEOUTS = { connectionTimeout: 2000, requestTimeout: 5000, throwOnRequestTimeout: true } as const;

/** Clients kept per service: (account, region, session) triples in use; each is small, its sockets are shared. */
const MAX_CLIENTS = 256;

type AnyHandler = NodeHttpHandler;

/**
 * One HTTP handler (one keep-alive agent) under every client: connections to an endpoint are reused
 * whichever session signs the request, and a client dropped from the cache closes nothing that
 * another client is using. Only the pool closes it.
 */
class SharedHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  constructor(readonly inner: AnyHandler) {}
  handle(...args: Parameters<AnyHandler['handle']>): ReturnType<AnyHandler['handle']> {
    return this.inner.handle(...args);
  }
  updateHttpClientConfig(...args: Parameters<AnyHandler['updateHttpClientConfig']>): void {
    this.inner.updateHttpClientConfig(...args);
  }
  httpHandlerConfigs(): ReturnType<AnyHandler['httpHandlerConfigs']> {
    return this.inner.httpHandlerConfigs();
  }
  destroy(): void {}
}

/**
 * The AWS SDK clients of every (account, region, session), made on first use and kept in a bounded
 * cache. A client of an account with a role signs with that role's session for the person (or the
 * bot); a client of the bot's own account uses the bot's own credentials, whoever asks.
 */
export class AwsClients {
  private readonly handler: SharedHandler;
  private readonly lambdas = new Map<string, LambdaClient>();
  private readonly cloudwatches = new Map<string, CloudWatchClient>();
  private readonly cloudtrails = new Map<string, CloudTrailClient>();
  private readonly s3s = new Map<string, S3Client>();

  constructor(
    private readonly settings: AwsSettings & { readonly maxAttempts?: number },
    private readonly sessions: RoleSessions,
  ) {
    this.handler = new SharedHandler(new NodeHttpHandler(AWS_TIMEOUTS));
  }

  lambda(place: Place, session: Session): LambdaClient {
    return this.client(this.lambdas, place, session, (config) => new LambdaClient(config));
  }

  cloudwatch(place: Place, session: Session = BOT_SESSION): CloudWatchClient {
    return this.client(this.cloudwatches, place, session, (config) => new CloudWatchClient(config));
  }

  /**
   * Forgets the session and the clients of a place that refused their credentials: the SDK keeps
   * each client's credentials until they expire, so only new clients take a new session.
   */
  invalidate(place: Place, session: Session): void {
    const key = this.key(place, session);
    const caches = [this.lambdas, this.cloudwatches, this.cloudtrails, this.s3s] as Map<string, { destroy(): void }>[];
    for (const cache of caches) {
      cache.get(key)?.destroy();
      cache.delete(key);
    }
    this.sessions.forget(place.account, session);
  }

  /** CloudTrail is read in the bot's own session: who changed something is the bot's own question. */
  cloudtrail(place: Place): CloudTrailClient {
    return this.client(this.cloudtrails, place, BOT_SESSION, (config) => new CloudTrailClient(config));
  }

  /**
   * S3 for the audit archive, in the bot's session. Against an endpoint (the emulator) requests are
   * path-style: a bucket name as a host name resolves nowhere but in AWS.
   */
  s3(place: Place): S3Client {
    const pathStyle = this.settings.endpoint ? { forcePathStyle: true } : {};
    // The shared settings are typed by the Lambda client's config; S3's takes the same fields.
    const make = (config: object) => new S3Client({ ...(config as S3ClientConfig), ...pathStyle });
    return this.client(this.s3s, place, BOT_SESSION, make);
  }

  /** Clients in the cache now (a benchmark and a test read it). */
  get size(): number {
    return this.lambdas.size + this.cloudwatches.size + this.cloudtrails.size;
  }

  destroy(): void {
    for (const c of this.lambdas.values()) c.destroy();
    for (const c of this.cloudwatches.values()) c.destroy();
    for (const c of this.cloudtrails.values()) c.destroy();
    for (const c of this.s3s.values()) c.destroy();
    this.s3s.clear();
    this.lambdas.clear();
    this.cloudwatches.clear();
    this.cloudtrails.clear();
    this.handler.inner.destroy();
  }

  private key(place: Place, session: Session): string {
    // Without a role there is no session to tell people apart: everyone shares the bot's client.
    const who = place.account.roleArn ? session : BOT_SESSION;
    return `${place.account.name}\u0000${place.region}\u0000${sessionName(who)}`;
  }

  private client<C extends { destroy(): void }>(
    cache: Map<string, C>,
    place: Place,
    session: Session,
    make: (config: ConstructorParameters<typeof LambdaClient>[0] & object) => C,
  ): C {
    const { account, region } = place;
    const who = account.roleArn ? session : BOT_SESSION;
    const key = this.key(place, session);
    const found = cache.get(key);
    if (found) {
      cache.delete(key);
      cache.set(key, found);
      return found;
    }
    const client = make({
      region,
      maxAttempts: this.settings.maxAttempts ?? MAX_ATTEMPTS,
      requestHandler: this.handler,
      ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
      ...(account.roleArn
        ? { credentials: this.sessions.provider(account, who) }
        : this.settings.credentials
          ? { credentials: this.settings.credentials }
          : {}),
    });
    cache.set(key, client);
    for (const [oldest, c] of cache) {
      if (cache.size <= MAX_CLIENTS) break;
      cache.delete(oldest);
      c.destroy();
    }
    return client;
  }
}

/** The STS client the bot assumes roles with: its own credentials, its home region's STS endpoint. */
export function createSts(settings: AwsSettings): STSClient {
  return new STSClient({
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: AWS_TIMEOUTS,
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
}
