import type { Reply } from '../core/http.js';
import { parseJsonObject } from '../core/http.js';
import type { ApiCall } from './record.js';

/** The Lambda writes CloudTrail records, by operation, under the versioned event names Lambda gives them. */
const EVENT_NAMES: Record<string, string> = {
  CreateFunction: 'CreateFunction20150331',
  UpdateFunctionCode: 'UpdateFunctionCode20150331v2',
  UpdateFunctionConfiguration: 'UpdateFunctionConfiguration20150331v2',
  DeleteFunction: 'DeleteFunction20150331',
  PublishVersion: 'PublishVersion20150331',
  CreateAlias: 'CreateAlias20150331',
  UpdateAlias: 'UpdateAlias20150331',
  DeleteAlias: 'DeleteAlias20150331',
  TagResource: 'TagResource20170331v2',
  UntagResource: 'UntagResource20170331v2',
};

/** The event name of a Lambda write, or undefined for an operation the emulator does not record (the reads). */
export function lambdaEventName(operation: string): string | undefined {
  return EVENT_NAMES[operation];
}

/** Maps whose keys are data (version numbers, tag keys), not member names: kept as they are. */
const MAPS = new Set(['AdditionalVersionWeights', 'Tags']);
/** Environment variable values never reach a record (the bot must not show them either). */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** A request or response body with CloudTrail's camelCase member names; the zip itself is never recorded. */
function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (key === 'ZipFile') continue;
    const name = key.charAt(0).toLowerCase() + key.slice(1);
    if (key === 'Variables') out[name] = HIDDEN;
    else out[name] = MAPS.has(key) ? { ...(member as object) } : camelize(member);
  }
  return out;
}

/** The function a call is about, by name: from a name, a partial or full ARN, with or without a qualifier. */
function functionName(label: string): string {
  return /(?:^|:)function:([^:]+)/.exec(label)?.[1] ?? label.split(':')[0] ?? label;
}

/** What a Lambda call was, for {@link lambdaApiCall}: its operation, path labels, query, body and answer. */
export interface LambdaExchange {
  operation: string;
  labels: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  reply: Reply;
}

/**
 * The parts of a Lambda write's record that come from the call itself: the event name, the request parameters
 * (path labels and query included, camelCase), the response elements or the error, and the function as resource.
 */
export function lambdaApiCall(
  exchange: LambdaExchange,
):
  | Pick<
      ApiCall,
      'eventSource' | 'eventName' | 'readOnly' | 'requestParameters' | 'responseElements' | 'error' | 'resources'
    >
  | undefined {
  const eventName = lambdaEventName(exchange.operation);
  if (eventName === undefined) return undefined;
  const { labels, query, reply } = exchange;
  const body = parseJsonObject(exchange.body) ?? {};
  const tagKeys = query.getAll('tagKeys');
  const requestParameters: Record<string, unknown> = {
    ...(labels.FunctionName === undefined ? {} : { functionName: labels.FunctionName }),
    ...(labels.Name === undefined ? {} : { name: labels.Name }),
    ...(labels.ARN === undefined ? {} : { resource: labels.ARN }),
    ...(camelize(body) as Record<string, unknown>),
    ...(query.has('Qualifier') ? { qualifier: query.get('Qualifier') } : {}),
    ...(tagKeys.length > 0 ? { tagKeys } : {}),
  };
  const named = labels.FunctionName ?? labels.ARN ?? (typeof body.FunctionName === 'string' ? body.FunctionName : '');
  const failed = reply.status >= 400;
  const answer = (reply.body ?? {}) as { Message?: unknown; message?: unknown };
  const message = typeof answer.Message === 'string' ? answer.Message : answer.message;
  return {
    eventSource: 'lambda.amazonaws.com',
    eventName,
    readOnly: false,
    requestParameters,
    ...(failed
      ? {
          error: {
            code: reply.headers?.['x-amzn-errortype'] ?? 'InternalFailure',
            message: typeof message === 'string' ? message : undefined,
          },
        }
      : { responseElements: reply.body === undefined ? null : (camelize(reply.body) as Record<string, unknown>) }),
    resources: [{ ResourceType: 'AWS::Lambda::Function', ResourceName: functionName(named) }],
  };
}
