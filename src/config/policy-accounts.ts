/**
 * The `accounts:` section of the policy file and where each function lives (CONTRACT §9): the
 * schema of an account, and the rules that span entries (an account that exists, one entry per
 * function in AWS).
 */
import { z } from 'zod';
import { closest } from '../domain/grammar/suggest.js';
import { OWN_ACCOUNT } from '../domain/target.js';

/** AWS's region names: `eu-west-1`, `us-gov-west-1`, `us-isob-east-1`. */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** STS's pattern and length for ExternalId: a value AWS would refuse is refused at start instead. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * A 12-digit account ID. YAML reads an unquoted 012345678901 as the number 12345678901, so a
 * number is accepted only when it still has 12 digits; otherwise the message asks for quotes.
 */
const accountId = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = typeof value === 'number' ? String(value) : value;
  if (!/^\d{12}$/.test(text)) {
    ctx.addIssue({
      code: 'custom',
      message:
        typeof value === 'number'
          ? `must be 12 digits in quotes ("${text.padStart(12, '0')}"?): YAML drops the leading zeros of a number`
          : `must be a 12-digit AWS account ID, not "${text.slice(0, 40)}"`,
    });
  }
  return text;
});

export const accountSchema = z.strictObject({
  id: accountId,
  role_arn: z
    .string()
    .regex(ROLE_ARN, 'must be an IAM role ARN like arn:aws:iam::111111111111:role/lambda-release-bot'),
  external_id: z
    .string()
    .regex(EXTERNAL_ID, 'must be 2–1224 characters of letters, digits and + = , . @ : / - _ (as STS requires)')
    .optional(),
});

export const regionSchema = z.string().regex(REGION, 'must be an AWS region like eu-west-1');

type RawAccount = z.infer<typeof accountSchema>;

interface Placed {
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly name?: string | undefined;
}

/**
 * Problems that span entries: an account name that is reserved, a role in another account than
 * its ID, a function in an account the file does not define, and two entries for one function in
 * AWS (same account, region and name). Entries without a region are in `defaultRegion` when it is
 * known (AWS_REGION); otherwise only explicit regions are compared here, and the bot checks again
 * at start once it knows its region.
 */
export function checkPlacement(
  accounts: Readonly<Record<string, RawAccount>>,
  functions: Readonly<Record<string, Placed>>,
  defaultRegion: string | undefined,
): string[] {
  const problems: string[] = [];
  for (const [name, account] of Object.entries(accounts)) {
    if (name === OWN_ACCOUNT) {
      problems.push(`accounts.${name}: "${OWN_ACCOUNT}" means the bot's own account; give this one another name`);
    }
    const roleAccount = ROLE_ARN.exec(account.role_arn)?.[1];
    if (roleAccount && roleAccount !== account.id) {
      problems.push(`accounts.${name}.role_arn: the role is in account ${roleAccount}, but id is ${account.id}`);
    }
  }
  const names = Object.keys(accounts);
  for (const [fn, f] of Object.entries(functions)) {
    if (f.account !== undefined && !(f.account in accounts)) {
      const guess = closest(f.account, names);
      const known = names.length ? `accounts defines ${names.join(', ')}` : 'there is no accounts section';
      problems.push(
        `functions.${fn}.account: no account "${f.account}" in accounts (${guess ? `did you mean "${guess}"? ` : ''}${known})`,
      );
    }
  }
  problems.push(...duplicates(functions, defaultRegion));
  return problems;
}

/** Two policy entries for one function in AWS: each would act on the other's aliases. */
export function duplicates(functions: Readonly<Record<string, Placed>>, defaultRegion: string | undefined): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const [fn, f] of Object.entries(functions)) {
    const region = f.region ?? defaultRegion;
    if (region === undefined) continue;
    const account = f.account ?? OWN_ACCOUNT;
    const name = f.name ?? fn;
    const key = `${account}\u0000${region}\u0000${name}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, fn);
    else
      problems.push(
        `functions.${fn}: the same function as functions.${first} (${name} in ${account}/${region}); one entry per function`,
      );
  }
  return problems;
}
