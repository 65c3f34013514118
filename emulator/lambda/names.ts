import { ACCOUNT_ID } from '../core/region.js';
import { invalidParameter, validation, validationMessage } from './errors.js';

/** The FunctionName pattern from the Lambda API reference; names, partial ARNs and full ARNs all match it. */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

const FUNCTION_NAME = new RegExp(`^${FUNCTION_NAME_PATTERN}$`);

/** A FunctionName resolved to the function it names and the qualifier it carries, if any. */
export interface FunctionRef {
  name: string;
  region: string;
  qualifier: string | undefined;
}

/**
 * Resolves a FunctionName label (a name, `123456789012:function:name` or a full ARN, each optionally with
 * `:qualifier`) together with a separate `Qualifier` parameter.
 *
 * @example
 * resolveFunction('arn:aws:lambda:eu-west-1:123456789012:function:pay:prod', undefined, 'us-east-1')
 * // { name: 'pay', region: 'eu-west-1', qualifier: 'prod' }
 */
export function resolveFunction(label: string, qualifier: string | undefined, region: string): FunctionRef {
  const match = FUNCTION_NAME.exec(label);
  const name = match?.[7];
  if (!match || name === undefined || label.length > 170 || (!label.includes(':') && label.length > 64)) {
    throw validation(
      validationMessage(
        label,
        'functionName',
        `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`,
      ),
    );
  }
  const derived = match[9];
  if (derived !== undefined && qualifier !== undefined && derived !== qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  const arnRegion = match[3]?.slice(0, -1);
  return { name, region: arnRegion ?? region, qualifier: derived ?? qualifier };
}

/** `arn:aws:lambda:REGION:000000000000:function:NAME`. */
export function functionArn(region: string, name: string): string {
  return `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
}

/** A function ARN with `:qualifier` appended (versions, `$LATEST` and aliases). */
export function qualifiedArn(region: string, name: string, qualifier: string): string {
  return `${functionArn(region, name)}:${qualifier}`;
}

const VERSION = /^[0-9]+$/;

/** True for a published version number (as opposed to `$LATEST` or an alias name). */
export function isVersionNumber(qualifier: string): boolean {
  return VERSION.test(qualifier);
}
