/**
 * The audit archive end to end: records appended to Redis under a clock the test moves, the
 * Archiver (as compose-archive builds it) putting segments into a locked bucket in the emulator's
 * S3 through the bot's own AWS adapters, and `npm run audit` run as a process against both.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Redis } from 'ioredis';
import { S3ArchiveStore } from '../../src/adapters/aws/s3-archive.js';
import { RedisAuditArchiving } from '../../src/adapters/redis/audit-archiving.js';
import { RedisAuditLog } from '../../src/adapters/redis/audit-log.js';
import { parsePolicy } from '../../src/config/policy.js';
import type { Policy } from '../../src/domain/policy-model.js';
import { Archiver } from '../../src/services/archiver.js';
import { type Harness, harness } from '../emulator/support/emulator.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { TestClock } from '../fakes/test-clock.js';
import { BOT_CREDENTIALS, botAws } from './bot-aws.js';
import { writePolicy } from './bot-process.js';
import { cleanup, connect, REDIS_URL, testPrefix } from './redis.js';

const CLI = resolve(import.meta.dirname, '../../dist/src/cli/audit.js');

export const BUCKET = 'acme-lambda-audit';
export const ARCHIVE_PREFIX = 'lambda-release-bot/';
/** The archive lives in its own account, reached through a role as the bot reaches it. */
export const ARCHIVE_ACCOUNT = '222222222222';
export const ARCHIVE_REGION = 'eu-west-1';
const ARCHIVE_ROLE = `arn:aws:iam::${ARCHIVE_ACCOUNT}:role/lambda-release-bot`;

/** A policy with an archive in account `audit` (by role) and `settings` (YAML lines) at the top level. */
export function archivePolicy(settings: readonly string[] = []): string {
  return `
accounts:
  audit: { id: "${ARCHIVE_ACCOUNT}", role_arn: "${ARCHIVE_ROLE}" }
channels: { approvals: C0APPROVALS, alerts: C0ALERTS }
roles: { deployers: [U0ALICE], approvers: [U0BOB], responders: [U0ONCALL] }
functions:
  payments-api:
    aliases: { prod: {} }
  orders-api:
    aliases: { prod: {} }
audit_archive:
  bucket: ${BUCKET}
  prefix: ${ARCHIVE_PREFIX}
  account: audit
  region: ${ARCHIVE_REGION}
  mode: COMPLIANCE
  retain: 7y
  interval: 1h
  max_records: 20
${settings.join('\n')}
`;
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ArchiveWorld {
  readonly emulator: Harness;
  readonly redis: Redis;
  readonly prefix: string;
  readonly clock: TestClock;
  readonly log: RedisAuditLog;
  readonly archiving: RedisAuditArchiving;
  readonly archiver: Archiver;
  /** The bucket as the bot's adapters see it. */
  readonly store: S3ArchiveStore;
  readonly policy: Policy;
  readonly policyFile: string;
  /** `npm run audit -- …args` as an operator runs it, with the bot's variables (and `env` over them). */
  audit(args: readonly string[], env?: Record<string, string | undefined>): Promise<CliRun>;
  /** The segments' keys, in listing (= chain) order. */
  keys(): Promise<string[]>;
  /** The emulator's control API on the archive's bucket. */
  tamper(key: string, body?: string): Promise<void>;
  /** Puts an object's bytes back as they were (the tamper endpoint, with the saved bytes). */
  restore(key: string, body: Uint8Array): Promise<void>;
  remove(key: string): Promise<void>;
  close(): Promise<void>;
}

export async function startArchiveWorld(
  options: { readonly retainInRedis?: string; readonly start?: string } = {},
): Promise<ArchiveWorld> {
  const emulator = await harness({ at: new Date().toISOString() });
  await emulator.control('PUT', '/_emulator/roles', {
    arn: ARCHIVE_ROLE,
    trust: [`arn:aws:iam::000000000000:root`],
  });
  const owner = new S3Client({
    endpoint: emulator.emulator.url,
    region: ARCHIVE_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: ARCHIVE_ACCOUNT, secretAccessKey: 'emulator' },
  });
  await owner.send(
    new CreateBucketCommand({
      Bucket: BUCKET,
      ObjectLockEnabledForBucket: true,
      CreateBucketConfiguration: { LocationConstraint: ARCHIVE_REGION },
    }),
  );
  owner.destroy();
  const yaml = archivePolicy(options.retainInRedis ? [`audit_retain_in_redis: ${options.retainInRedis}`] : []);
  const parsed = parsePolicy(yaml, { defaultRegion: 'us-east-1' });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const policy = parsed.policy;
  const settings = policy.auditArchive;
  if (!settings) throw new Error('the archive policy has no audit_archive');
  const policyFile = writePolicy(yaml);
  const redis = await connect();
  const prefix = testPrefix('archive');
  const clock = new TestClock(options.start ?? '2025-01-01T00:00:00.000Z');
  const aws = botAws(emulator.emulator.url, policy);
  const store = new S3ArchiveStore(aws.clients, aws.fleet.place(settings.account, settings.region), BUCKET);
  const archiving = new RedisAuditArchiving(redis, prefix);
  const notifier = new FakeNotifier();
  const archiver = new Archiver({
    store,
    archiving,
    settings,
    retainInRedisMs: policy.auditRetainInRedisMs ?? 30 * 86_400_000,
    clock,
    notifier,
    alertsChannel: 'C0ALERTS',
    warn: (message, fields) => {
      throw new Error(`archiver: ${message} ${JSON.stringify(fields)}`);
    },
    info: () => {},
  });
  const control = async (method: string, path: string, body: Record<string, unknown>) => {
    await emulator.control(method, path, { bucket: BUCKET, account: ARCHIVE_ACCOUNT, region: ARCHIVE_REGION, ...body });
  };
  return {
    emulator,
    redis,
    prefix,
    clock,
    log: new RedisAuditLog(redis, prefix, clock),
    archiving,
    archiver,
    policy,
    policyFile,
    audit: (args, env = {}) =>
      runCli(args, {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        LAMBDA_BOT_CONFIG: policyFile,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: emulator.emulator.url,
        AWS_ACCESS_KEY_ID: BOT_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: BOT_CREDENTIALS.secretAccessKey,
        ...env,
      }),
    store,
    keys: async () => {
      const keys: string[] = [];
      for await (const key of store.list(ARCHIVE_PREFIX)) keys.push(key);
      return keys;
    },
    tamper: (key, body) => control('PUT', '/_emulator/s3/tamper', { key, ...(body === undefined ? {} : { body }) }),
    restore: (key, body) =>
      control('PUT', '/_emulator/s3/tamper', { key, bodyBase64: Buffer.from(body).toString('base64') }),
    remove: (key) => control('DELETE', '/_emulator/s3/object', { key }),
    close: async () => {
      aws.close();
      await cleanup(redis, prefix);
      redis.disconnect();
      await emulator.close();
    },
  };
}

function runCli(args: readonly string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const clean = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const child = spawn(process.execPath, [CLI, ...args], { env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}
