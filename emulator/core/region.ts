/** The region used when a request carries no SigV4 credential scope. */
export const DEFAULT_REGION = 'us-east-1';

/** The single account every resource belongs to. */
export const ACCOUNT_ID = '000000000000';

const CREDENTIAL_SCOPE = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\//;

/**
 * Reads the region from a SigV4 `Authorization` header's credential scope. The signature itself is never checked:
 * the emulator trusts whoever can reach it.
 *
 * @example
 * regionFromAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20261126/eu-west-1/lambda/aws4_request, ...') // 'eu-west-1'
 */
export function regionFromAuthorization(header: string | undefined): string {
  const match = header ? CREDENTIAL_SCOPE.exec(header) : null;
  return match?.[1] ?? DEFAULT_REGION;
}
