import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from '../core/http.js';
import type { Signing } from '../core/sigv4.js';
import { xmlDocument } from '../core/xml.js';
import { assumeRole } from './assume-role.js';
import { getCallerIdentity } from './caller-identity.js';
import type { AssumedRole, StsContext, StsHandler } from './context.js';
import { invalidAction, STS_NAMESPACE, StsError } from './errors.js';
import { parseQuery, type QueryInput } from './form.js';

const VERSION = '2011-06-15';

const OPERATIONS: Record<string, StsHandler> = {
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
};

/**
 * True for an STS call: a POST to `/` signed for the `sts` service, or unsigned with a Query-protocol form body
 * (`Action=…&Version=2011-06-15`). A form body signed for another service (CloudWatch's old Query protocol) is not. CloudWatch and CloudTrail, also POSTed to `/`, are told apart by X-Amz-Target first.
 */
export function isStsRequest(
  method: string,
  pathname: string,
  headers: IncomingHttpHeaders,
  signing: Signing,
): boolean {
  if (method !== 'POST' || pathname !== '/') return false;
  if (signing.service !== undefined) return signing.service === 'sts';
  // Unsigned: a form body is the Query protocol, which only STS speaks here.
  return (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** An STS request, decoded: its Action (the operation's name) and its members. */
export interface StsRequest {
  action: string;
  version: string;
  input: QueryInput;
}

/** Decodes a Query-protocol body. */
export function readStsRequest(body: Buffer): StsRequest {
  const input = parseQuery(body.toString('utf8'));
  return { action: input.get('Action') ?? '', version: input.get('Version') ?? '', input };
}

/**
 * Runs one STS call and writes its XML answer (`<OpResponse><OpResult>…</OpResult><ResponseMetadata><RequestId>`),
 * or its error. The request id in the body is the one sent in `x-amzn-RequestId`, where the SDK reads it.
 */
export function runSts(
  request: StsRequest,
  ctx: StsContext,
  requestId: string,
): { reply: Reply; assumed?: AssumedRole } {
  const handler = request.version === VERSION ? OPERATIONS[request.action] : undefined;
  try {
    if (!handler) throw invalidAction(request.action, request.version);
    const result = handler(request.input, ctx);
    const text = xmlDocument(STS_NAMESPACE, [
      `${request.action}Response`,
      [
        [`${request.action}Result`, result.members],
        ['ResponseMetadata', [['RequestId', requestId]]],
      ],
    ]);
    return {
      reply: { status: 200, contentType: 'text/xml', text },
      ...(result.assumed ? { assumed: result.assumed } : {}),
    };
  } catch (error) {
    if (error instanceof StsError) return { reply: error.toReply(requestId) };
    throw error;
  }
}
