import { validation, validationMessage } from './errors.js';

/**
 * Field checks in the form AWS's request validator reports them ("1 validation error detected: Value 'x' at
 * 'field' failed to satisfy constraint: …"). Field names are the camelCase ones AWS puts in those messages.
 */

/** A string of bounded length, or undefined when absent. */
export function optionalString(value: unknown, field: string, max: number, min = 0): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (text.length > max) {
    throw validation(validationMessage(text, field, `Member must have length less than or equal to ${max}`));
  }
  if (text.length < min) {
    throw validation(validationMessage(text, field, `Member must have length greater than or equal to ${min}`));
  }
  return text;
}

/** A string matching `pattern` (the pattern text is quoted in the message exactly as AWS documents it). */
export function patternString(value: unknown, field: string, pattern: string, max: number): string | undefined {
  const text = optionalString(value, field, max, 1);
  if (text === undefined) return undefined;
  if (!new RegExp(`^(?:${pattern})$`).test(text)) {
    throw validation(validationMessage(text, field, `Member must satisfy regular expression pattern: ${pattern}`));
  }
  return text;
}

/** An integer within [min, max], or undefined when absent. */
export function optionalInt(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  if (n < min)
    throw validation(validationMessage(String(value), field, `Member must have value greater than or equal to ${min}`));
  if (n > max)
    throw validation(validationMessage(String(value), field, `Member must have value less than or equal to ${max}`));
  return n;
}

/** The message AWS gives for a required member left out. */
export function required<T>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null) {
    throw validation(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

/** A string-to-string map (Environment.Variables, Tags), or undefined when absent. */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = String(v);
  return out;
}

/** Reads `MaxItems` (1–10000). */
export function maxItems(query: URLSearchParams, pageLimit: number): number {
  const raw = query.get('MaxItems');
  const n = optionalInt(raw ?? undefined, 'maxItems', 1, 10000) ?? pageLimit;
  return Math.min(n, pageLimit);
}
