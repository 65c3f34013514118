import type { Reply } from '../core/http.js';
import { xmlText } from './xml.js';

/**
 * An S3 error as the REST-XML protocol sends it: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>` with
 * the fields S3 adds for that error (`Key`, `BucketName`, `ArgumentName`, …) between the message and the request id.
 * The SDK names the error after `Code`; a HEAD request gets the status and headers only, as S3 sends them.
 */
export class S3Error extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fields: [string, string][] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toReply(requestId: string): Reply {
    const fields = this.fields.map(([name, value]) => `<${name}>${xmlText(value)}</${name}>`).join('');
    return {
      status: this.status,
      headers: { ...s3RequestHeaders(requestId), ...this.headers },
      contentType: 'application/xml',
      text:
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<Error><Code>${this.code}</Code><Message>${xmlText(this.message)}</Message>${fields}` +
        `<RequestId>${s3RequestId(requestId)}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`,
    };
  }
}

/** S3's request ids are 16 upper-case hex digits; the emulator derives one from its own request id. */
export function s3RequestId(requestId: string): string {
  return requestId.replace(/-/g, '').slice(0, 16).toUpperCase();
}

const hostId = (requestId: string): string => Buffer.from(requestId).toString('base64');

/** `x-amz-request-id` and `x-amz-id-2`, which the SDK reads into `$metadata`. */
export function s3RequestHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': s3RequestId(requestId), 'x-amz-id-2': hostId(requestId) };
}

export const noSuchBucket = (bucket: string): S3Error =>
  new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', [['BucketName', bucket]]);

export const noSuchKey = (key: string, headers: Record<string, string> = {}): S3Error =>
  new S3Error('NoSuchKey', 404, 'The specified key does not exist.', [['Key', key]], headers);

export const noSuchVersion = (key: string, versionId: string): S3Error =>
  new S3Error('NoSuchVersion', 404, 'The specified version does not exist.', [
    ['Key', key],
    ['VersionId', versionId],
  ]);

export const invalidVersionId = (versionId: string): S3Error =>
  invalidArgument('Invalid version id specified', 'versionId', versionId);

export const invalidArgument = (message: string, name: string, value?: string): S3Error =>
  new S3Error('InvalidArgument', 400, message, [
    ['ArgumentName', name],
    ...(value === undefined ? [] : [['ArgumentValue', value] as [string, string]]),
  ]);

export const invalidRequest = (message: string): S3Error => new S3Error('InvalidRequest', 400, message);

export const malformedXml = (): S3Error =>
  new S3Error(
    'MalformedXML',
    400,
    'The XML you provided was not well-formed or did not validate against our published schema',
  );

export const bucketAlreadyOwnedByYou = (bucket: string): S3Error =>
  new S3Error(
    'BucketAlreadyOwnedByYou',
    409,
    'Your previous request to create the named bucket succeeded and you already own it.',
    [['BucketName', bucket]],
  );

export const bucketAlreadyExists = (bucket: string): S3Error =>
  new S3Error(
    'BucketAlreadyExists',
    409,
    'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    [['BucketName', bucket]],
  );

export const invalidBucketName = (bucket: string): S3Error =>
  new S3Error('InvalidBucketName', 400, 'The specified bucket is not valid.', [['BucketName', bucket]]);

/** The object version is under retention (or the bypass was not asked for): the same words for every case. */
export const lockedByObjectLock = (): S3Error =>
  new S3Error('AccessDenied', 403, 'Access Denied because object protected by object lock.');

export const missingLockConfiguration = (): S3Error => invalidRequest('Bucket is missing Object Lock Configuration');

export const methodNotAllowed = (method: string): S3Error =>
  new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.', [
    ['Method', method],
    ['ResourceType', 'DeleteMarker'],
  ]);

export const preconditionFailed = (condition: string): S3Error =>
  new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', [
    ['Condition', condition],
  ]);

export const notImplemented = (header: string, detail: string): S3Error =>
  new S3Error('NotImplemented', 501, 'A header you provided implies functionality that is not implemented', [
    ['Header', header],
    ['additionalMessage', detail],
  ]);

/** 501 for a request S3 knows that the emulator does not speak. */
export const unknownOperation = (what: string): S3Error =>
  new S3Error('NotImplemented', 501, `The emulator does not implement S3 ${what}.`);

/** Another account's bucket: without a bucket policy nothing is allowed. */
export const accessDenied = (callerArn: string, action: string, resource: string, why: string): S3Error =>
  new S3Error(
    'AccessDenied',
    403,
    `User: ${callerArn} is not authorized to perform: ${action} on resource: "${resource}" because no ${why} allows the ${action} action`,
  );

/** A bucket of another region, asked through this region's endpoint. */
export const permanentRedirect = (bucket: string, region: string): S3Error =>
  new S3Error(
    'PermanentRedirect',
    301,
    'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
    [
      ['Endpoint', `${bucket}.s3.${region}.amazonaws.com`],
      ['Bucket', bucket],
    ],
    { 'x-amz-bucket-region': region },
  );

export const invalidAccessKeyId = (accessKeyId: string): S3Error =>
  new S3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', [
    ['AWSAccessKeyId', accessKeyId],
  ]);

export const expiredToken = (): S3Error => new S3Error('ExpiredToken', 400, 'The provided token has expired.');

/** 503 SlowDown, S3's throttling (the SDK retries it), as injected by fault rules. */
export const slowDown = (): S3Error => new S3Error('SlowDown', 503, 'Please reduce your request rate.');

/** 500, as injected by fault rules. */
export const internalError = (): S3Error =>
  new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
