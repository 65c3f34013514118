/**
 * The `gates:` of an alias and the break-glass settings (CONTRACT §11): their schema, the checks
 * that span an alias and its function, and the domain values built from them.
 */
import { z } from 'zod';
import { parseDuration } from '../domain/duration.js';
import type { AliasGates } from '../domain/gates.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME/VERSION, as Lambda reports SigningProfileVersionArn. */
const PROFILE_VERSION_ARN =
  /^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-profiles\/[A-Za-z0-9_]{2,64}\/[A-Za-z0-9]{10}$/;

const soak = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 30m or 24h` });
  else if (ms < 1000 || ms > 30 * DAY) ctx.addIssue({ code: 'custom', message: 'must be between 1s and 30 days' });
  return ms ?? 0;
});

export const gatesSchema = z.strictObject({
  soaked_on: z.string().min(1).optional(),
  soak: soak.optional(),
  signed_by: z
    .array(
      z
        .string()
        .regex(
          PROFILE_VERSION_ARN,
          'must be a signing profile version ARN (arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME/VERSION)',
        ),
    )
    .min(1, 'must list at least one signing profile version ARN')
    .optional(),
  same_code_as: z.string().min(1).optional(),
});

export type RawGates = z.infer<typeof gatesSchema>;

/** A review owed longer than a month is no review; less than a minute cannot be met. */
export const breakglassReviewSchema = z
  .string()
  .transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 24h` });
    else if (ms < MINUTE || ms > 30 * DAY) ctx.addIssue({ code: 'custom', message: 'must be between 1m and 30 days' });
    return ms ?? 0;
  })
  .default(DAY);

/** Gates that name aliases the function does not have, or the alias itself, or a soak without its alias. */
export function checkGates(path: string, alias: string, gates: RawGates, aliases: readonly string[]): string[] {
  const problems: string[] = [];
  for (const key of ['soaked_on', 'same_code_as'] as const) {
    const other = gates[key];
    if (other === undefined) continue;
    if (other === alias) problems.push(`${path}.${key}: must name another alias of the function, not ${alias} itself`);
    else if (!aliases.includes(other)) {
      problems.push(`${path}.${key}: no alias "${other}" under this function (it has ${aliases.join(', ')})`);
    }
  }
  if (gates.soaked_on !== undefined && gates.soak === undefined) {
    problems.push(`${path}.soak: required with soaked_on (how long, e.g. 30m)`);
  }
  if (gates.soak !== undefined && gates.soaked_on === undefined) {
    problems.push(`${path}.soaked_on: required with soak (which alias the version must have served)`);
  }
  return problems;
}

export function toGates(raw: RawGates): AliasGates {
  return {
    ...(raw.soaked_on ? { soakedOn: raw.soaked_on, soakMs: raw.soak ?? 0 } : {}),
    ...(raw.signed_by ? { signedBy: raw.signed_by } : {}),
    ...(raw.same_code_as ? { sameCodeAs: raw.same_code_as } : {}),
  };
}
