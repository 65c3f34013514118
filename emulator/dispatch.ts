import type { IncomingMessage } from 'node:http';
import type { App } from './app.js';
import type { Call, Refusal } from './call.js';
import * as ct from './cloudtrail/errors.js';
import { lambdaApiCall } from './cloudtrail/lambda-events.js';
import { trailEvent } from './cloudtrail/record.js';
import { cloudTrailOperation, runCloudTrail } from './cloudtrail/router.js';
import { assumeRoleApiCall } from './cloudtrail/sts-events.js';
import * as cw from './cloudwatch/errors.js';
import { cloudWatchOperation, runCloudWatch } from './cloudwatch/router.js';
import type { Reply } from './core/http.js';
import type { Place } from './core/place.js';
import type { Signing } from './core/sigv4.js';
import type { Authentication, Caller } from './iam/identity.js';
import * as lambda from './lambda/errors.js';
import { isLambdaPath, matchLambda, resourceOf, unknownLambdaOperation } from './lambda/router.js';
import * as s3 from './s3/errors.js';
import { isS3Request, matchS3, s3Address } from './s3/router.js';
import * as sts from './sts/errors.js';
import { isStsRequest, readStsRequest, runSts } from './sts/router.js';

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Where a call came from, as CloudTrail records it: the client's address and its User-Agent. */
function origin(req: IncomingMessage): { sourceIp: string; userAgent: string } {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return { sourceIp: address.replace(/^::ffff:/, ''), userAgent: header(req, 'user-agent') ?? '' };
}

function cloudWatchCall(app: App, req: IncomingMessage, operation: string, body: Buffer): Call {
  const queryMode = header(req, 'x-amzn-query-mode') === 'true';
  const refusal = (r: Refusal): cw.CloudWatchError => {
    switch (r.kind) {
      case 'invalid-token':
      case 'region-disabled':
        return cw.invalidClientTokenId();
      case 'expired-token':
        return cw.expiredToken();
      case 'denied':
        return cw.accessDenied(r.callerArn, operation);
    }
  };
  return {
    service: 'cloudwatch',
    operation,
    run: ({ place }) => runCloudWatch(operation, body, place, queryMode, app.cloudwatch, app.clock),
    faultReply: (kind) => (kind === 'throttle' ? cw.throttling() : cw.internalError()).toReply(queryMode),
    refuse: (r) => refusal(r).toReply(queryMode),
  };
}

function lambdaCall(app: App, req: IncomingMessage, url: URL, body: Buffer): Call | Reply {
  const call = matchLambda(req.method ?? 'GET', url.pathname, url.searchParams);
  if (!call) return unknownLambdaOperation();
  const refusal = (r: Refusal): lambda.LambdaError => {
    switch (r.kind) {
      case 'invalid-token':
      case 'region-disabled':
        return lambda.unrecognizedClient();
      case 'expired-token':
        return lambda.expiredToken();
      case 'denied':
        return lambda.identityDenied(r.callerArn, call.operation, resourceOf(call, r.place, body));
    }
  };
  return {
    service: 'lambda',
    operation: call.operation,
    run: ({ caller, place, requestId }) => {
      const atMs = app.clock.now();
      const reply = call.run(
        body,
        { place, callerArn: caller.arn },
        { store: app.lambda, clock: app.clock, lifecycle: app.lifecycle },
      );
      // Every write that reached Lambda is recorded, failed ones included, as CloudTrail records them.
      const recorded = lambdaApiCall({
        operation: call.operation,
        labels: call.labels,
        query: call.query,
        body,
        reply,
      });
      if (recorded) {
        app.trail.record(place, trailEvent({ ...recorded, place, caller, atMs, requestId, ...origin(req) }));
      }
      return reply;
    },
    faultReply: (kind, retryAfter) =>
      (kind === 'throttle' ? lambda.tooManyRequests(retryAfter) : lambda.serviceException()).toReply(),
    refuse: (r) => refusal(r).toReply(),
  };
}

function stsCall(app: App, req: IncomingMessage, body: Buffer): Call {
  const request = readStsRequest(body);
  const refusal = (r: Refusal): sts.StsError => {
    switch (r.kind) {
      case 'invalid-token':
        return sts.invalidClientTokenId();
      case 'region-disabled':
        return sts.regionDisabled(r.place.account);
      case 'expired-token':
        return sts.expiredToken();
      case 'denied':
        // Not reached: a session of a deleted role may still ask who it is; AssumeRole refuses it itself.
        return sts.accessDenied(r.callerArn, `sts:${request.action}`, '*');
    }
  };
  return {
    service: 'sts',
    operation: request.action || 'Unknown',
    run: ({ caller, place, requestId }) => {
      const atMs = app.clock.now();
      const { reply, assumed } = runSts(request, { iam: app.iam, clock: app.clock, caller, place }, requestId);
      // A session issued is recorded in the role's account, where its later calls will be.
      if (assumed) {
        const recorded = assumeRoleApiCall(assumed, place.region);
        app.trail.record(recorded.place, trailEvent({ ...recorded, caller, atMs, requestId, ...origin(req) }));
      }
      return reply;
    },
    faultReply: (kind, _retryAfter, requestId) =>
      (kind === 'throttle' ? sts.throttling() : sts.internalFailure()).toReply(requestId),
    refuse: (r, requestId) => refusal(r).toReply(requestId),
  };
}

