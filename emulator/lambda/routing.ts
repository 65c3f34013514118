import { javaDouble } from '../core/format.js';
import type { LambdaContext } from './context.js';
import { invalidParameter, validation, validationMessage } from './errors.js';
import type { FunctionRecord } from './model.js';
import { isVersionNumber } from './names.js';

const FIELD = 'routingConfig.additionalVersionWeights';

/**
 * Validates `RoutingConfig.AdditionalVersionWeights` for an alias pointing at `functionVersion`, with AWS's checks
 * in LocalStack's order and AWS's recorded messages. Returns the weights to store, or undefined for "no routing"
 * (an absent or empty map).
 */
export function validateRouting(
  ctx: LambdaContext,
  fn: FunctionRecord,
  functionVersion: string,
  routing: unknown,
): Record<string, number> | undefined {
  const weights = (routing as { AdditionalVersionWeights?: Record<string, unknown> } | undefined)
    ?.AdditionalVersionWeights;
  if (!weights || Object.keys(weights).length === 0) return undefined;
  const entries = Object.entries(weights);
  if (entries.length > 1) {
    throw invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
  }
  const [key, raw] = entries[0] as [string, unknown];
  const weight = Number(raw);
  const shown = `{${key}=${javaDouble(weight)}}`;
  if (raw === null || !(weight >= 0 && weight <= 1)) {
    throw validation(
      validationMessage(
        shown,
        FIELD,
        'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]',
      ),
    );
  }
  if (key === functionVersion) {
    throw invalidParameter(
      `Invalid function version ${functionVersion}. Function version ${functionVersion} is already included in routing configuration.`,
    );
  }
  if (functionVersion === '$LATEST') {
    throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version', false);
  }
  if (!isVersionNumber(key)) {
    throw validation(
      validationMessage(
        shown,
        FIELD,
        'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+, Member must not be null]',
      ),
    );
  }
  const extra = ctx.store.resolveConfig(fn, key);
  const primary = ctx.store.resolveConfig(fn, functionVersion);
  // Documented in the developer guide; AWS's wording for these two refusals was not recorded, so these are ours.
  if (extra.Role !== primary.Role) {
    throw invalidParameter(
      `Invalid version ${key}: the execution role of both versions of an alias with routing must be the same.`,
    );
  }
  if ((extra.DeadLetterTargetArn ?? '') !== (primary.DeadLetterTargetArn ?? '')) {
    throw invalidParameter(
      `Invalid version ${key}: both versions of an alias with routing must have the same dead-letter queue configuration.`,
    );
  }
  return { [key]: weight };
}
