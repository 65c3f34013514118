/**
 * How an alias splits traffic, and the arithmetic of moving it. AWS stores a primary version
 * plus at most one additional version with a weight in [0, 1]; the primary gets the rest.
 */

export interface Routing {
  /** The alias's FunctionVersion: takes whatever the additional version does not. */
  readonly primary: string;
  readonly additional?: { readonly version: string; readonly weight: number };
}

/** Weights as the audit log records them: every version that takes traffic → its fraction. */
export type Weights = Readonly<Record<string, number>>;

/**
 * Percent of traffic as a number with one decimal, the grammar's precision.
 * @example toPercent(0.125) === 12.5
 */
export function toPercent(weight: number): number {
  return Math.round(weight * 1000) / 10;
}

/** Every version taking traffic with its fraction (key order is numeric: never rely on it for display). */
export function weightsOf(routing: Routing): Weights {
  if (!routing.additional) return { [routing.primary]: 1 };
  const w = routing.additional.weight;
  return { [routing.primary]: round(1 - w), [routing.additional.version]: w };
}

/** All traffic to one version, routing cleared. */
export function single(version: string): Routing {
  return { primary: version };
}

export type ShiftResult =
  | { readonly ok: true; readonly routing: Routing }
  | { readonly ok: false; readonly problem: string };

/**
 * `shift FN:ALIAS V P`: P% to V, the rest to the alias's current primary. 0% clears the
 * routing, 100% is a promote. Any other additional version loses its share (the caller says so).
 * @example shift({ primary: '42' }, '43', 10) → { ok: true, routing: { primary: '42', additional: { version: '43', weight: 0.1 } } }
 */
export function shift(current: Routing, version: string, percent: number): ShiftResult {
  if (percent === 100) return { ok: true, routing: single(version) };
  if (version === current.primary) {
    return {
      ok: false,
      problem: `v${version} is already the primary version; shift the other version instead, or promote to give v${version} all traffic`,
    };
  }
  if (current.primary === '$LATEST') {
    return {
      ok: false,
      problem:
        'the alias points at $LATEST, which AWS cannot split with another version; promote a published version first',
    };
  }
  if (percent === 0) return { ok: true, routing: single(current.primary) };
  return { ok: true, routing: { primary: current.primary, additional: { version, weight: round(percent / 100) } } };
}

export function sameRouting(a: Routing, b: Routing): boolean {
  return (
    a.primary === b.primary &&
    a.additional?.version === b.additional?.version &&
    a.additional?.weight === b.additional?.weight
  );
}

/** Versions that take traffic, primary first. */
export function versionsOf(routing: Routing): string[] {
  return routing.additional ? [routing.primary, routing.additional.version] : [routing.primary];
}

/**
 * A ten-cell bar and the split, as people scan it in Slack.
 * @example describeRouting({ primary: '42', additional: { version: '43', weight: 0.2 } }) === '████████░░ 80% v42 · 20% v43'
 */
export function describeRouting(routing: Routing): string {
  const cells = 10;
  const primaryShare = routing.additional ? 1 - routing.additional.weight : 1;
  const filled = Math.round(primaryShare * cells);
  const bar = '█'.repeat(filled) + '░'.repeat(cells - filled);
  return `${bar} ${splitText(routing)}`;
}

/** The split without the bar: `100% v42` or `80% v42 · 20% v43`. */
export function splitText(routing: Routing): string {
  // Built from the routing, not from weightsOf: object keys that look like numbers iterate in
  // numeric order, which would put v42 before the primary v43.
  if (!routing.additional) return `100% ${label(routing.primary)}`;
  const { version, weight } = routing.additional;
  return `${toPercent(round(1 - weight))}% ${label(routing.primary)} · ${toPercent(weight)}% ${label(version)}`;
}

export function label(version: string): string {
  return version === '$LATEST' ? '$LATEST' : `v${version}`;
}

/** Weights are stored with at most 6 decimals so that 1 − 0.1 reads 0.9, not 0.8999999999999999. */
function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