function cloudTrailCall(app: App, operation: string, body: Buffer): Call {
  const refusal = (r: Refusal): ct.CloudTrailError => {
    switch (r.kind) {
      case 'invalid-token':
      case 'region-disabled':
        return ct.unrecognizedClient();
      case 'expired-token':
        return ct.expiredToken();
      case 'denied':
        return ct.accessDenied(r.callerArn);
    }
  };
  return {
    service: 'cloudtrail',
    operation,
    run: ({ place }) =>
      runCloudTrail(operation, body, () => app.trail.visible(place, app.clock.now()), app.clock.now()),
    faultReply: (kind) => (kind === 'throttle' ? ct.throttling() : ct.internalFailure()).toReply(),
    refuse: (r) => refusal(r).toReply(),
  };
}

function s3Call(app: App, req: IncomingMessage, url: URL, body: Buffer, signing: Signing): Call {
  const method = req.method ?? 'GET';
  const address = s3Address(req.headers, url.pathname);
  const call = matchS3(method, address, url.searchParams, req.headers);
  const refusal = (r: Refusal): s3.S3Error => {
    switch (r.kind) {
      case 'invalid-token':
      case 'region-disabled':
        return s3.invalidAccessKeyId(signing.accessKeyId ?? '');
      case 'expired-token':
        return s3.expiredToken();
      case 'denied':
        return s3.accessDenied(r.callerArn, call.action, call.resource, 'identity-based policy');
    }
  };
  return {
    service: 's3',
    operation: call.operation,
    run: ({ caller, place, requestId }) =>
      call.run(
        {
          method,
          ...address,
          query: url.searchParams,
          headers: req.headers,
          body,
          place,
          callerArn: caller.arn,
          nowMs: app.clock.now(),
        },
        app.s3,
        requestId,
      ),
    faultReply: (kind, _retryAfter, requestId) =>
      (kind === 'throttle' ? s3.slowDown() : s3.internalError()).toReply(requestId),
    refuse: (r, requestId) => refusal(r).toReply(requestId),
  };
}

/**
 * Matches a request to the AWS service and operation it calls: CloudWatch and CloudTrail by their X-Amz-Target,
 * Lambda by its REST path, STS by its Query-protocol form (or its `sts` credential scope), S3 by its `s3` credential scope (or a
 * `BUCKET.localhost` host). Anything else is answered with a 404.
 */
export function matchCall(app: App, req: IncomingMessage, url: URL, body: Buffer, signing: Signing): Call | Reply {
  const method = req.method ?? 'GET';
  if (isS3Request(req.headers, signing)) return s3Call(app, req, url, body, signing);
  const target = header(req, 'x-amz-target');
  const cwOperation = cloudWatchOperation(target);
  if (cwOperation !== undefined && method === 'POST') return cloudWatchCall(app, req, cwOperation, body);
  const ctOperation = cloudTrailOperation(target);
  if (ctOperation !== undefined && method === 'POST') return cloudTrailCall(app, ctOperation, body);
  if (isLambdaPath(url.pathname)) return lambdaCall(app, req, url, body);
  if (isStsRequest(method, url.pathname, req.headers, signing)) return stsCall(app, req, body);
  return { status: 404, body: { message: `No AWS operation at ${method} ${url.pathname}` } };
}

/**
 * Whether credentials may be used for this call, in AWS's order: an unknown token is refused before anything else,
 * then a region the account has not enabled, then an expired token; a session whose role is gone may still call
 * STS (GetCallerIdentity needs no permission; AssumeRole checks it itself) but nothing else.
 */
export function admit(
  app: App,
  call: Call,
  auth: Authentication,
  place: Place,
): { caller: Caller; refusal?: undefined } | { refusal: Refusal } {
  if (!auth.ok && auth.problem === 'invalid-token') return { refusal: { kind: 'invalid-token' } };
  if (!app.iam.regions.enabled(place)) return { refusal: { kind: 'region-disabled', place } };
  if (!auth.ok) return { refusal: { kind: 'expired-token' } };
  const { caller } = auth;
  if (caller.kind === 'session' && call.service !== 'sts' && app.iam.revoked(caller.session)) {
    return { refusal: { kind: 'denied', callerArn: caller.arn, place } };
  }
  return { caller };
}
