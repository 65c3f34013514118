import type { Reply } from '../core/http.js';

/**
 * A CloudWatch error in the AWS JSON 1.0 "query-compatible" form: the SDK takes the error's name from the
 * `x-amzn-query-error: Code;Sender` header, so that header carries the Query error code, and the status is the
 * Query status when the client sent `x-amzn-query-mode: true` (400 for every client error otherwise).
 */
export class CloudWatchError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string | undefined,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message ?? '');
    this.hasMessage = message !== undefined;
  }

  private readonly hasMessage: boolean;

  toReply(queryMode: boolean): Reply {
    const body: Record<string, unknown> = { __type: `com.amazonaws.cloudwatch#${this.code}` };
    // Some AWS errors (SetAlarmState on an unknown alarm) carry no message at all.
    if (this.hasMessage) body.message = this.message;
    return {
      status: queryMode || this.status >= 500 ? this.status : 400,
      headers: { 'x-amzn-query-error': `${this.code};${this.fault}` },
      body,
      contentType: 'application/x-amz-json-1.0',
    };
  }
}

/** ValidationError (400): the request validator's "1 validation error detected: …" messages. */
export const validationError = (message: string): CloudWatchError =>
  new CloudWatchError('ValidationError', 400, message);

/** InvalidParameterValue (400). */
export const invalidValue = (message: string): CloudWatchError =>
  new CloudWatchError('InvalidParameterValue', 400, message);

/** InvalidParameterCombination (400). */
export const invalidCombination = (message: string): CloudWatchError =>
  new CloudWatchError('InvalidParameterCombination', 400, message);

/** MissingParameter (400). */
export const missingParameter = (message: string): CloudWatchError =>
  new CloudWatchError('MissingParameter', 400, message);

/** ResourceNotFound (404). */
export const resourceNotFound = (message?: string): CloudWatchError =>
  new CloudWatchError('ResourceNotFound', 404, message);

/** InvalidNextToken (400). */
export const invalidNextToken = (): CloudWatchError =>
  new CloudWatchError('InvalidNextToken', 400, 'The service cannot find the specified NextToken.');

/** Throttling (400 with the Sender fault), as CloudWatch rate-limits callers. */
export const throttling = (): CloudWatchError => new CloudWatchError('Throttling', 400, 'Rate exceeded');

/** InternalServiceError (500), as injected by fault rules. */
export const internalError = (): CloudWatchError =>
  new CloudWatchError('InternalServiceError', 500, 'Internal service error', 'Receiver');

/** The request validator's message for one failed constraint. */
export const constraintMessage = (value: string, field: string, constraint: string): string =>
  `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`;

/** 403 InvalidClientTokenId: a key the emulator never issued, or any key in a region its account has not enabled. */
export const invalidClientTokenId = (): CloudWatchError =>
  new CloudWatchError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.');

/** 403 ExpiredToken: temporary credentials past their Expiration. */
export const expiredToken = (): CloudWatchError =>
  new CloudWatchError('ExpiredToken', 403, 'The security token included in the request is expired');

/** 403 AccessDenied for a session whose role was deleted. CloudWatch's actions are named without a resource. */
export const accessDenied = (callerArn: string, operation: string): CloudWatchError =>
  new CloudWatchError(
    'AccessDenied',
    403,
    `User: ${callerArn} is not authorized to perform: cloudwatch:${operation} because no identity-based policy allows the cloudwatch:${operation} action`,
  );
