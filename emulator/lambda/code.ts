import { createHash } from 'node:crypto';
import { invalidParameter } from './errors.js';

/** The hash and size of a deployment package, as Lambda reports them. */
export interface CodeIdentity {
  CodeSha256: string;
  CodeSize: number;
}

/**
 * Computes CodeSha256 (base64 of the SHA-256 of the zip) and CodeSize from a `Code`/UpdateFunctionCode input.
 * S3 and image packages cannot be fetched here, so their hash is taken over their location, which changes exactly
 * when the location does.
 */
export function codeIdentity(input: Record<string, unknown>): CodeIdentity {
  if (typeof input.ZipFile === 'string') {
    const zip = Buffer.from(input.ZipFile, 'base64');
    return { CodeSha256: createHash('sha256').update(zip).digest('base64'), CodeSize: zip.length };
  }
  const location =
    typeof input.S3Bucket === 'string'
      ? `s3://${input.S3Bucket}/${String(input.S3Key ?? '')}@${String(input.S3ObjectVersion ?? '')}`
      : typeof input.ImageUri === 'string'
        ? input.ImageUri
        : undefined;
  if (location === undefined) {
    throw invalidParameter('Please provide a source for function code.');
  }
  return { CodeSha256: createHash('sha256').update(location).digest('base64'), CodeSize: 0 };
}
