import type { App } from '../app.js';
import type { Reply } from '../core/http.js';
import { parseJsonObject } from '../core/http.js';
import {
  deletePrincipal,
  deleteRole,
  getPrincipals,
  getRegions,
  getRoles,
  getSessions,
  putPrincipal,
  putRegion,
  putRole,
} from './accounts.js';
import { validateRules } from './faults.js';
import { bad, type ControlHandler, ok } from './reply.js';
import { getS3, removeObject, tamperObject } from './s3.js';
import { putSigning } from './signing.js';
import { aliasHistory, deleteTraffic, getTraffic, invoke, putMetrics, putTraffic } from './simulation.js';
import { parseTime } from './specs.js';
import { getCloudTrail, putCloudTrail } from './trail.js';

/** The prefix of every control endpoint. */
export const CONTROL_PREFIX = '/_emulator/';

function clockView(app: App): object {
  return { mode: app.clock.mode(), now: new Date(app.clock.now()).toISOString() };
}

const setClock: ControlHandler = (app, input) => {
  if (input.mode === 'manual') {
    const at = input.now === undefined ? undefined : parseTime(input.now);
    if (input.now !== undefined && at === undefined) return bad('now must be an ISO-8601 time or epoch seconds');
    app.scheduler.sync();
    app.clock.setManual(at);
    if (at !== undefined) app.scheduler.jumpTo(at);
  } else if (input.mode === 'real') {
    app.clock.setReal();
    app.scheduler.jumpTo(app.clock.now());
  } else {
    return bad('mode must be "manual" or "real"');
  }
  return ok(clockView(app));
};

const advanceClock: ControlHandler = (app, input) => {
  if (app.clock.mode() !== 'manual') return bad('the clock is not in manual mode', 409);
  const ms = input.ms ?? (typeof input.seconds === 'number' ? input.seconds * 1000 : undefined);
  if (typeof ms !== 'number' || !(ms >= 0)) return bad('ms must be a number >= 0');
  const target = app.clock.now() + ms;
  app.clock.setManualTime(target);
  app.scheduler.advanceTo(target);
  return ok(clockView(app));
};

const putFaults: ControlHandler = (app, input) => {
  const rules = validateRules(input.rules);
  if (typeof rules === 'string') return bad(rules);
  app.faults.set(rules);
  return ok({ rules });
};

const getCalls: ControlHandler = (app, _input, url) => {
  const by = url.searchParams.get('by');
  if (by === 'place') return ok(app.calls.byPlace());
  if (by !== null) return bad('by must be "place" when given');
  return ok(app.calls.snapshot());
};

const getCallLog: ControlHandler = (app, _input, url) => {
  const service = url.searchParams.get('service') ?? undefined;
  const sinceText = url.searchParams.get('since');
  const since = sinceText === null ? undefined : Date.parse(sinceText);
  if (Number.isNaN(since)) return bad('since must be an ISO-8601 time');
  const calls = app.calls.logged({ ...(service ? { service } : {}), ...(since === undefined ? {} : { since }) });
  return ok({ calls: calls.map((c) => ({ ...c, at: new Date(c.at).toISOString() })) });
};

/** Every endpoint, by `METHOD path` (the path without the `/_emulator/` prefix). */
const ROUTES: Record<string, ControlHandler> = {
  'POST reset': (app) => {
    app.reset();
    return ok();
  },
  'GET clock': (app) => ok(clockView(app)),
  'POST clock': setClock,
  'POST clock/advance': advanceClock,
  'PUT traffic': putTraffic,
  'GET traffic': getTraffic,
  'DELETE traffic': deleteTraffic,
  'POST invoke': invoke,
  'POST metrics': putMetrics,
  'PUT faults': putFaults,
  'GET faults': (app) => ok({ rules: app.faults.list() }),
  'DELETE faults': (app) => {
    app.faults.clear();
    return ok();
  },
  'GET calls': getCalls,
  'GET call-log': getCallLog,
  'DELETE calls': (app) => {
    app.calls.clear();
    return ok();
  },
  'GET alias-history': aliasHistory,
  'PUT roles': putRole,
  'GET roles': getRoles,
  'DELETE roles': deleteRole,
  'PUT principals': putPrincipal,
  'GET principals': getPrincipals,
  'DELETE principals': deletePrincipal,
  'PUT regions': putRegion,
  'GET regions': getRegions,
  'GET sessions': getSessions,
  'PUT cloudtrail': putCloudTrail,
  'GET cloudtrail': getCloudTrail,
  'PUT signing': putSigning,
  'GET s3': getS3,
  'PUT s3/tamper': tamperObject,
  'DELETE s3/object': removeObject,
};

/**
 * The control API: reset, the clock, traffic, faults, call counts, alias history, the accounts, roles and
 * CloudTrail settings, code signing, and S3 tampering. JSON in and out; documented with examples in docs/emulator.md.
 */
export function handleControl(app: App, method: string, url: URL, body: Buffer): Reply {
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
  const input = parseJsonObject(body);
  if (!input) return bad('the body must be a JSON object');
  const route = `${method} ${path}`;
  const handler = ROUTES[route];
  return handler ? handler(app, input, url) : bad(`unknown control endpoint: ${route}`, 404);
}
