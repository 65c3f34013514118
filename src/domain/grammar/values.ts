import { parseDuration } from '../duration.js';
import { checkAliasName, clip, type FunctionRef, isNameProblem, parseFunctionRef, parseVersion } from '../names.js';
import { UsageProblem } from './problem.js';

/** A function the user named; `region`/`account` are set when they gave an ARN. */
export interface FunctionArg {
  readonly fn: string;
  readonly region?: string;
  readonly account?: string;
}

/** An alias of a function: `FN:ALIAS` or an alias ARN. */
export interface AliasArg extends FunctionArg {
  readonly alias: string;
}

/** `FN` or an unqualified ARN. */
export function functionArg(word: string): FunctionArg {
  const ref = functionRef(word);
  if (ref.qualifier !== undefined) {
    throw new UsageProblem(`give a function here, not "${clip(word)}" (drop ":${clip(ref.qualifier, 30)}")`);
  }
  return fromRef(ref);
}

/** `FN:ALIAS` or an alias ARN. A version qualifier (`FN:42`) is refused: versions never take traffic by name. */
export function aliasArg(word: string): AliasArg {
  const ref = functionRef(word);
  if (ref.qualifier === undefined) {
    throw new UsageProblem(`"${clip(word)}" names no alias: write FUNCTION:ALIAS, e.g. ${ref.name}:prod`);
  }
  const problem = checkAliasName(ref.qualifier);
  if (problem) throw new UsageProblem(problem.problem);
  return { ...fromRef(ref), alias: ref.qualifier };
}

/** `FN` or `FN:ALIAS`, for commands that work on either. */
export function functionOrAliasArg(word: string): FunctionArg | AliasArg {
  const ref = functionRef(word);
  return ref.qualifier === undefined ? fromRef(ref) : aliasArg(word);
}

/** A published version number (`43` or `v43`). */
export function version(word: string, what = 'version'): string {
  if (word === '$LATEST') {
    throw new UsageProblem(
      `${what} must be a published version number; $LATEST can change under you — publish it first`,
    );
  }
  const v = parseVersion(word);
  if (v === undefined)
    throw new UsageProblem(`${what} must be a published version number like 42, not "${clip(word)}"`);
  return v;
}

/**
 * A traffic percentage from 0 to 100 with at most one decimal (`12.5`, `12.5%`).
 * One decimal is the finest step that stays exact through AWS's float weights.
 */
export function percent(word: string): number {
  const match = /^(\d{1,3})(?:\.(\d))?%?$/.exec(word);
  const value = match ? Number(`${match[1]}.${match[2] ?? '0'}`) : Number.NaN;
  if (!(value >= 0 && value <= 100)) {
    throw new UsageProblem(
      `percent must be a number from 0 to 100 with at most one decimal (e.g. 12.5), not "${clip(word)}"`,
    );
  }
  return value;
}

/** A positive whole count up to `max` (e.g. how many versions or records to show). */
export function count(word: string, max: number, what = 'count'): number {
  const value = /^\d{1,6}$/.test(word) ? Number(word) : Number.NaN;
  if (!(value >= 1 && value <= max))
    throw new UsageProblem(`${what} must be a whole number from 1 to ${max}, not "${clip(word)}"`);
  return value;
}

/** A duration such as `30s`, `5m`, `1h`, within bounds. */
export function duration(word: string, option: string, minMs: number, maxMs: number): number {
  const ms = parseDuration(word);
  if (ms === undefined) throw new UsageProblem(`${option} takes a duration like 30s, 5m or 1h, not "${clip(word)}"`);
  if (ms < minMs || ms > maxMs) {
    throw new UsageProblem(`${option} must be between ${describe(minMs)} and ${describe(maxMs)}`);
  }
  return ms;
}

function describe(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function functionRef(word: string): FunctionRef {
  const ref = parseFunctionRef(word);
  if (isNameProblem(ref)) throw new UsageProblem(ref.problem);
  return ref;
}

function fromRef(ref: FunctionRef): FunctionArg {
  return {
    fn: ref.name,
    ...(ref.region === undefined ? {} : { region: ref.region }),
    ...(ref.account === undefined ? {} : { account: ref.account }),
  };
}
