import { constraintMessage, validationError } from './errors.js';

/**
 * Input checks with the request validator's messages ("1 validation error detected: …"). Field names are the
 * camelCase names AWS quotes in those messages.
 */

/** A required string of bounded length. */
export function requiredString(value: unknown, field: string, max: number): string {
  if (value === undefined || value === null) {
    throw validationError(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return boundedString(value, field, max, 1) as string;
}

/** An optional string of bounded length. */
export function boundedString(value: unknown, field: string, max: number, min = 0): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (text.length > max)
    throw validationError(constraintMessage(text, field, `Member must have length less than or equal to ${max}`));
  if (text.length < min)
    throw validationError(constraintMessage(text, field, `Member must have length greater than or equal to ${min}`));
  return text;
}

/** An optional integer within [min, max]. */
export function boundedInt(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (!(n >= min))
    throw validationError(
      constraintMessage(String(value), field, `Member must have value greater than or equal to ${min}`),
    );
  if (!(n <= max))
    throw validationError(
      constraintMessage(String(value), field, `Member must have value less than or equal to ${max}`),
    );
  return n;
}

/** An optional member of an enum. */
export function enumValue<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (!allowed.includes(value as T)) {
    throw validationError(
      constraintMessage(String(value), field, `Member must satisfy enum value set: [${allowed.join(', ')}]`),
    );
  }
  return value as T;
}

/** A list of strings (actions, names), or an empty list when absent. */
export function stringList(value: unknown, field: string, maxItems: number): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value.map(String) : [];
  if (list.length > maxItems) {
    throw validationError(
      constraintMessage(`[${list.join(', ')}]`, field, `Member must have length less than or equal to ${maxItems}`),
    );
  }
  return list;
}

/** Epoch seconds (the SDK sends numbers) to epoch ms. */
export function epochMs(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Date.parse(String(value)) / 1000;
  return Number.isFinite(n) ? n * 1000 : undefined;
}

/** Opaque pagination tokens over a sorted key. */
export const tokens = {
  encode: (key: string): string => Buffer.from(key, 'utf8').toString('base64url'),
  decode: (token: string): string | undefined => {
    const key = Buffer.from(token, 'base64url').toString('utf8');
    return token.length > 0 && tokens.encode(key) === token ? key : undefined;
  },
};
