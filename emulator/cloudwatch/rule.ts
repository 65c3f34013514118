import type { StateValue } from './model.js';

/**
 * Composite alarm rules: `ALARM(name)`, `OK(name)`, `INSUFFICIENT_DATA(name)`, `TRUE`, `FALSE`, combined with
 * `AND`, `OR`, `NOT` and parentheses. Names may be quoted, unquoted, or alarm ARNs.
 */
export type RuleNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: StateValue; alarm: string }
  | { kind: 'not'; arg: RuleNode }
  | { kind: 'and' | 'or'; left: RuleNode; right: RuleNode };

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|([()])|([^\s()"]+))/y;

function tokenize(rule: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < rule.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(rule);
    if (!m || TOKEN.lastIndex === start) {
      if (rule.slice(start).trim() === '') break;
      throw new Error(`Unexpected character in alarm rule at ${start}`);
    }
    const token = m[1] ?? m[2] ?? m[3];
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}

/** The alarm name a rule operand refers to: quotes removed, an alarm ARN reduced to its name. */
function alarmName(token: string): string {
  const unquoted = token.startsWith('"') ? token.slice(1, -1).replace(/\\(.)/g, '$1') : token;
  const arn = /^arn:aws[a-zA-Z-]*:cloudwatch:[^:]*:\d{12}:alarm:(.+)$/.exec(unquoted);
  return arn?.[1] ?? unquoted;
}

const STATES = new Set(['ALARM', 'OK', 'INSUFFICIENT_DATA']);

/** Parses a rule; throws an Error with a description of the first problem. */
export function parseRule(rule: string): RuleNode {
  const tokens = tokenize(rule);
  let pos = 0;
  const upper = () => tokens[pos]?.toUpperCase();
  const primary = (): RuleNode => {
    const token = tokens[pos++];
    if (token === undefined) throw new Error('Unexpected end of alarm rule');
    const word = token.toUpperCase();
    if (token === '(') {
      const inner = or();
      if (tokens[pos++] !== ')') throw new Error('Missing closing parenthesis in alarm rule');
      return inner;
    }
    if (word === 'TRUE' || word === 'FALSE') return { kind: 'const', value: word === 'TRUE' };
    if (word === 'NOT') return { kind: 'not', arg: primary() };
    if (STATES.has(word)) {
      const open = tokens[pos++];
      const operand = tokens[pos++];
      const close = tokens[pos++];
      if (open !== '(' || operand === undefined || operand === ')' || close !== ')') {
        throw new Error(`${word} must be followed by an alarm name in parentheses`);
      }
      return { kind: 'state', state: word as StateValue, alarm: alarmName(operand) };
    }
    throw new Error(`Unexpected token in alarm rule: ${token}`);
  };
  const and = (): RuleNode => {
    let node = primary();
    while (upper() === 'AND') {
      pos++;
      node = { kind: 'and', left: node, right: primary() };
    }
    return node;
  };
  const or = (): RuleNode => {
    let node = and();
    while (upper() === 'OR') {
      pos++;
      node = { kind: 'or', left: node, right: and() };
    }
    return node;
  };
  const tree = or();
  if (pos !== tokens.length) throw new Error(`Unexpected token in alarm rule: ${tokens[pos]}`);
  return tree;
}

/** Evaluates a rule given each alarm's current state (an unknown alarm is in no state). */
export function evaluateRule(node: RuleNode, stateOf: (alarm: string) => StateValue | undefined): boolean {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'not':
      return !evaluateRule(node.arg, stateOf);
    case 'and':
      return evaluateRule(node.left, stateOf) && evaluateRule(node.right, stateOf);
    case 'or':
      return evaluateRule(node.left, stateOf) || evaluateRule(node.right, stateOf);
  }
}

/** The alarm names a rule refers to. */
export function ruleChildren(node: RuleNode): string[] {
  switch (node.kind) {
    case 'const':
      return [];
    case 'state':
      return [node.alarm];
    case 'not':
      return ruleChildren(node.arg);
    case 'and':
    case 'or':
      return [...ruleChildren(node.left), ...ruleChildren(node.right)];
  }
}
