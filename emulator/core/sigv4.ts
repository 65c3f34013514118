import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_REGION } from './place.js';

/** What a request's SigV4 signature says about who sent it and where. The signature itself is never checked. */
export interface Signing {
  /** The access key ID of `Credential=KEY/…`; undefined for an unsigned request. */
  accessKeyId: string | undefined;
  /** The region of the credential scope, or us-east-1 for an unsigned request. */
  region: string;
  /** The service of the credential scope (`lambda`, `monitoring`, `sts`, `cloudtrail`), if signed. */
  service: string | undefined;
  /** `X-Amz-Security-Token`, sent with temporary credentials. */
  sessionToken: string | undefined;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Reads the access key, region and service from the `Authorization` header's credential scope, or from a presigned
 * URL's `X-Amz-Credential`; the emulator trusts whoever can reach it, so the signature is not verified.
 *
 * @example
 * signingOf({ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/lambda/aws4_request, …' }, query)
 * // { accessKeyId: 'AKID', region: 'eu-west-1', service: 'lambda', sessionToken: undefined }
 */
export function signingOf(headers: IncomingHttpHeaders, query: URLSearchParams): Signing {
  const header = first(headers.authorization);
  const presigned = query.get('X-Amz-Credential');
  const scope = header ?? (presigned === null ? undefined : `Credential=${presigned}`);
  const match = scope ? CREDENTIAL.exec(scope) : null;
  return {
    accessKeyId: match?.[1],
    region: match?.[2] ?? DEFAULT_REGION,
    service: match?.[3],
    sessionToken: first(headers['x-amz-security-token']) ?? query.get('X-Amz-Security-Token') ?? undefined,
  };
}
