import { randomBytes } from 'node:crypto';
import { AssumeRoleCommand, type Credentials } from '@aws-sdk/client-sts';
import { type RunningEmulator, startEmulator } from '../../../emulator/index.js';
import { type Clients, clientsAt, type Keys } from './clients.js';
import type { TargetName } from './contract.js';
import { control } from './target.js';

/**
 * Where the accounts, STS and CloudTrail suites run. On the emulator every role is created through the control
 * API; on AWS they must exist already, named by environment variables (a test whose role is not named is skipped
 * on AWS, see {@link awsLacks}).
 */
export interface AccountsTarget {
  name: TargetName;
  region: string;
  /** A second region, for the tests that keep regions apart. */
  otherRegion: string;
  /** Clients signed with the target's own credentials. */
  base: Clients;
  /** Clients signed with other credentials (e.g. issued by AssumeRole), in `region` by default. */
  as(keys: Keys | string, region?: string): Clients;
  roles: {
    /** Trusts the base caller; max session one hour. */
    trusted: string;
    /** Trusts the base caller with {@link AccountsTarget.externalId}. */
    withExternalId: string;
    /** Does not trust the base caller. */
    untrusted: string;
    /** Trusts sessions of `trusted` (role chaining). */
    chained: string;
    /** In another account than the caller's, trusting it; its sessions may create functions and alarms there. */
    otherAccount: string;
  };
  externalId: string;
  /** The execution role of functions the suites create (in the caller's account), and one in the other account. */
  executionRole: string;
  otherExecutionRole: string;
  unique(base: string): string;
  /** Moves the emulator's clock; AWS's cannot be moved, so tests that need it are skipped there. */
  advance(ms: number): Promise<void>;
  /** The target's "now": the emulator's clock, or the wall clock. */
  now(): Promise<number>;
  /** The emulator, when the target is one (for the control API). */
  emulator?: RunningEmulator;
  close(): Promise<void>;
}

/** Issued credentials in the form the SDK clients take. */
export function keysOf(credentials: Credentials | undefined): Keys {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new Error('no credentials in the answer');
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
  };
}

/** Assumes a role with the given clients and returns clients signed with the session's keys. */
export async function assumed(
  target: AccountsTarget,
  from: Clients,
  input: { RoleArn: string; RoleSessionName: string; SourceIdentity?: string; ExternalId?: string },
  region?: string,
): Promise<Clients> {
  const out = await from.sts.send(new AssumeRoleCommand(input));
  return target.as(keysOf(out.Credentials), region);
}

const AWS_ROLES = {
  trusted: 'CONFORMANCE_STS_ROLE_ARN',
  withExternalId: 'CONFORMANCE_STS_EXTERNAL_ID_ROLE_ARN',
  untrusted: 'CONFORMANCE_STS_UNTRUSTED_ROLE_ARN',
  chained: 'CONFORMANCE_STS_CHAINED_ROLE_ARN',
  otherAccount: 'CONFORMANCE_OTHER_ACCOUNT_ROLE_ARN',
} as const;

/** True when a test cannot run on this target: on AWS, one of the environment variables it needs is not set. */
export function awsLacks(name: TargetName, ...variables: string[]): boolean {
  return name === 'aws' && variables.some((v) => !process.env[v]);
}

/** The names of the environment variables that name the AWS roles, for {@link awsLacks}. */
export const ROLE_ENV = AWS_ROLES;

/** The emulator as an accounts target: base caller root of 000000000000, roles in 111111111111 and 222222222222. */
export async function emulatorAccounts(): Promise<AccountsTarget> {
  const emulator = await startEmulator({ clock: 'manual', updateDelayMs: 0 });
  const url = emulator.url;
  await control(url, 'POST', '/_emulator/clock', { mode: 'manual', now: '2026-11-26T14:00:00Z' });
  const roles = {
    trusted: 'arn:aws:iam::111111111111:role/conformance-trusted',
    withExternalId: 'arn:aws:iam::111111111111:role/conformance-external',
    untrusted: 'arn:aws:iam::111111111111:role/conformance-untrusted',
    chained: 'arn:aws:iam::111111111111:role/conformance-chained',
    otherAccount: 'arn:aws:iam::222222222222:role/conformance-other',
  };
  const externalId = 'conformance-x7';
  const me = 'arn:aws:iam::000000000000:root';
  await control(url, 'PUT', '/_emulator/roles', { arn: roles.trusted, trust: [me] });
  await control(url, 'PUT', '/_emulator/roles', { arn: roles.withExternalId, trust: [me], externalId });
  await control(url, 'PUT', '/_emulator/roles', { arn: roles.untrusted, trust: ['arn:aws:iam::333333333333:root'] });
  await control(url, 'PUT', '/_emulator/roles', { arn: roles.chained, trust: [roles.trusted] });
  await control(url, 'PUT', '/_emulator/roles', { arn: roles.otherAccount, trust: [me] });
  const region = 'us-east-1';
  const made: Clients[] = [];
  const as = (keys: Keys | string, r = region) => {
    const clients = clientsAt(url, r, keys);
    made.push(clients);
    return clients;
  };
  const run = randomBytes(3).toString('hex');
  return {
    name: 'emulator',
    region,
    otherRegion: 'eu-west-1',
    base: as('AKIDEMULATOR'),
    as,
    roles,
    externalId,
    executionRole: 'arn:aws:iam::000000000000:role/conformance',
    otherExecutionRole: 'arn:aws:iam::222222222222:role/conformance',
    unique: (base) => `${base}-${run}`,
    advance: async (ms) => {
      await control(url, 'POST', '/_emulator/clock/advance', { ms });
    },
    now: async () => Date.parse(((await control(url, 'GET', '/_emulator/clock')) as { now: string }).now),
    emulator,
    async close() {
      for (const clients of made) clients.destroy();
      await emulator.close();
    },
  };
}

/** Real AWS as an accounts target: the default credential chain, roles named by CONFORMANCE_STS_* variables. */
export async function awsAccounts(): Promise<AccountsTarget> {
  const env = process.env;
  const region = env.AWS_REGION ?? 'us-east-1';
  const made: Clients[] = [];
  const as = (keys: Keys | string, r = region) => {
    if (typeof keys === 'string') throw new Error('AWS needs real credentials');
    const clients = clientsAt(undefined, r, keys);
    made.push(clients);
    return clients;
  };
  const base = clientsAt(undefined, region, undefined);
  made.push(base);
  const run = randomBytes(3).toString('hex');
  return {
    name: 'aws',
    region,
    otherRegion: env.CONFORMANCE_OTHER_REGION ?? (region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1'),
    base,
    as,
    roles: {
      trusted: env[AWS_ROLES.trusted] ?? '',
      withExternalId: env[AWS_ROLES.withExternalId] ?? '',
      untrusted: env[AWS_ROLES.untrusted] ?? '',
      chained: env[AWS_ROLES.chained] ?? '',
      otherAccount: env[AWS_ROLES.otherAccount] ?? '',
    },
    externalId: env.CONFORMANCE_STS_EXTERNAL_ID ?? '',
    executionRole: env.CONFORMANCE_ROLE_ARN ?? '',
    otherExecutionRole: env.CONFORMANCE_OTHER_ACCOUNT_EXECUTION_ROLE_ARN ?? '',
    unique: (base) => `${base}-${run}`,
    advance: async () => {
      throw new Error("AWS's clock cannot be moved: tests that need it are skipped on AWS");
    },
    now: async () => Date.now(),
    async close() {
      for (const clients of made) clients.destroy();
    },
  };
}
