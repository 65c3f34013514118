import { isoWithOffset } from '../core/format.js';
import { codeIdentity } from './code.js';
import type { LambdaContext, LambdaHandler, LambdaRequest } from './context.js';
import { invalidParameter, revisionMismatch } from './errors.js';
import type { FunctionRecord } from './model.js';
import { resolveFunction } from './names.js';
import { publish } from './publish.js';
import { applyConfigInput } from './settings.js';
import { unsign } from './signing.js';
import { configView } from './view.js';

/**
 * Finds the function an update names. Only `$LATEST` can change: "You can't modify the configuration of a
 * published version, only the unpublished version".
 */
function updatable(req: LambdaRequest, ctx: LambdaContext): FunctionRecord {
  const ref = resolveFunction(req.labels.FunctionName ?? '', undefined, req);
  const fn = ctx.store.getFunction(ref.place, ref.name);
  if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') {
    throw invalidParameter("You can't modify the configuration of a published version, only the unpublished version");
  }
  return fn;
}

function checkRevision(fn: FunctionRecord, revisionId: unknown): void {
  if (typeof revisionId === 'string' && revisionId !== fn.latest.RevisionId) throw revisionMismatch();
}

/** PUT /2015-03-31/functions/{FunctionName}/code */
export const updateFunctionCode: LambdaHandler = (req, ctx) => {
  const fn = updatable(req, ctx);
  ctx.lifecycle.assertIdle(fn);
  checkRevision(fn, req.body.RevisionId);
  const identity = codeIdentity(req.body);
  if (req.body.DryRun === true) {
    const next = { ...fn.latest, ...identity };
    unsign(next);
    return { status: 200, body: configView(fn, next) };
  }
  Object.assign(fn.latest, identity);
  // Signing describes the package it was done for; the new one is unsigned until signed again.
  unsign(fn.latest);
  ctx.lifecycle.beginUpdate(fn);
  if (req.body.Publish === true) {
    return { status: 200, body: configView(fn, publish(fn, undefined, ctx.clock.now())) };
  }
  return { status: 200, body: configView(fn, fn.latest) };
};

/** PUT /2015-03-31/functions/{FunctionName}/configuration */
export const updateFunctionConfiguration: LambdaHandler = (req, ctx) => {
  const fn = updatable(req, ctx);
  ctx.lifecycle.assertIdle(fn);
  checkRevision(fn, req.body.RevisionId);
  // Validate on a copy so that a rejected input changes nothing.
  const next = { ...fn.latest, Environment: { ...fn.latest.Environment } };
  applyConfigInput(next, req.body);
  Object.assign(fn.latest, next, { LastModified: isoWithOffset(ctx.clock.now()) });
  ctx.lifecycle.beginUpdate(fn);
  return { status: 200, body: configView(fn, fn.latest) };
};

/** POST /2015-03-31/functions/{FunctionName}/versions */
export const publishVersion: LambdaHandler = (req, ctx) => {
  const fn = updatable(req, ctx);
  ctx.lifecycle.assertIdle(fn);
  checkRevision(fn, req.body.RevisionId);
  const expected = req.body.CodeSha256;
  if (typeof expected === 'string' && expected !== '' && expected !== fn.latest.CodeSha256) {
    throw invalidParameter(
      `CodeSHA256 (${expected}) is different from current CodeSHA256 in $LATEST (${fn.latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  const description = typeof req.body.Description === 'string' ? req.body.Description : undefined;
  return { status: 201, body: configView(fn, publish(fn, description, ctx.clock.now())) };
};
