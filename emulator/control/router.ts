import type { App } from '../app.js';
import { isoWithOffset } from '../core/format.js';
import type { Reply } from '../core/http.js';
import { parseJsonObject } from '../core/http.js';
import { DEFAULT_REGION } from '../core/region.js';
import { validateRules } from './faults.js';
import { parseTime, parseTrafficSpec } from './specs.js';

/** The prefix of every control endpoint. */
export const CONTROL_PREFIX = '/_emulator/';

const ok = (body: unknown = { ok: true }): Reply => ({ status: 200, body });
const bad = (error: string, status = 400): Reply => ({ status, body: { error } });

function clockView(app: App): object {
  return { mode: app.clock.mode(), now: new Date(app.clock.now()).toISOString() };
}

/**
 * The control API: reset, the clock, traffic, faults, call counts and alias history. JSON in and out; documented
 * with examples in docs/emulator.md.
 */
export function handleControl(app: App, method: string, url: URL, body: Buffer): Reply {
  const path = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
  const input = parseJsonObject(body);
  if (!input) return bad('the body must be a JSON object');
  const route = `${method} ${path}`;
  switch (route) {
    case 'POST reset':
      app.reset();
      return ok();
    case 'GET clock':
      return ok(clockView(app));
    case 'POST clock': {
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
    }
    case 'POST clock/advance': {
      if (app.clock.mode() !== 'manual') return bad('the clock is not in manual mode', 409);
      const ms = input.ms ?? (typeof input.seconds === 'number' ? input.seconds * 1000 : undefined);
      if (typeof ms !== 'number' || !(ms >= 0)) return bad('ms must be a number >= 0');
      const target = app.clock.now() + ms;
      app.clock.setManualTime(target);
      app.scheduler.advanceTo(target);
      return ok(clockView(app));
    }
    case 'PUT traffic': {
      const spec = parseTrafficSpec(input);
      if (typeof spec === 'string') return bad(spec);
      app.traffic.set(spec);
      return ok(spec);
    }
    case 'GET traffic':
      return ok({ simulations: app.traffic.list() });
    case 'DELETE traffic': {
      const fn = url.searchParams.get('function');
      const alias = url.searchParams.get('alias');
      if (!fn || !alias) return bad('function and alias are required');
      const region = url.searchParams.get('region') ?? DEFAULT_REGION;
      return app.traffic.delete(region, fn, alias) ? ok() : bad('no such simulation', 404);
    }
    case 'POST invoke':
      return invoke(app, input);
    case 'PUT faults': {
      const rules = validateRules(input.rules);
      if (typeof rules === 'string') return bad(rules);
      app.faults.set(rules);
      return ok({ rules });
    }
    case 'GET faults':
      return ok({ rules: app.faults.list() });
    case 'DELETE faults':
      app.faults.clear();
      return ok();
    case 'GET calls':
      return ok(app.calls.snapshot());
    case 'DELETE calls':
      app.calls.clear();
      return ok();
    case 'GET alias-history': {
      const fn = url.searchParams.get('function');
      const alias = url.searchParams.get('alias');
      const region = url.searchParams.get('region');
      return ok(
        app.lambda.aliasHistory.filter(
          (c) => (!fn || c.function === fn) && (!alias || c.alias === alias) && (!region || c.region === region),
        ),
      );
    }
    case 'POST metrics':
      return putMetrics(app, input);
    default:
      return bad(`unknown control endpoint: ${route}`, 404);
  }
}

/** `POST /_emulator/invoke`: a one-off burst of invocations on an alias, now. */
function invoke(app: App, input: Record<string, unknown>): Reply {
  const spec = parseTrafficSpec({ ...input, rps: 0 });
  if (typeof spec === 'string') return bad(spec);
  const count = input.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return bad('count must be an integer >= 0');
  const running = app.traffic
    .list()
    .find((s) => s.region === spec.region && s.function === spec.function && s.alias === spec.alias);
  const second = Math.floor(app.clock.now() / 1000);
  const used = input.versions || input.default ? spec : (running ?? spec);
  if (!app.traffic.burst(used, second, count)) return bad('no such alias', 404);
  return ok({ at: isoWithOffset(second * 1000), count });
}

/** `POST /_emulator/metrics`: raw datapoints into any namespace, `AWS/` ones included (PutMetricData refuses those). */
function putMetrics(app: App, input: Record<string, unknown>): Reply {
  const { namespace, metricName } = input;
  if (typeof namespace !== 'string' || typeof metricName !== 'string')
    return bad('namespace and metricName are required');
  const dims = input.dimensions ?? {};
  if (dims === null || typeof dims !== 'object') return bad('dimensions must be an object');
  const dimensions = Object.entries(dims).map(([Name, Value]) => ({ Name, Value: String(Value) }));
  const at = input.timestamp === undefined ? app.clock.now() : parseTime(input.timestamp);
  if (at === undefined) return bad('timestamp must be an ISO-8601 time or epoch seconds');
  const values = Array.isArray(input.values)
    ? input.values.map(Number)
    : typeof input.value === 'number'
      ? [input.value]
      : [];
  const counts = Array.isArray(input.counts) ? input.counts.map(Number) : values.map(() => 1);
  if (values.length === 0 || counts.length !== values.length || values.some((v) => !Number.isFinite(v))) {
    return bad('value, or values (with optional counts of the same length), must be given as numbers');
  }
  const region = typeof input.region === 'string' ? input.region : DEFAULT_REGION;
  const series = app.cloudwatch.region(region).metrics.get(namespace, metricName, dimensions, true);
  values.forEach((v, i) => {
    series.add(Math.floor(at / 1000), v, counts[i] ?? 1);
  });
  return ok();
}
