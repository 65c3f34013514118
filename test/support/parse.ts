import { parseCommand } from '../../commands/index.js';

/** The command `text` parses to; fails the test when it is refused. */
export function ok(text: string) {
  const result = parseCommand(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got: ${result.problem}`);
  return result.command;
}

/** The refusal of `text`; fails the test when it parses. */
export function problem(text: string) {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${JSON.stringify(result.command)}`);
  return result;
}
