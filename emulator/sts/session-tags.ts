import type { Session, SessionTag } from '../iam/sessions.js';
import { invalidParameterValue } from './errors.js';

const lower = (key: string) => key.toLowerCase();

/**
 * Applies STS's rules for session tags, with AWS's recorded messages, and returns the transitive tags of the new
 * session: those inherited from the calling session (role chaining) plus the new ones named transitive.
 */
export function sessionTags(tags: SessionTag[], transitiveKeys: string[], caller: Session | undefined): SessionTag[] {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (keys.has(lower(tag.key))) {
      throw invalidParameterValue('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    keys.add(lower(tag.key));
  }
  if (transitiveKeys.some((key) => !keys.has(lower(key)))) {
    throw invalidParameterValue('The specified transitive tag key must be included in the requested tags.');
  }
  const inherited = caller?.transitiveTags ?? [];
  if (inherited.some((tag) => keys.has(lower(tag.key)))) {
    throw invalidParameterValue(
      "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.",
    );
  }
  const transitive = new Set(transitiveKeys.map(lower));
  return [...inherited, ...tags.filter((tag) => transitive.has(lower(tag.key)))];
}
