import { describe, expect, it } from 'vitest';
import type { StateValue } from '../../../emulator/cloudwatch/model.js';
import { evaluateRule, parseRule, ruleChildren } from '../../../emulator/cloudwatch/rule.js';

const states: Record<string, StateValue> = { a: 'ALARM', b: 'OK', 'c d': 'INSUFFICIENT_DATA' };
const holds = (rule: string) => evaluateRule(parseRule(rule), (name) => states[name]);

describe('composite alarm rules', () => {
  it('evaluates states, AND/OR/NOT, parentheses and constants', () => {
    expect(holds('ALARM(a)')).toBe(true);
    expect(holds('ALARM(b) OR OK(b)')).toBe(true);
    expect(holds('ALARM(a) AND NOT OK(b)')).toBe(false);
    expect(holds('INSUFFICIENT_DATA("c d") AND (ALARM(b) OR TRUE)')).toBe(true);
    expect(holds('FALSE OR ALARM(arn:aws:cloudwatch:us-east-1:000000000000:alarm:a)')).toBe(true);
    expect(holds('ALARM(unknown)')).toBe(false);
  });

  it('binds AND tighter than OR', () => {
    expect(holds('ALARM(a) OR ALARM(b) AND ALARM(b)')).toBe(true);
    expect(holds('(ALARM(a) OR ALARM(b)) AND ALARM(b)')).toBe(false);
  });

  it('lists children and rejects malformed rules', () => {
    expect(ruleChildren(parseRule('ALARM(a) OR NOT OK("c d")'))).toEqual(['a', 'c d']);
    expect(() => parseRule('ALARM(a')).toThrow();
    expect(() => parseRule('ALARM a')).toThrow();
    expect(() => parseRule('ALARM(a) XOR OK(b)')).toThrow();
  });
});
