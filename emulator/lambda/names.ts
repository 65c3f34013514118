import type { Place } from '../core/place.js';
import type { LambdaRequest } from './context.js';
import { crossAccountDenied, invalidParameter, notFound, validation, validationMessage } from './errors.js';

/** The FunctionName pattern from the Lambda API reference; names, partial ARNs and full ARNs all match it. */
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';

const FUNCTION_NAME = new RegExp(`^${FUNCTION_NAME_PATTERN}$`);

/** A FunctionName resolved to the function it names and the qualifier it carries, if any. */
export interface FunctionRef {
  name: string;
  /** Always the request's place: an ARN naming another one is refused. */
  place: Place;
  qualifier: string | undefined;
}

/**
 * Resolves a FunctionName label (a name, `123456789012:function:name` or a full ARN, each optionally with
 * `:qualifier`) together with a separate `Qualifier` parameter, in the request's place. An ARN of another region
 * gets AWS's recorded 404; one of another account gets 403 AccessDeniedException, as a caller without a resource
 * policy granting it access does.
 *
 * @example
 * resolveFunction('arn:aws:lambda:eu-west-1:000000000000:function:pay:prod', undefined, reqInEuWest1)
 * // { name: 'pay', place: { account: '000000000000', region: 'eu-west-1' }, qualifier: 'prod' }
 */
export function resolveFunction(label: string, qualifier: string | undefined, req: LambdaRequest): FunctionRef {
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
  const resolved = derived ?? qualifier;
  const named = {
    account: match[5]?.slice(0, -1) ?? req.place.account,
    region: match[3]?.slice(0, -1) ?? req.place.region,
  };
  checkPlace(named, req, resolved === undefined ? functionArn(named, name) : qualifiedArn(named, name, resolved));
  return { name, place: req.place, qualifier: resolved };
}

/**
 * Refuses a resource of another region or account than the request's: Lambda never reaches across regions (AWS's
 * recorded 404), and another account's function is refused with 403 (see docs/emulator.md, Fidelity).
 */
export function checkPlace(named: Place, req: LambdaRequest, arn: string): void {
  if (named.region !== req.place.region) {
    throw notFound(`Functions from '${named.region}' are not reachable in this region ('${req.place.region}')`);
  }
  if (named.account !== req.place.account) throw crossAccountDenied(req, arn);
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME`. */
export function functionArn(p: Place, name: string): string {
  return `arn:aws:lambda:${p.region}:${p.account}:function:${name}`;
}

/** A function ARN with `:qualifier` appended (versions, `$LATEST` and aliases). */
export function qualifiedArn(p: Place, name: string, qualifier: string): string {
  return `${functionArn(p, name)}:${qualifier}`;
}

const VERSION = /^[0-9]+$/;

/** True for a published version number (as opposed to `$LATEST` or an alias name). */
export function isVersionNumber(qualifier: string): boolean {
  return VERSION.test(qualifier);
}
