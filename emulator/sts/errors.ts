import type { Reply } from '../core/http.js';
import { xmlDocument } from '../core/xml.js';

/** The namespace of every STS answer, errors included. */
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * An STS error as the Query protocol sends it: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`.
 * The SDK names the error after `Code`.
 */
export class StsError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }

  toReply(requestId: string): Reply {
    const error: [string, [string, string][]] = [
      'Error',
      [
        ['Type', this.type],
        ['Code', this.code],
        ['Message', this.message],
      ],
    ];
    return {
      status: this.status,
      contentType: 'text/xml',
      text: xmlDocument(STS_NAMESPACE, ['ErrorResponse', [error, ['RequestId', requestId]]]),
    };
  }
}

/** 403 AccessDenied: AWS gives the same answer for a role that does not exist, does not trust the caller, or wants another external ID. */
export const accessDenied = (callerArn: string, action: string, resource: string): StsError =>
  new StsError(
    'AccessDenied',
    403,
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`,
  );

/** 400 ValidationError. */
export const validationError = (message: string): StsError => new StsError('ValidationError', 400, message);

/** 400 InvalidParameterValue (the tag rules). */
export const invalidParameterValue = (message: string): StsError => new StsError('InvalidParameterValue', 400, message);

/** 403 for temporary credentials past their Expiration. */
export const expiredToken = (): StsError =>
  new StsError('ExpiredToken', 403, 'The security token included in the request is expired');

/** 403 for a key the emulator never issued. */
export const invalidClientTokenId = (): StsError =>
  new StsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.');

/** 403 in a region the account has not enabled. */
export const regionDisabled = (account: string): StsError =>
  new StsError(
    'RegionDisabledException',
    403,
    `STS is not activated in this region for account:${account}. Your account administrator can activate STS in this region using the IAM Console.`,
  );

/** 400 for an Action (or Version) STS does not have. */
export const invalidAction = (action: string, version: string): StsError =>
  new StsError('InvalidAction', 400, `Could not find operation ${action} for version ${version}`);

/** 400 Throttling, as injected by fault rules (the SDK retries it). */
export const throttling = (): StsError => new StsError('Throttling', 400, 'Rate exceeded');

/** 500 InternalFailure, as injected by fault rules. */
export const internalFailure = (): StsError =>
  new StsError('InternalFailure', 500, 'An internal error occurred.', 'Receiver');
