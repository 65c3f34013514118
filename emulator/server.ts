import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { App } from './app.js';
import { internalError, throttling } from './cloudwatch/errors.js';
import { cloudWatchOperation, runCloudWatch } from './cloudwatch/router.js';
import type { AwsService } from './control/faults.js';
import { CONTROL_PREFIX, handleControl } from './control/router.js';
import { type Reply, readBody, writeReply } from './core/http.js';
import { newUuid } from './core/ids.js';
import { DEFAULT_ACCOUNT, isAccountId, type Place } from './core/place.js';
import { signingOf } from './core/sigv4.js';
import { serviceException, tooManyRequests } from './lambda/errors.js';
import { isLambdaPath, matchLambda, unknownLambdaOperation } from './lambda/router.js';

/** Who sent an AWS call and where it acts. */
interface Caller {
  place: Place;
  arn: string;
}

/** One AWS call, matched to its service and operation, ready to run once faults have been decided. */
interface Call {
  service: AwsService;
  operation: string;
  run(caller: Caller): Reply;
  faultReply(kind: 'throttle' | 'error5xx', retryAfterSeconds: number): Reply;
}

function matchCall(app: App, req: IncomingMessage, url: URL, body: Buffer): Call | Reply {
  const target = req.headers['x-amz-target'];
  const cwOperation = cloudWatchOperation(Array.isArray(target) ? target[0] : target);
  if (cwOperation !== undefined && req.method === 'POST') {
    const queryMode = req.headers['x-amzn-query-mode'] === 'true';
    return {
      service: 'cloudwatch',
      operation: cwOperation,
      run: (caller) => runCloudWatch(cwOperation, body, caller.place, queryMode, app.cloudwatch, app.clock),
      faultReply: (kind) => (kind === 'throttle' ? throttling() : internalError()).toReply(queryMode),
    };
  }
  if (isLambdaPath(url.pathname)) {
    const call = matchLambda(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!call) return unknownLambdaOperation();
    return {
      service: 'lambda',
      operation: call.operation,
      run: (caller) =>
        call.run(
          body,
          { place: caller.place, callerArn: caller.arn },
          { store: app.lambda, clock: app.clock, lifecycle: app.lifecycle },
        ),
      faultReply: (kind, retryAfter) =>
        (kind === 'throttle' ? tooManyRequests(retryAfter) : serviceException()).toReply(),
    };
  }
  return { status: 404, body: { message: `No AWS operation at ${req.method} ${url.pathname}` } };
}

/** The caller of a request: a 12-digit access key ID is the root of that account; any other key is account 0. */
function callerOf(req: IncomingMessage, url: URL): Caller {
  const signing = signingOf(req.headers, url.searchParams);
  const account = isAccountId(signing.accessKeyId) ? signing.accessKeyId : DEFAULT_ACCOUNT;
  return { place: { account, region: signing.region }, arn: `arn:aws:iam::${account}:root` };
}

/**
 * Handles one HTTP request: the control API, or an AWS call. For an AWS call the emulator first catches up with
 * the clock (finishing updates, simulating traffic, evaluating alarms), counts the call, decides any injected
 * fault before the operation runs (so a faulted call never changes state), waits out injected latency, then runs it.
 */
export async function handleRequest(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newUuid();
  try {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = await readBody(req);
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      app.scheduler.sync();
      writeReply(res, handleControl(app, req.method ?? 'GET', url, body), requestId);
      return;
    }
    const call = matchCall(app, req, url, body);
    if (!('service' in call)) {
      writeReply(res, call, requestId);
      return;
    }
    const caller = callerOf(req, url);
    app.calls.record(call.service, call.operation, caller.place);
    const decision = app.faults.decide(call.service, call.operation, caller.place);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    app.scheduler.sync();
    const reply = decision.fault ? call.faultReply(decision.fault, decision.retryAfterSeconds) : call.run(caller);
    writeReply(res, reply, requestId);
  } catch (error) {
    writeReply(res, { status: 500, body: { message: `emulator error: ${(error as Error).message}` } }, requestId);
  }
}
