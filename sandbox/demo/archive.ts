/**
 * The audit archive of the demo (CONTRACT §14): a bucket with Object Lock in prod, eu-west-1, as a
 * team's infrastructure code would have made it, which the bot reaches through prod's role. Segments
 * are cut every 20 s or 20 records, whichever first, so that they appear during a demo (a team would
 * keep the defaults, 5 min or 1,000); each is kept in COMPLIANCE mode for 7 years. The seed creates
 * the bucket (seed.ts); no AWS SDK here, so that the sandbox loads it at once.
 */
import type { ArchivePlace } from '../console/archive-view.js';
import { type DemoPlace, PROD_EU } from './account.js';

export interface DemoArchive {
  readonly bucket: string;
  readonly prefix: string;
  readonly place: DemoPlace;
  readonly mode: 'COMPLIANCE' | 'GOVERNANCE';
  readonly retain: string;
  readonly interval: string;
  readonly maxRecords: number;
}

export const ARCHIVE: DemoArchive = {
  bucket: 'acme-lambda-audit',
  prefix: 'lambda-release-bot/',
  place: PROD_EU,
  mode: 'COMPLIANCE',
  retain: '7y',
  interval: '20s',
  maxRecords: 20,
};

/** The policy's `audit_archive:` and `audit_retain_in_redis:` for it. */
export function archivePolicy(a: DemoArchive = ARCHIVE): string {
  return `audit_archive:
  bucket: ${a.bucket}
  prefix: ${a.prefix}
  account: ${a.place.account.name}
  region: ${a.place.region}
  mode: ${a.mode}
  retain: ${a.retain}
  interval: ${a.interval}
  max_records: ${a.maxRecords}
audit_retain_in_redis: 30d
`;
}

/** The archive as the console's panel names it. */
export function panelArchive(a: DemoArchive = ARCHIVE): ArchivePlace {
  return {
    bucket: a.bucket,
    prefix: a.prefix,
    account: a.place.account.name,
    accountId: a.place.account.id,
    region: a.place.region,
  };
}
