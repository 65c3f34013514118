import { isoWithOffset } from '../core/format.js';
import { newUuid } from '../core/ids.js';
import type { FunctionConfig, FunctionRecord } from './model.js';
import { fingerprint } from './settings.js';

/**
 * Publishes `$LATEST` as a new version, or returns the newest version when nothing changed since it was
 * published (AWS then answers with that version, ignoring the new description).
 *
 * Only the newest surviving version is compared, as LocalStack does; numbers come from a counter that never goes
 * back, so a deleted version's number is never reused.
 */
export function publish(fn: FunctionRecord, description: string | undefined, nowMs: number): FunctionConfig {
  const newest = fn.versions.get(String(fn.nextVersion - 1));
  if (newest && fingerprint(newest) === fingerprint(fn.latest)) return newest;
  const version: FunctionConfig = {
    ...fn.latest,
    Version: String(fn.nextVersion),
    Description: description ?? fn.latest.Description,
    Environment: { ...fn.latest.Environment },
    Layers: [...fn.latest.Layers],
    Architectures: [...fn.latest.Architectures],
    LastModified: isoWithOffset(nowMs),
    RevisionId: newUuid(),
    LastUpdateStatus: 'Successful',
  };
  fn.versions.set(version.Version, version);
  fn.nextVersion += 1;
  fn.latest.RevisionId = newUuid();
  return version;
}
