import { isoWithOffset } from '../core/format.js';
import { newUuid } from '../core/ids.js';
import type { LambdaContext, LambdaHandler, LambdaRequest } from './context.js';
import { conflict, notFound, revisionMismatch } from './errors.js';
import type { AliasRecord, FunctionRecord } from './model.js';
import { qualifiedArn, resolveFunction } from './names.js';
import { paginate } from './pagination.js';
import { validateRouting } from './routing.js';
import { maxItems, optionalString, patternString, required } from './validation.js';
import { aliasView } from './view.js';

const ALIAS_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
const VERSION_PATTERN = '(\\$LATEST|[0-9]+)';

function functionOf(req: LambdaRequest, ctx: LambdaContext): FunctionRecord {
  const ref = resolveFunction(req.labels.FunctionName ?? '', undefined, req);
  return ctx.store.getFunction(ref.place, ref.name);
}

function aliasName(value: unknown): string {
  return patternString(required(value, 'name'), 'name', ALIAS_PATTERN, 128) as string;
}

/** POST /2015-03-31/functions/{FunctionName}/aliases */
export const createAlias: LambdaHandler = (req, ctx) => {
  const name = aliasName(req.body.Name);
  const version = patternString(
    required(req.body.FunctionVersion, 'functionVersion'),
    'functionVersion',
    VERSION_PATTERN,
    1024,
  ) as string;
  const description = optionalString(req.body.Description, 'description', 256) ?? '';
  const fn = functionOf(req, ctx);
  ctx.store.resolveConfig(fn, version);
  const existing = fn.aliases.get(name);
  if (existing) throw conflict(`Alias already exists: ${qualifiedArn(fn.place, fn.name, name)}`);
  const weights = validateRouting(ctx, fn, version, req.body.RoutingConfig);
  const alias: AliasRecord = { Name: name, FunctionVersion: version, Description: description, RevisionId: newUuid() };
  if (weights) alias.Weights = weights;
  fn.aliases.set(name, alias);
  ctx.store.recordAliasChange(fn, alias, 'CreateAlias', isoWithOffset(ctx.clock.now()));
  return { status: 201, body: aliasView(fn, alias) };
};

/** GET /2015-03-31/functions/{FunctionName}/aliases/{Name} */
export const getAlias: LambdaHandler = (req, ctx) => {
  const fn = functionOf(req, ctx);
  const name = req.labels.Name ?? '';
  const alias = fn.aliases.get(name);
  if (!alias) throw notFound(`Cannot find alias arn: ${qualifiedArn(fn.place, fn.name, name)}`);
  return { status: 200, body: aliasView(fn, alias) };
};

/** PUT /2015-03-31/functions/{FunctionName}/aliases/{Name} — members left out keep their value. */
export const updateAlias: LambdaHandler = (req, ctx) => {
  const fn = functionOf(req, ctx);
  const name = req.labels.Name ?? '';
  const alias = fn.aliases.get(name);
  if (!alias) throw notFound(`Alias not found: ${qualifiedArn(fn.place, fn.name, name)}`);
  const version =
    patternString(req.body.FunctionVersion, 'functionVersion', VERSION_PATTERN, 1024) ?? alias.FunctionVersion;
  const description = optionalString(req.body.Description, 'description', 256) ?? alias.Description;
  if (typeof req.body.RevisionId === 'string' && req.body.RevisionId !== alias.RevisionId) throw revisionMismatch();
  ctx.store.resolveConfig(fn, version);
  const weights =
    req.body.RoutingConfig === undefined
      ? alias.Weights && validateRouting(ctx, fn, version, { AdditionalVersionWeights: alias.Weights })
      : validateRouting(ctx, fn, version, req.body.RoutingConfig);
  const next: AliasRecord = { Name: name, FunctionVersion: version, Description: description, RevisionId: newUuid() };
  if (weights) next.Weights = weights;
  // AWS issues a new RevisionId even when nothing changed.
  fn.aliases.set(name, next);
  ctx.store.recordAliasChange(fn, next, 'UpdateAlias', isoWithOffset(ctx.clock.now()));
  return { status: 200, body: aliasView(fn, next) };
};

/** DELETE /2015-03-31/functions/{FunctionName}/aliases/{Name} — 204 even when the alias does not exist. */
export const deleteAlias: LambdaHandler = (req, ctx) => {
  const fn = functionOf(req, ctx);
  const alias = fn.aliases.get(req.labels.Name ?? '');
  if (alias) {
    fn.aliases.delete(alias.Name);
    ctx.store.recordAliasChange(fn, alias, 'DeleteAlias', isoWithOffset(ctx.clock.now()));
  }
  return { status: 204 };
};

/** GET /2015-03-31/functions/{FunctionName}/aliases, optionally only those pointing at `FunctionVersion`. */
export const listAliases: LambdaHandler = (req, ctx) => {
  const fn = functionOf(req, ctx);
  const only = req.query.get('FunctionVersion');
  const aliases = [...fn.aliases.values()]
    .filter((a) => only === null || a.FunctionVersion === only)
    .sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const { page, nextMarker } = paginate(aliases, (a) => a.Name, req.query.get('Marker'), maxItems(req.query, 50));
  const Aliases = page.map((a) => aliasView(fn, a));
  return { status: 200, body: nextMarker ? { Aliases, NextMarker: nextMarker } : { Aliases } };
};
