import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { App } from './app.js';
import { CONTROL_PREFIX, handleControl } from './control/router.js';
import { readBody, writeReply } from './core/http.js';
import { newUuid } from './core/ids.js';
import type { Place } from './core/place.js';
import { signingOf } from './core/sigv4.js';
import { admit, matchCall } from './dispatch.js';
import { isS3Request } from './s3/router.js';

/**
 * Handles one HTTP request: the control API, or an AWS call. For an AWS call the emulator reads who is calling
 * (the access key of the SigV4 scope) and where (that key's account, the scope's region), counts the call there,
 * decides any injected fault before the operation runs (so a faulted call never changes state), waits out injected
 * latency, catches up with the clock (finishing updates, simulating traffic, evaluating alarms), refuses credentials
 * AWS would refuse, and only then runs the operation.
 */
export async function handleRequest(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newUuid();
  try {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const control = url.pathname.startsWith(CONTROL_PREFIX);
    const signing = signingOf(req.headers, url.searchParams);
    const body = await readBody(req, control || !isS3Request(req.headers, signing));
    if (control) {
      app.scheduler.sync();
      writeReply(res, handleControl(app, req.method ?? 'GET', url, body), requestId);
      return;
    }
    const call = matchCall(app, req, url, body, signing);
    if (!('service' in call)) {
      writeReply(res, call, requestId);
      return;
    }
    const auth = app.iam.authenticate(signing, app.clock.now());
    const place: Place = { account: auth.ok ? auth.caller.account : auth.account, region: signing.region };
    app.calls.record(call.service, call.operation, place, {
      path: url.pathname,
      at: app.clock.now(),
      caller: auth.ok ? auth.caller.arn : undefined,
    });
    const decision = app.faults.decide(call.service, call.operation, place);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    app.scheduler.sync();
    if (decision.fault) {
      writeReply(res, call.faultReply(decision.fault, decision.retryAfterSeconds, requestId), requestId);
      return;
    }
    const admitted = admit(app, call, auth, place);
    const reply = admitted.refusal
      ? call.refuse(admitted.refusal, requestId)
      : call.run({ caller: admitted.caller, place, requestId });
    writeReply(res, reply, requestId);
  } catch (error) {
    writeReply(res, { status: 500, body: { message: `emulator error: ${(error as Error).message}` } }, requestId);
  }
}
