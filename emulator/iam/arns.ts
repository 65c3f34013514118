/**
 * IAM and STS ARNs: the forms the emulator accepts in the control API and writes in answers. Only the `aws`
 * partition is modelled.
 */

const ROLE = /^arn:aws:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const USER = /^arn:aws:iam::(\d{12}):user\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const ROOT = /^arn:aws:iam::(\d{12}):root$/;
const ASSUMED = /^arn:aws:sts::(\d{12}):assumed-role\/([\w+=,.@-]{1,64})\/([\w+=,.@-]{2,64})$/;

/** A role ARN, `arn:aws:iam::ACCOUNT:role[/PATH]/NAME`, taken apart. */
export interface RoleName {
  arn: string;
  account: string;
  name: string;
}

/** Reads a role ARN; undefined when the text is not one. */
export function parseRoleArn(arn: string): RoleName | undefined {
  const m = ROLE.exec(arn);
  return m ? { arn, account: m[1] as string, name: m[3] as string } : undefined;
}

/** An IAM user ARN or an account's root ARN, taken apart (`name` is undefined for root). */
export interface PrincipalName {
  arn: string;
  account: string;
  name: string | undefined;
}

/** Reads `arn:aws:iam::ACCOUNT:user[/PATH]/NAME` or `arn:aws:iam::ACCOUNT:root`. */
export function parseUserOrRootArn(arn: string): PrincipalName | undefined {
  const user = USER.exec(arn);
  if (user) return { arn, account: user[1] as string, name: user[3] as string };
  const root = ROOT.exec(arn);
  return root ? { arn, account: root[1] as string, name: undefined } : undefined;
}

/** True for a principal a trust list may name: `*`, a root, user or role ARN, or an assumed-role session ARN. */
export function isTrustEntry(entry: string): boolean {
  return entry === '*' || ROLE.test(entry) || USER.test(entry) || ROOT.test(entry) || ASSUMED.test(entry);
}

/** `arn:aws:iam::ACCOUNT:root`: the whole account as a principal, and the identity of its plain access keys. */
export function rootArn(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

/** `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, the identity of an AssumeRole session. */
export function assumedRoleArn(account: string, roleName: string, sessionName: string): string {
  return `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
}
