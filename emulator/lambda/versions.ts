import type { LambdaHandler } from './context.js';
import { resolveFunction } from './names.js';
import { paginate } from './pagination.js';
import { maxItems } from './validation.js';
import { configView } from './view.js';

/** AWS returns at most 50 versions a page, whatever MaxItems says. */
const VERSIONS_PAGE = 50;

/** GET /2015-03-31/functions/{FunctionName}/versions — `$LATEST` first, then versions in ascending order. */
export const listVersionsByFunction: LambdaHandler = (req, ctx) => {
  const ref = resolveFunction(req.labels.FunctionName ?? '', undefined, req);
  const fn = ctx.store.getFunction(ref.place, ref.name);
  const configs = [fn.latest, ...[...fn.versions.values()].sort((a, b) => Number(a.Version) - Number(b.Version))];
  // '$LATEST' keys as '' so that it sorts first; numbers are padded so that they sort numerically.
  const keyOf = (c: { Version: string }) => (c.Version === '$LATEST' ? '' : c.Version.padStart(10, '0'));
  const { page, nextMarker } = paginate(configs, keyOf, req.query.get('Marker'), maxItems(req.query, VERSIONS_PAGE));
  const Versions = page.map((c) => configView(fn, c, { qualifyLatest: true, listItem: true }));
  return { status: 200, body: nextMarker ? { Versions, NextMarker: nextMarker } : { Versions } };
};
