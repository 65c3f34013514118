import type { Reply } from '../core/http.js';
import { parseJsonObject } from '../core/http.js';
import type { Place } from '../core/place.js';
import { createAlias, deleteAlias, getAlias, listAliases, updateAlias } from './aliases.js';
import type { LambdaContext, LambdaHandler } from './context.js';
import { LambdaError } from './errors.js';
import { createFunction, deleteFunction, getFunction, getFunctionConfiguration, listFunctions } from './functions.js';
import { functionArn, qualifiedArn } from './names.js';
import { listTags, tagResource, untagResource } from './tags.js';
import { publishVersion, updateFunctionCode, updateFunctionConfiguration } from './updates.js';
import { listVersionsByFunction } from './versions.js';

interface Route {
  method: string;
  pattern: RegExp;
  labels: string[];
  operation: string;
  handler: LambdaHandler;
}

const F = '/2015-03-31/functions';
const SEGMENT = '([^/]+)';

function route(method: string, path: string, operation: string, handler: LambdaHandler): Route {
  const labels: string[] = [];
  const source = path.replace(/\{(\w+)\}/g, (_, label: string) => {
    labels.push(label);
    return SEGMENT;
  });
  return { method, pattern: new RegExp(`^${source}/?$`), labels, operation, handler };
}

const ROUTES: Route[] = [
  route('POST', F, 'CreateFunction', createFunction),
  route('GET', F, 'ListFunctions', listFunctions),
  route('GET', `${F}/{FunctionName}`, 'GetFunction', getFunction),
  route('DELETE', `${F}/{FunctionName}`, 'DeleteFunction', deleteFunction),
  route('GET', `${F}/{FunctionName}/configuration`, 'GetFunctionConfiguration', getFunctionConfiguration),
  route('PUT', `${F}/{FunctionName}/configuration`, 'UpdateFunctionConfiguration', updateFunctionConfiguration),
  route('PUT', `${F}/{FunctionName}/code`, 'UpdateFunctionCode', updateFunctionCode),
  route('POST', `${F}/{FunctionName}/versions`, 'PublishVersion', publishVersion),
  route('GET', `${F}/{FunctionName}/versions`, 'ListVersionsByFunction', listVersionsByFunction),
  route('POST', `${F}/{FunctionName}/aliases`, 'CreateAlias', createAlias),
  route('GET', `${F}/{FunctionName}/aliases`, 'ListAliases', listAliases),
  route('GET', `${F}/{FunctionName}/aliases/{Name}`, 'GetAlias', getAlias),
  route('PUT', `${F}/{FunctionName}/aliases/{Name}`, 'UpdateAlias', updateAlias),
  route('DELETE', `${F}/{FunctionName}/aliases/{Name}`, 'DeleteAlias', deleteAlias),
  route('POST', '/2017-03-31/tags/{ARN}', 'TagResource', tagResource),
  route('DELETE', '/2017-03-31/tags/{ARN}', 'UntagResource', untagResource),
  route('GET', '/2017-03-31/tags/{ARN}', 'ListTags', listTags),
];

/** Who calls, and where: what a Lambda call needs beyond the HTTP request itself. */
export interface LambdaCaller {
  place: Place;
  callerArn: string;
}

/** A Lambda request matched to its operation, not yet run (so that faults can be decided first). */
export interface LambdaCall {
  operation: string;
  /** Decoded path labels (CloudTrail records them as request parameters). */
  labels: Record<string, string>;
  query: URLSearchParams;
  run(body: Buffer, caller: LambdaCaller, ctx: LambdaContext): Reply;
}

/** True when the path belongs to the Lambda REST API. */
export function isLambdaPath(path: string): boolean {
  return path.startsWith('/2015-03-31/') || path.startsWith('/2017-03-31/');
}

/** Matches a method and path (with its query) to a Lambda operation. */
export function matchLambda(method: string, pathname: string, query: URLSearchParams): LambdaCall | undefined {
  for (const r of ROUTES) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    const labels: Record<string, string> = {};
    r.labels.forEach((label, i) => {
      labels[label] = decodeURIComponent(m[i + 1] ?? '');
    });
    return {
      operation: r.operation,
      labels,
      query,
      run(body, caller, ctx) {
        const parsed = parseJsonObject(body);
        if (!parsed)
          return new LambdaError(
            'InvalidRequestContentException',
            400,
            'Could not parse request body into json',
          ).toReply();
        try {
          return r.handler({ ...caller, operation: r.operation, labels, query, body: parsed }, ctx);
        } catch (error) {
          if (error instanceof LambdaError) return error.toReply();
          throw error;
        }
      },
    };
  }
  return undefined;
}

/**
 * The resource an IAM refusal names: the function (qualified when the request names a qualifier) in the caller's
 * place (CreateFunction names it in its body), the ARN given to the tagging operations, or `*` for ListFunctions,
 * which has no resource.
 */
export function resourceOf(call: LambdaCall, p: Place, body: Buffer): string {
  if (call.labels.ARN !== undefined) return call.labels.ARN;
  const named = call.operation === 'CreateFunction' ? parseJsonObject(body)?.FunctionName : undefined;
  const label = typeof named === 'string' ? named : call.labels.FunctionName;
  if (label === undefined) return '*';
  const parts = /^(?:.*function:)?([^:]+)(?::(.+))?$/.exec(label);
  const name = parts?.[1] ?? label;
  const qualifier = parts?.[2] ?? call.query.get('Qualifier') ?? undefined;
  return qualifier === undefined ? functionArn(p, name) : qualifiedArn(p, name, qualifier);
}

/** The answer for a path under the Lambda API that names no operation. */
export function unknownLambdaOperation(): Reply {
  return new LambdaError('UnknownOperationException', 404, 'Unknown operation', 'message', undefined).toReply();
}
