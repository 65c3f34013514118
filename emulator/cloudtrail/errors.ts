import type { Reply } from '../core/http.js';

/** The content type of AWS JSON 1.1 answers. */
export const JSON_11 = 'application/x-amz-json-1.1';

/**
 * A CloudTrail error in AWS JSON 1.1: 400 `{"__type": "<Shape>", "message": …}`. The SDK names the error after
 * `__type`, so the shape names are used (`InvalidLookupAttributesException`, whose Query code is
 * `InvalidLookupAttributes`).
 */
export class CloudTrailError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  toReply(): Reply {
    return { status: this.status, contentType: JSON_11, body: { __type: this.type, message: this.message } };
  }
}

/** More than one lookup attribute, an unknown key, or a value of the wrong length. */
export const invalidLookupAttributes = (message: string): CloudTrailError =>
  new CloudTrailError('InvalidLookupAttributesException', message);

/** StartTime after EndTime (or a time that cannot be read). */
export const invalidTimeRange = (): CloudTrailError =>
  new CloudTrailError('InvalidTimeRangeException', 'Start time must be earlier than end time.');

/** MaxResults outside 1–50. */
export const invalidMaxResults = (): CloudTrailError =>
  new CloudTrailError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');

/** A NextToken not made by this emulator for the same parameters. */
export const invalidNextToken = (): CloudTrailError =>
  new CloudTrailError(
    'InvalidNextTokenException',
    'Invalid NextToken: it must come from a LookupEvents call with the same parameters.',
  );

/** An EventCategory other than `insight`. */
export const invalidEventCategory = (): CloudTrailError =>
  new CloudTrailError('InvalidEventCategoryException', 'EventCategory must be insight.');

/** 400 for a target CloudTrail has, but the emulator does not speak. */
export const unknownOperation = (operation: string): CloudTrailError =>
  new CloudTrailError('UnknownOperationException', `The emulator does not implement CloudTrail ${operation}.`);

/**
 * A key the emulator never issued, or a region switched off. Refusals of credentials are worded as AWS's JSON
 * services word them, with the status 400 those services answer.
 */
export const unrecognizedClient = (): CloudTrailError =>
  new CloudTrailError('UnrecognizedClientException', 'The security token included in the request is invalid.');

/** Temporary credentials past their Expiration. */
export const expiredToken = (): CloudTrailError =>
  new CloudTrailError('ExpiredTokenException', 'The security token included in the request is expired');

/** A session whose role was deleted. */
export const accessDenied = (callerArn: string): CloudTrailError =>
  new CloudTrailError(
    'AccessDeniedException',
    `User: ${callerArn} is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action`,
  );

/** ThrottlingException (429, retried by the SDK), as injected by fault rules. */
export const throttling = (): CloudTrailError => new CloudTrailError('ThrottlingException', 'Rate exceeded', 429);

/** 500, as injected by fault rules. */
export const internalFailure = (): CloudTrailError =>
  new CloudTrailError('InternalFailure', 'An internal error occurred.', 500);
