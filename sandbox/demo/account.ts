/**
 * Where the demo's AWS is: the bot's own account (its plain key is account 000000000000 to the
 * emulator, as a tooling account would be), and the team's two workload accounts it reaches through
 * a role in each, staging in one region and prod in two.
 */

/** The bot's AWS_REGION; none of the demo's functions is there, so every message names its place. */
export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox' };
/** Whom the roles trust: the root of the bot's own account, i.e. the bot's credentials. */
export const BOT_PRINCIPAL = 'arn:aws:iam::000000000000:root';

export interface DemoAccount {
  /** The policy's name for it. */
  readonly name: string;
  readonly id: string;
  readonly roleArn: string;
  readonly externalId?: string;
}

export const STAGING: DemoAccount = {
  name: 'staging',
  id: '111111111111',
  roleArn: 'arn:aws:iam::111111111111:role/lambda-release-bot',
};

/** Prod's role asks for an external ID, as a role trusting another account should. */
export const PROD: DemoAccount = {
  name: 'prod',
  id: '222222222222',
  roleArn: 'arn:aws:iam::222222222222:role/lambda-release-bot',
  externalId: 'acme-lambda-releases',
};

export const ACCOUNTS: readonly DemoAccount[] = [STAGING, PROD];

/** One account in one region: what AWS keeps apart, and what the panel groups by. */
export interface DemoPlace {
  readonly account: DemoAccount;
  readonly region: string;
}

export const PROD_EU: DemoPlace = { account: PROD, region: 'eu-west-1' };
export const PROD_US: DemoPlace = { account: PROD, region: 'us-east-1' };
export const STAGING_EU: DemoPlace = { account: STAGING, region: 'eu-west-1' };

/** In the order the panel shows them: prod first, where the tour starts. */
export const PLACES: readonly DemoPlace[] = [PROD_EU, PROD_US, STAGING_EU];

/**
 * Credentials that act as the account's root: the emulator takes a 12-digit access key ID for that
 * account, which is how CI and infrastructure code (the seed, the panel) reach each account here.
 */
export function rootOf(account: DemoAccount): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: account.id, secretAccessKey: 'sandbox' };
}

/** Creates each account's role for the bot, before the bot starts so that its first calls find them. */
export async function grantRoles(endpoint: string): Promise<void> {
  for (const a of ACCOUNTS) {
    const response = await fetch(`${endpoint}/_emulator/roles`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        arn: a.roleArn,
        trust: [BOT_PRINCIPAL],
        ...(a.externalId ? { externalId: a.externalId } : {}),
      }),
    });
    if (!response.ok) throw new Error(`emulator refused the role ${a.roleArn}: ${await response.text()}`);
  }
}
