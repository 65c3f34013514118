/**
 * Metric math for GetMetricData and alarms: `+ - * /`, parentheses, numbers, ids of other queries and
 * `FILL(series, number)`. Series are aligned by timestamp; an operation between two series keeps only the
 * timestamps both have, and non-finite results (a division by zero) are dropped at the end, as CloudWatch does.
 */

/** A time series: timestamp (epoch seconds) → value. */
export type TimeSeries = Map<number, number>;
type Value = number | TimeSeries;

type Node =
  | { kind: 'num'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'neg'; arg: Node }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; left: Node; right: Node }
  | { kind: 'call'; name: string; args: Node[] };

/** A malformed or unsupported expression; the message is shown to the caller. */
export class ExpressionError extends Error {}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(.))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) break;
    const token = m[1] ?? m[2] ?? m[3];
    if (token !== undefined) tokens.push(token);
  }
  return tokens;
}

/** Parses an expression into a tree; throws {@link ExpressionError} on a syntax error. */
export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const expect = (t: string) => {
    if (tokens[pos] !== t) throw new ExpressionError(`Expected '${t}' in expression: ${text}`);
    pos++;
  };
  const primary = (): Node => {
    const t = tokens[pos++];
    if (t === undefined) throw new ExpressionError(`Unexpected end of expression: ${text}`);
    if (t === '(') {
      const inner = sum();
      expect(')');
      return inner;
    }
    if (t === '-') return { kind: 'neg', arg: primary() };
    if (/^\d/.test(t)) return { kind: 'num', value: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() !== '(') return { kind: 'id', name: t };
      pos++;
      const args: Node[] = [];
      if (peek() !== ')') {
        args.push(sum());
        while (peek() === ',') {
          pos++;
          args.push(sum());
        }
      }
      expect(')');
      return { kind: 'call', name: t.toUpperCase(), args };
    }
    throw new ExpressionError(`Unexpected '${t}' in expression: ${text}`);
  };
  const product = (): Node => {
    let node = primary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[pos++] as '*' | '/';
      node = { kind: 'bin', op, left: node, right: primary() };
    }
    return node;
  };
  const sum = (): Node => {
    let node = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[pos++] as '+' | '-';
      node = { kind: 'bin', op, left: node, right: product() };
    }
    return node;
  };
  const tree = sum();
  if (pos !== tokens.length) throw new ExpressionError(`Unexpected '${tokens[pos]}' in expression: ${text}`);
  return tree;
}

/** The ids an expression refers to, so that queries can be evaluated in dependency order. */
export function referencedIds(node: Node): string[] {
  switch (node.kind) {
    case 'num':
      return [];
    case 'id':
      return [node.name];
    case 'neg':
      return referencedIds(node.arg);
    case 'bin':
      return [...referencedIds(node.left), ...referencedIds(node.right)];
    case 'call':
      return node.args.flatMap(referencedIds);
  }
}

const apply = (op: string, a: number, b: number): number =>
  op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;

function combine(op: string, left: Value, right: Value): Value {
  if (typeof left === 'number' && typeof right === 'number') return apply(op, left, right);
  const out: TimeSeries = new Map();
  if (typeof left === 'number') for (const [t, v] of right as TimeSeries) out.set(t, apply(op, left, v));
  else if (typeof right === 'number') for (const [t, v] of left) out.set(t, apply(op, v, right));
  else for (const [t, v] of left) if (right.has(t)) out.set(t, apply(op, v, right.get(t) as number));
  return out;
}

/**
 * Evaluates a parsed expression. `lookup` gives the series of another query id; `grid` is every period timestamp
 * of the request, which FILL needs to know which values are missing.
 */
export function evaluate(node: Node, lookup: (id: string) => TimeSeries | undefined, grid: readonly number[]): Value {
  switch (node.kind) {
    case 'num':
      return node.value;
    case 'id': {
      const series = lookup(node.name);
      if (!series) throw new ExpressionError(`Unrecognized metric id in expression: ${node.name}`);
      return series;
    }
    case 'neg':
      return combine('*', -1, evaluate(node.arg, lookup, grid));
    case 'bin':
      return combine(node.op, evaluate(node.left, lookup, grid), evaluate(node.right, lookup, grid));
    case 'call': {
      if (node.name !== 'FILL' || node.args.length !== 2) {
        throw new ExpressionError(`Unsupported function in expression: ${node.name}`);
      }
      const [seriesNode, fillNode] = node.args as [Node, Node];
      const series = evaluate(seriesNode, lookup, grid);
      const fill = evaluate(fillNode, lookup, grid);
      if (typeof series === 'number' || typeof fill !== 'number') {
        throw new ExpressionError('FILL takes a time series and a number');
      }
      const out: TimeSeries = new Map();
      for (const t of grid) out.set(t, series.get(t) ?? fill);
      return out;
    }
  }
}
