import { BotError, type ErrorCode } from '../../domain/errors.js';
import { type Place, placeLabel } from '../../domain/target.js';

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
  readonly $fault?: 'client' | 'server';
}

/** What the caller knows about the call, so that a 404 can say which thing is missing. */
export interface CallContext {
  readonly operation: string;
  readonly fn: string;
  readonly alias?: string;
  readonly version?: string;
  /** Where the call went: named in messages about credentials. */
  readonly place?: Place;
}

/** The credentials were refused in that account and region: not a fault of the request. */
const CREDENTIALS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'RegionDisabledException',
]);

/**
 * Turns an AWS SDK error (after the SDK's own retries) into a BotError the user can act on.
 * AWS's own message is kept where it says something useful; environment values never appear in
 * Lambda's error messages, so passing them on is safe.
 */
export function fromAws(error: unknown, call: CallContext): BotError {
  // Already explained: the role of the target's account could not be assumed (adapters/aws/sessions).
  if (error instanceof BotError) return error;
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const message = (e.message ?? name).slice(0, 400);
  // How many attempts the SDK made: a refusal on a retry may answer an earlier attempt of ours
  // that was applied but whose answer was lost.
  const attempts = e.$metadata?.attempts ?? 1;
  const fail = (code: ErrorCode, text: string) =>
    new BotError(code, text, { cause: error, details: { aws: name, attempts } });

  if (CREDENTIALS.has(name) && call.place) return credentialsRefused(call.place, name, message, fail);
  switch (name) {
    case 'ResourceNotFoundException':
      return notFound(message, call, fail);
    case 'PreconditionFailedException':
      return fail('revision-conflict', `${target(call)} changed since it was read`);
    case 'ResourceConflictException':
      return /update is in progress/i.test(message)
        ? fail('update-in-progress', `Lambda is still applying an update to ${call.fn}`)
        : fail('aws-refused', message);
    case 'InvalidParameterValueException':
      return /CodeSHA256/i.test(message) ? fail('code-changed', message) : fail('aws-refused', message);
  }
  if (
    status === 429 ||
    status === undefined ||
    status >= 500 ||
    e.$fault === 'server' ||
    /Throttl|TooManyRequests/.test(name)
  ) {
    return fail('aws-unavailable', `${call.operation} failed (${name}${status ? ` ${status}` : ''}): ${message}`);
  }
  return fail('aws-refused', `${call.operation}: ${message}`);
}

function credentialsRefused(
  place: Place,
  name: string,
  message: string,
  fail: (code: ErrorCode, text: string) => BotError,
): BotError {
  const { account, region } = place;
  const who = `account ${account.name}${account.id ? ` (${account.id})` : ''}`;
  const how = account.roleArn ? `the session of role ${account.roleArn}` : "the bot's own credentials";
  const hint = /Expired/.test(name) ? 'the credentials expired' : `is ${region} enabled for ${who}?`;
  return fail('account-unavailable', `${who} refused ${how} in ${placeLabel(place)} (${hint}): ${name}: ${message}`);
}

function notFound(message: string, call: CallContext, fail: (code: ErrorCode, text: string) => BotError): BotError {
  // AWS names the missing resource's ARN; its last qualifier tells a missing version from a missing alias.
  if (/alias/i.test(message) && call.alias) return fail('alias-not-found', `${call.fn}:${call.alias} does not exist`);
  const qualifier = /:function:[^:\s]+:([^:\s]+)\s*$/.exec(message)?.[1];
  if (qualifier && /^\d+$/.test(qualifier)) return fail('version-not-found', `${call.fn} has no version ${qualifier}`);
  if (qualifier && call.alias === qualifier) return fail('alias-not-found', `${call.fn}:${call.alias} does not exist`);
  if (call.version && qualifier === call.version)
    return fail('version-not-found', `${call.fn} has no version ${call.version}`);
  return fail('function-not-found', `there is no function ${call.fn}`);
}

function target(call: CallContext): string {
  return call.alias ? `${call.fn}:${call.alias}` : call.fn;
}
