import { isoWithOffset } from '../core/format.js';
import { newUuid } from '../core/ids.js';
import { codeIdentity } from './code.js';
import type { LambdaHandler } from './context.js';
import { conflict, invalidParameter, validation } from './errors.js';
import type { FunctionConfig, FunctionRecord } from './model.js';
import { resolveFunction } from './names.js';
import { paginate } from './pagination.js';
import { publish } from './publish.js';
import { applyConfigInput } from './settings.js';
import { maxItems, optionalString, required, stringMap } from './validation.js';
import { configView } from './view.js';

/** POST /2015-03-31/functions */
export const createFunction: LambdaHandler = (req, ctx) => {
  const label = String(required(req.body.FunctionName, 'functionName'));
  const ref = resolveFunction(label, undefined, req);
  const role = String(required(req.body.Role, 'role'));
  const code = required(req.body.Code, 'code') as Record<string, unknown>;
  const functions = ctx.store.functions(ref.place);
  if (functions.has(ref.name)) throw conflict(`Function already exist: ${ref.name}`);
  const identity = codeIdentity(code);
  const latest: FunctionConfig = {
    Version: '$LATEST',
    Description: '',
    Role: role,
    CodeSize: identity.CodeSize,
    CodeSha256: identity.CodeSha256,
    Timeout: 3,
    MemorySize: 128,
    LastModified: isoWithOffset(ctx.clock.now()),
    Environment: {},
    Layers: [],
    Architectures: ['x86_64'],
    PackageType: typeof code.ImageUri === 'string' ? 'Image' : 'Zip',
    EphemeralStorage: 512,
    TracingMode: 'PassThrough',
    RevisionId: newUuid(),
    State: 'Pending',
  };
  applyConfigInput(latest, req.body);
  const fn: FunctionRecord = {
    name: ref.name,
    place: ref.place,
    latest,
    versions: new Map(),
    nextVersion: 1,
    aliases: new Map(),
    tags: new Map(Object.entries(stringMap(req.body.Tags) ?? {})),
  };
  functions.set(ref.name, fn);
  ctx.lifecycle.beginCreate(fn);
  if (req.body.Publish === true) {
    const version = publish(fn, undefined, ctx.clock.now());
    return { status: 201, body: configView(fn, version) };
  }
  return { status: 201, body: configView(fn, latest) };
};

/** Reads that name a qualifier answer with an ARN carrying it. */
const qualifiedBy = (qualifier: string | undefined) => (qualifier === undefined ? {} : { arnQualifier: qualifier });

/** GET /2015-03-31/functions/{FunctionName} */
export const getFunction: LambdaHandler = (req, ctx) => {
  const ref = resolveFunction(req.labels.FunctionName ?? '', req.query.get('Qualifier') ?? undefined, req);
  const fn = ctx.store.getFunction(ref.place, ref.name);
  const config = ctx.store.resolveConfig(fn, ref.qualifier);
  const body: Record<string, unknown> = {
    Configuration: configView(fn, config, qualifiedBy(ref.qualifier)),
    Code: {
      RepositoryType: 'S3',
      Location: `https://awslambda-${fn.place.region}-tasks.s3.${fn.place.region}.amazonaws.com/snapshots/${fn.place.account}/${fn.name}-${config.RevisionId}`,
    },
  };
  if (fn.tags.size > 0) body.Tags = Object.fromEntries(fn.tags);
  return { status: 200, body };
};

/** GET /2015-03-31/functions/{FunctionName}/configuration */
export const getFunctionConfiguration: LambdaHandler = (req, ctx) => {
  const ref = resolveFunction(req.labels.FunctionName ?? '', req.query.get('Qualifier') ?? undefined, req);
  const fn = ctx.store.getFunction(ref.place, ref.name);
  return { status: 200, body: configView(fn, ctx.store.resolveConfig(fn, ref.qualifier), qualifiedBy(ref.qualifier)) };
};

/** GET /2015-03-31/functions — `$LATEST` of each function, or every version with `FunctionVersion=ALL`. */
export const listFunctions: LambdaHandler = (req, ctx) => {
  const all = req.query.get('FunctionVersion');
  if (all !== null && all !== 'ALL') {
    throw validation(
      `1 validation error detected: Value '${all}' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]`,
    );
  }
  const entries: { key: string; view: object }[] = [];
  const functions = [...ctx.store.functions(req.place).values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const fn of functions) {
    entries.push({ key: `${fn.name}:`, view: configView(fn, fn.latest, { listItem: true }) });
    if (all === 'ALL') {
      for (const v of fn.versions.values()) {
        entries.push({ key: `${fn.name}:${v.Version.padStart(10, '0')}`, view: configView(fn, v, { listItem: true }) });
      }
    }
  }
  const { page, nextMarker } = paginate(entries, (e) => e.key, req.query.get('Marker'), maxItems(req.query, 50));
  return {
    status: 200,
    body: { Functions: page.map((e) => e.view), ...(nextMarker ? { NextMarker: nextMarker } : {}) },
  };
};

/** DELETE /2015-03-31/functions/{FunctionName} — the function, or one version with `Qualifier`. */
export const deleteFunction: LambdaHandler = (req, ctx) => {
  const ref = resolveFunction(req.labels.FunctionName ?? '', req.query.get('Qualifier') ?? undefined, req);
  const fn = ctx.store.getFunction(ref.place, ref.name);
  const qualifier = ref.qualifier;
  if (qualifier === undefined) {
    ctx.store.functions(fn.place).delete(fn.name);
    return { status: 204 };
  }
  if (qualifier === '$LATEST') {
    throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  }
  optionalString(qualifier, 'qualifier', 128, 1);
  const referencing = [...fn.aliases.values()]
    .filter((a) => a.FunctionVersion === qualifier || (a.Weights && qualifier in a.Weights))
    .map((a) => a.Name);
  if (fn.versions.has(qualifier) && referencing.length > 0) {
    throw conflict(`Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`);
  }
  // AWS answers 204 for a version that does not exist, too.
  fn.versions.delete(qualifier);
  return { status: 204 };
};
