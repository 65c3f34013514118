import { isAccountId, type Place } from '../core/place.js';
import type { Prng } from '../core/prng.js';

/** The AWS services the emulator speaks, by the names calls are counted and faulted under. */
export const SERVICES = ['lambda', 'cloudwatch', 'sts', 'cloudtrail', 's3'] as const;
export type AwsService = (typeof SERVICES)[number];

/** One fault rule as the control API accepts it. Probabilities are in [0, 1]. */
export interface FaultRule {
  service: AwsService | '*';
  operation: string;
  /** Only calls from this account (the account of the caller's access key); every account when absent. */
  account?: string;
  /** Only calls signed for this region; every region when absent. */
  region?: string;
  throttle?: number;
  error5xx?: number;
  latencyMs?: number;
  latencyProbability?: number;
  /** Seconds sent in Lambda's `Retry-After` header on a throttle (default 1). */
  retryAfterSeconds?: number;
  /** Stop injecting after this many faults (throttles plus 5xx); unlimited when absent. */
  times?: number;
}

/** What to do to one call, decided before the operation runs so that a faulted call never changes state. */
export interface FaultDecision {
  latencyMs: number;
  fault?: 'throttle' | 'error5xx';
  retryAfterSeconds: number;
}

const NONE: FaultDecision = { latencyMs: 0, retryAfterSeconds: 1 };

/** Checks a rule list from the control API; returns a message naming the first problem. */
export function validateRules(value: unknown): FaultRule[] | string {
  if (!Array.isArray(value)) return 'rules must be an array';
  for (const [i, rule] of value.entries()) {
    if (rule === null || typeof rule !== 'object') return `rules[${i}] must be an object`;
    const r = rule as Record<string, unknown>;
    if (![...SERVICES, '*'].includes(String(r.service))) {
      return `rules[${i}].service must be one of ${SERVICES.map((s) => `"${s}"`).join(', ')} or "*"`;
    }
    if (typeof r.operation !== 'string') return `rules[${i}].operation must be an operation name or "*"`;
    if (r.account !== undefined && !isAccountId(r.account)) return `rules[${i}].account must be a 12-digit account id`;
    if (r.region !== undefined && typeof r.region !== 'string') return `rules[${i}].region must be a region name`;
    for (const key of ['throttle', 'error5xx', 'latencyProbability']) {
      const p = r[key];
      if (p !== undefined && !(typeof p === 'number' && p >= 0 && p <= 1))
        return `rules[${i}].${key} must be in [0, 1]`;
    }
    for (const key of ['latencyMs', 'retryAfterSeconds', 'times']) {
      const n = r[key];
      if (n !== undefined && !(typeof n === 'number' && n >= 0)) return `rules[${i}].${key} must be a number >= 0`;
    }
    if (((r.throttle as number) ?? 0) + ((r.error5xx as number) ?? 0) > 1) {
      return `rules[${i}]: throttle + error5xx must not exceed 1`;
    }
  }
  return value as FaultRule[];
}

/** The active fault rules and the seeded draws that apply them. */
export class Faults {
  private rules: { rule: FaultRule; used: number }[] = [];

  constructor(private readonly prng: Prng) {}

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, used: 0 }));
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  /** Decides the fate of one call. The first rule that matches the service, operation and place applies. */
  decide(service: AwsService, operation: string, where: Place): FaultDecision {
    const entry = this.rules.find(
      ({ rule }) =>
        (rule.service === '*' || rule.service === service) &&
        (rule.operation === '*' || rule.operation === operation) &&
        (rule.account === undefined || rule.account === where.account) &&
        (rule.region === undefined || rule.region === where.region),
    );
    if (!entry) return NONE;
    const { rule } = entry;
    const latencyMs = rule.latencyMs && this.prng.next() < (rule.latencyProbability ?? 1) ? rule.latencyMs : 0;
    const retryAfterSeconds = rule.retryAfterSeconds ?? 1;
    if (rule.times !== undefined && entry.used >= rule.times) return { latencyMs, retryAfterSeconds };
    const draw = this.prng.next();
    const throttle = rule.throttle ?? 0;
    let fault: FaultDecision['fault'];
    if (draw < throttle) fault = 'throttle';
    else if (draw < throttle + (rule.error5xx ?? 0)) fault = 'error5xx';
    if (fault) entry.used += 1;
    return fault ? { latencyMs, fault, retryAfterSeconds } : { latencyMs, retryAfterSeconds };
  }
}
