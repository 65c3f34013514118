import type { Reply } from '../core/http.js';
import type { LambdaRequest } from './context.js';

/**
 * A Lambda error as AWS sends it: the `x-amzn-errortype` header names the error (the SDK reads it first), and the
 * body carries the message under the key AWS uses for that error, `Message` for some and `message` for others.
 */
export class LambdaError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** `Message` or `message`, as recorded against AWS for this error. */
    readonly messageKey: 'Message' | 'message' = 'message',
    /** AWS sends `Type: "User"` on most, but not all, Lambda errors. */
    readonly type: string | undefined = 'User',
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toReply(): Reply {
    const body: Record<string, unknown> = {};
    if (this.type !== undefined) body.Type = this.type;
    body[this.messageKey] = this.message;
    Object.assign(body, this.extra);
    return { status: this.status, headers: { 'x-amzn-errortype': this.code, ...this.headers }, body };
  }
}

/** 404, e.g. "Function not found: arn:…". */
export const notFound = (message: string): LambdaError =>
  new LambdaError('ResourceNotFoundException', 404, message, 'Message');

/** 409, e.g. an update in progress or an alias that exists. */
export const conflict = (message: string): LambdaError => new LambdaError('ResourceConflictException', 409, message);

/** 412 on a RevisionId that is not the current one. */
export const revisionMismatch = (): LambdaError =>
  new LambdaError(
    'PreconditionFailedException',
    412,
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
  );

/** 400 InvalidParameterValueException; a few AWS answers carry no `Type`, hence the option. */
export const invalidParameter = (message: string, withType = true): LambdaError =>
  new LambdaError('InvalidParameterValueException', 400, message, 'message', withType ? 'User' : undefined);

/** 400 ValidationException: unmodelled, so the SDK surfaces it by name with a generic class. */
export const validation = (message: string): LambdaError =>
  new LambdaError('ValidationException', 400, message, 'message', undefined);

/** A single-constraint validation message in the form AWS's request validator writes. */
export const validationMessage = (value: string, field: string, constraint: string): string =>
  `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`;

/** 429 as Lambda throttles callers: the SDK treats it as throttling and honours `Retry-After`. */
export const tooManyRequests = (retryAfterSeconds: number): LambdaError =>
  new LambdaError(
    'TooManyRequestsException',
    429,
    'Rate exceeded',
    'message',
    'User',
    { Reason: 'CallerRateLimitExceeded' },
    { 'retry-after': String(retryAfterSeconds) },
  );

/** 500 ServiceException, as injected by the fault rules. */
export const serviceException = (): LambdaError =>
  new LambdaError('ServiceException', 500, 'An internal error occurred. Please try again.', 'Message', 'Service');

/**
 * 403 for a function of another account. AWS recorded CreateFunction's answer with no message at all; for the
 * other operations the emulator uses the wording AWS gives when no resource-based policy grants the caller access.
 */
export const crossAccountDenied = (req: LambdaRequest, arn: string): LambdaError =>
  req.operation === 'CreateFunction'
    ? new LambdaError('AccessDeniedException', 403, '', 'Message', 'User', { Message: null })
    : new LambdaError(
        'AccessDeniedException',
        403,
        `User: ${req.callerArn} is not authorized to perform: lambda:${req.operation} on resource: ${arn} because no resource-based policy allows the lambda:${req.operation} action`,
        'Message',
      );

/** 403 for a session whose role was deleted: nothing grants it any Lambda action any more. */
export const identityDenied = (callerArn: string, operation: string, arn: string): LambdaError =>
  new LambdaError(
    'AccessDeniedException',
    403,
    `User: ${callerArn} is not authorized to perform: lambda:${operation} on resource: ${arn} because no identity-based policy allows the lambda:${operation} action`,
    'Message',
  );

/** 403 for a key the emulator never issued, or any key in a region its account has not enabled. */
export const unrecognizedClient = (): LambdaError =>
  new LambdaError(
    'UnrecognizedClientException',
    403,
    'The security token included in the request is invalid.',
    'message',
    undefined,
  );

/** 403 for temporary credentials past their Expiration (on the emulator's clock). */
export const expiredToken = (): LambdaError =>
  new LambdaError(
    'ExpiredTokenException',
    403,
    'The security token included in the request is expired',
    'message',
    undefined,
  );
