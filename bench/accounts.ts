/**
 * The accounts and places of the multi-account benchmarks (assume-role, alarm-places,
 * account-latency): three accounts reached through a role each, six (account, region) places,
 * and how the emulator is told to trust the bot. One definition, so that the three benchmarks
 * describe the same organisation.
 */

/** The bot's own account in the emulator: its plain test key acts as this account's root. */
export const BOT_ROOT = 'arn:aws:iam::000000000000:root';

export interface BenchAccount {
  /** The policy's name for it. */
  readonly name: string;
  readonly id: string;
  readonly externalId?: string;
}

export const ACCOUNTS: readonly BenchAccount[] = [
  { name: 'prod', id: '222222222222', externalId: 'x7' },
  { name: 'staging', id: '111111111111' },
  { name: 'sandbox', id: '333333333333' },
];

export function roleArn(account: BenchAccount): string {
  return `arn:aws:iam::${account.id}:role/lambda-release-bot`;
}

/** One (account, region) of the benchmarks, with the policy key of the function the benchmarks use there. */
export interface BenchPlace {
  readonly account: BenchAccount;
  readonly region: string;
  /** A short label for notes and policy keys: `prod-eu`. */
  readonly label: string;
}

const [PROD, STAGING, SANDBOX] = ACCOUNTS as [BenchAccount, BenchAccount, BenchAccount];

/** Three regions of prod, two of staging, one of sandbox: sessions are per account, so regions share them. */
export const PLACES: readonly BenchPlace[] = [
  { account: PROD, region: 'eu-west-1', label: 'prod-eu' },
  { account: PROD, region: 'us-east-1', label: 'prod-us' },
  { account: PROD, region: 'ap-southeast-2', label: 'prod-ap' },
  { account: STAGING, region: 'eu-west-1', label: 'staging-eu' },
  { account: STAGING, region: 'us-east-1', label: 'staging-us' },
  { account: SANDBOX, region: 'eu-west-1', label: 'sandbox-eu' },
];

/** The policy's `accounts:` section for {@link ACCOUNTS}. */
export function accountsYaml(): string {
  const lines = ACCOUNTS.map(
    (a) =>
      `  ${a.name}: { id: "${a.id}", role_arn: "${roleArn(a)}"${a.externalId ? `, external_id: ${a.externalId}` : ''} }`,
  );
  return `accounts:\n${lines.join('\n')}\n`;
}

/** The roles to create in the emulator (`PUT /_emulator/roles`): each trusts the bot's account. */
export function roles(): { arn: string; trust: string[]; externalId?: string }[] {
  return ACCOUNTS.map((a) => ({
    arn: roleArn(a),
    trust: [BOT_ROOT],
    ...(a.externalId ? { externalId: a.externalId } : {}),
  }));
}

/** `222222222222/eu-west-1`: a place as the emulator's `GET /_emulator/calls?by=place` keys it. */
export function emulatorPlace(place: BenchPlace): string {
  return `${place.account.id}/${place.region}`;
}
