import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** A fresh RevisionId / request id, in the UUID form AWS uses. */
export function newUuid(): string {
  return randomUUID();
}

/** The alphabet of AWS access key IDs and unique IDs (RFC 4648 base32, upper case). */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i++) out += BASE32[(bytes[i % bytes.length] as number) % 32];
  return out;
}

/**
 * A fresh AWS-style identifier: `prefix` then random base32 up to `length` characters.
 *
 * @example randomAwsId('ASIA', 20) // 'ASIAQ3EGUTZ7K4VXN2PD' (an access key ID of temporary credentials)
 */
export function randomAwsId(prefix: string, length: number): string {
  return prefix + base32(randomBytes(length), length - prefix.length);
}

/**
 * A stable AWS-style identifier derived from `seed`: the same seed always gives the same id, so a role's `AROA…`
 * and a user's `AIDA…` do not change between calls.
 *
 * @example stableAwsId('AROA', 'arn:aws:iam::111111111111:role/deploy#1') // 'AROA' + 17 base32 characters
 */
export function stableAwsId(prefix: string, seed: string, length = 21): string {
  return prefix + base32(createHash('sha256').update(seed).digest(), length - prefix.length);
}

/** A random secret of `length` characters in base64's alphabet, as secret keys and session tokens look. */
export function randomSecret(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 1)
    .toString('base64')
    .replace(/=/g, '')
    .slice(0, length);
}
