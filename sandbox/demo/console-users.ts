/**
 * People who reach the demo's accounts without the bot: IAM users with access keys of their own, as
 * someone signed in to the AWS console is. What they change is a change made outside the bot, which
 * the bot notices and names from CloudTrail (CONTRACT §10). The emulator learns their keys at start.
 */
import type { PanelUser } from '../console/iam-users.js';
import { type DemoAccount, PROD, STAGING } from './account.js';

export interface ConsoleUser {
  /** The IAM user's name, as the panel and CloudTrail show it. */
  readonly name: string;
  readonly account: DemoAccount;
  readonly arn: string;
  /** Made up, and not secret: the emulator takes any secret, and only the key ID says who signed. */
  readonly accessKeyId: string;
}

function user(name: string, account: DemoAccount, accessKeyId: string): ConsoleUser {
  return { name, account, arn: `arn:aws:iam::${account.id}:user/${name}`, accessKeyId };
}

/** Mallory has console access to prod; Dave, a developer, to staging. */
export const CONSOLE_USERS: readonly ConsoleUser[] = [
  user('mallory', PROD, 'AKIDSANDBOXMALLORY'),
  user('dave', STAGING, 'AKIDSANDBOXDAVE'),
];

/** Registers each user's key with the emulator, so that what they sign is theirs in CloudTrail. */
export async function registerConsoleUsers(endpoint: string): Promise<void> {
  for (const u of CONSOLE_USERS) {
    const response = await fetch(`${endpoint}/_emulator/principals`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessKeyId: u.accessKeyId, arn: u.arn }),
    });
    if (!response.ok) throw new Error(`emulator refused the IAM user ${u.arn}: ${await response.text()}`);
  }
}

/** The users as the panel acts as them. */
export function panelUsers(): PanelUser[] {
  return CONSOLE_USERS.map((u) => ({ name: u.name, arn: u.arn, accountId: u.account.id, accessKeyId: u.accessKeyId }));
}
