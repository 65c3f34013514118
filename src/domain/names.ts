/**
 * Lambda names and qualifiers, validated with the patterns AWS itself applies
 * (aws-semantics.md §3), so that a name the bot accepts is a name AWS accepts.
 */

/** A bare function name: letters, digits, hyphens and underscores, at most 64 characters. */
const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
/** An alias name: 1–128 of the same characters, but never all digits (that would read as a version). */
const ALIAS_NAME = /^[a-zA-Z0-9-_]{1,128}$/;
const ALL_DIGITS = /^[0-9]+$/;
/** A published version number as the bot accepts it: `43` or `v43`, at most 10 digits. */
const VERSION = /^[vV]?([0-9]{1,10})$/;
const ARN =
  /^arn:(aws[a-zA-Z-]*):lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/;

export type NameProblem = { readonly problem: string };

/** A function reference as the user wrote it: a name or an ARN, possibly with a qualifier. */
export interface FunctionRef {
  readonly name: string;
  /** Set when the user gave a full ARN: the bot refuses ARNs of another region or account later. */
  readonly region?: string;
  readonly account?: string;
  readonly qualifier?: string;
}

export function checkFunctionName(name: string): NameProblem | undefined {
  if (name.length === 0) return { problem: 'a function name is missing' };
  if (name.length > 64) return { problem: `function name "${clip(name)}" is longer than 64 characters` };
  if (!FUNCTION_NAME.test(name)) {
    return { problem: `"${clip(name)}" is not a valid function name (letters, digits, - and _ only)` };
  }
  return undefined;
}

export function checkAliasName(name: string): NameProblem | undefined {
  if (name.length === 0) return { problem: 'an alias name is missing after ":"' };
  if (ALL_DIGITS.test(name)) {
    return { problem: `"${clip(name)}" is all digits, so it would be a version, not an alias name` };
  }
  if (name.length > 128) return { problem: `alias name "${clip(name)}" is longer than 128 characters` };
  if (!ALIAS_NAME.test(name)) {
    return { problem: `"${clip(name)}" is not a valid alias name (letters, digits, - and _ only)` };
  }
  return undefined;
}

/**
 * Parses a version number, accepting the `v43` spelling the bot itself prints.
 * @example parseVersion('v43') === '43'; parseVersion('$LATEST') === undefined
 */
export function parseVersion(text: string): string | undefined {
  const match = VERSION.exec(text);
  if (!match?.[1]) return undefined;
  return String(Number(match[1]));
}

/**
 * Parses `name`, `name:qualifier`, a partial ARN (`123456789012:function:name`) or a full ARN.
 * Returns a problem for anything AWS would refuse.
 */
export function parseFunctionRef(text: string): FunctionRef | NameProblem {
  const full = ARN.exec(text);
  if (full) {
    return withQualifier({ name: full[4] ?? '', region: full[2], account: full[3] }, full[5]);
  }
  const partial = PARTIAL_ARN.exec(text);
  if (partial) return withQualifier({ name: partial[2] ?? '', account: partial[1] }, partial[3]);
  if (text.startsWith('arn:')) return { problem: `"${clip(text)}" is not a Lambda function ARN` };
  const colon = text.indexOf(':');
  const name = colon === -1 ? text : text.slice(0, colon);
  const qualifier = colon === -1 ? undefined : text.slice(colon + 1);
  return withQualifier({ name }, qualifier);
}

function withQualifier(ref: FunctionRef, qualifier: string | undefined): FunctionRef | NameProblem {
  const nameProblem = checkFunctionName(ref.name);
  if (nameProblem) return nameProblem;
  return qualifier === undefined ? ref : { ...ref, qualifier };
}

export function isNameProblem(value: object): value is NameProblem {
  return 'problem' in value;
}

/** Keeps echoed user input short, so an error message never becomes a wall of pasted text. */
export function clip(text: string, max = 70): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
