import { DEFAULT_ACCOUNT, DEFAULT_REGION, isAccountId, type Place } from '../core/place.js';
import type { TrafficSpec, VersionProfile } from './traffic.js';

/** Reads a version profile; returns a message on a bad one. */
function profile(value: unknown, where: string): VersionProfile | string {
  if (value === null || typeof value !== 'object') return `${where} must be an object`;
  const v = value as Record<string, unknown>;
  const errorRate = v.errorRate ?? 0;
  const durationMs = v.durationMs ?? 100;
  if (typeof errorRate !== 'number' || errorRate < 0 || errorRate > 1) return `${where}.errorRate must be in [0, 1]`;
  if (typeof durationMs !== 'number' || !(durationMs > 0)) return `${where}.durationMs must be a number > 0`;
  return { errorRate, durationMs };
}

/** Validates a `PUT /_emulator/traffic` body; returns the spec or a message naming the first problem. */
export function parseTrafficSpec(body: Record<string, unknown>): TrafficSpec | string {
  if (typeof body.function !== 'string' || body.function === '') return 'function is required';
  if (typeof body.alias !== 'string' || body.alias === '') return 'alias is required';
  if (typeof body.rps !== 'number' || !(body.rps >= 0)) return 'rps must be a number >= 0';
  const versions: Record<string, VersionProfile> = {};
  const given = body.versions ?? {};
  if (given === null || typeof given !== 'object') return 'versions must be an object';
  for (const [version, value] of Object.entries(given)) {
    const p = profile(value, `versions.${version}`);
    if (typeof p === 'string') return p;
    versions[version] = p;
  }
  const fallback = profile(body.default ?? {}, 'default');
  if (typeof fallback === 'string') return fallback;
  const where = placeFrom(body);
  if (typeof where === 'string') return where;
  return {
    account: where.account,
    region: where.region,
    function: body.function,
    alias: body.alias,
    rps: body.rps,
    versions,
    default: fallback,
  };
}

/** Reads a timestamp given as ISO-8601 text or epoch seconds. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number') return value * 1000;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The place a control request names with `account` and `region` (a JSON body, or query parameters), each defaulting
 * as an unsigned AWS request does: account 000000000000, region us-east-1. Returns a message on a bad one.
 */
export function placeFrom(input: Record<string, unknown> | URLSearchParams): Place | string {
  const get = (key: string): unknown => (input instanceof URLSearchParams ? (input.get(key) ?? undefined) : input[key]);
  const account = get('account') ?? DEFAULT_ACCOUNT;
  const region = get('region') ?? DEFAULT_REGION;
  if (!isAccountId(account)) return 'account must be a 12-digit account id';
  if (typeof region !== 'string' || !REGION.test(region)) return 'region must be a region name such as eu-west-1';
  return { account, region };
}
