import { isoWithOffset } from '../core/format.js';
import type { Reply } from '../core/http.js';
import { bad, type ControlHandler, ok } from './reply.js';
import { parseTime, parseTrafficSpec, placeFrom } from './specs.js';

/** `PUT /_emulator/traffic`: starts or replaces the simulation of one alias. */
export const putTraffic: ControlHandler = (app, input) => {
  const spec = parseTrafficSpec(input);
  if (typeof spec === 'string') return bad(spec);
  app.traffic.set(spec);
  return ok(spec);
};

/** `GET /_emulator/traffic`: every running simulation. */
export const getTraffic: ControlHandler = (app) => ok({ simulations: app.traffic.list() });

/** `DELETE /_emulator/traffic?function=F&alias=A[&account=…][&region=…]`. */
export const deleteTraffic: ControlHandler = (app, _input, url) => {
  const fn = url.searchParams.get('function');
  const alias = url.searchParams.get('alias');
  if (!fn || !alias) return bad('function and alias are required');
  const where = placeFrom(url.searchParams);
  if (typeof where === 'string') return bad(where);
  return app.traffic.delete(where, fn, alias) ? ok() : bad('no such simulation', 404);
};

/** `POST /_emulator/invoke`: a one-off burst of invocations on an alias, now. */
export const invoke: ControlHandler = (app, input): Reply => {
  const spec = parseTrafficSpec({ ...input, rps: 0 });
  if (typeof spec === 'string') return bad(spec);
  const count = input.count;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return bad('count must be an integer >= 0');
  const running = app.traffic
    .list()
    .find(
      (s) =>
        s.account === spec.account &&
        s.region === spec.region &&
        s.function === spec.function &&
        s.alias === spec.alias,
    );
  const second = Math.floor(app.clock.now() / 1000);
  const used = input.versions || input.default ? spec : (running ?? spec);
  if (!app.traffic.burst(used, second, count)) return bad('no such alias', 404);
  return ok({ at: isoWithOffset(second * 1000), count });
};

/** `POST /_emulator/metrics`: raw datapoints into any namespace, `AWS/` ones included (PutMetricData refuses those). */
export const putMetrics: ControlHandler = (app, input) => {
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
  const where = placeFrom(input);
  if (typeof where === 'string') return bad(where);
  const series = app.cloudwatch.at(where).metrics.get(namespace, metricName, dimensions, true);
  values.forEach((v, i) => {
    series.add(Math.floor(at / 1000), v, counts[i] ?? 1);
  });
  return ok();
};

/** `GET /_emulator/alias-history[?function=…][&alias=…][&account=…][&region=…]`: every alias change, in order. */
export const aliasHistory: ControlHandler = (app, _input, url) => {
  const q = url.searchParams;
  const wanted = (key: string, value: string) => {
    const given = q.get(key);
    return !given || given === value;
  };
  return ok(
    app.lambda.aliasHistory.filter(
      (c) =>
        wanted('function', c.function) &&
        wanted('alias', c.alias) &&
        wanted('account', c.account) &&
        wanted('region', c.region),
    ),
  );
};
