import { validationError } from './errors.js';

/** A constraint of the STS model, with the pattern text AWS quotes in its message. */
export interface Pattern {
  text: string;
  regex: RegExp;
}

export const NAME_PATTERN: Pattern = { text: '[\\w+=,.@-]*', regex: /^[\w+=,.@-]*$/ };
export const EXTERNAL_ID_PATTERN: Pattern = { text: '[\\w+=,.@:\\/-]*', regex: /^[\w+=,.@:/-]*$/ };
export const TAG_KEY_PATTERN: Pattern = {
  text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
  regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
};
export const TAG_VALUE_PATTERN: Pattern = {
  text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
  regex: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
};

/**
 * Collects the failures of AWS's request validator, which reports every failing member at once: "2 validation
 * errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: …; Value …". Each member reports
 * its first failing constraint, in the order: not null, minimum length, maximum length, pattern.
 */
export class Constraints {
  private readonly failures: string[] = [];

  private fail(shown: string, field: string, constraint: string): void {
    this.failures.push(`Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  /** A string member: optional unless `required`. Returns true when present and valid. */
  text(
    value: string | undefined,
    field: string,
    rule: { min: number; max: number; pattern?: Pattern; required?: boolean },
  ): boolean {
    if (value === undefined) {
      if (rule.required) this.fail('null', field, 'Member must not be null');
      return false;
    }
    const shown = `'${value}'`;
    // Lengths count Unicode code points, as Java's validator does for these members.
    const length = [...value].length;
    if (length < rule.min) this.fail(shown, field, `Member must have length greater than or equal to ${rule.min}`);
    else if (length > rule.max) this.fail(shown, field, `Member must have length less than or equal to ${rule.max}`);
    else if (rule.pattern && !rule.pattern.regex.test(value)) {
      this.fail(shown, field, `Member must satisfy regular expression pattern: ${rule.pattern.text}`);
    } else return true;
    return false;
  }

  /** An integer member within [min, max]; returns the number when present and valid. */
  integer(value: string | undefined, field: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n)) this.fail(`'${value}'`, field, 'Member must be an integer');
    else if (n < min) this.fail(`'${value}'`, field, `Member must have value greater than or equal to ${min}`);
    else if (n > max) this.fail(`'${value}'`, field, `Member must have value less than or equal to ${max}`);
    else return n;
    return undefined;
  }

  /** A list member of at most `max` items. */
  listSize(size: number, field: string, max: number): void {
    if (size > max) this.fail("'[...]'", field, `Member must have length less than or equal to ${max}`);
  }

  /** Throws the ValidationError when anything failed. */
  check(): void {
    const n = this.failures.length;
    if (n === 0) return;
    throw validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.failures.join('; ')}`);
  }
}
