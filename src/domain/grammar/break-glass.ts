import { reasonProblem } from '../breakglass.js';
import { optionValue, type SplitArgs } from './args.js';
import { UsageProblem } from './problem.js';

/**
 * `--break-glass REASON…` (CONTRACT §11): it may end promote, shift, canary and rollback, and takes
 * the rest of the line as the reason the reviewer will read.
 */
export const BREAK_GLASS = '--break-glass';
export const BREAK_GLASS_USAGE = `[${BREAK_GLASS} REASON…]`;

/**
 * The break-glass reason, as a field to spread into a command: `{}` when the option is absent, so
 * a command without it is exactly what it was before break-glass existed.
 * @example breakGlass(splitArgs(['f:prod', '3', '--break-glass', 'pager', 'fired,', 'nobody', 'awake'], …))
 *   → { breakGlass: 'pager fired, nobody awake' }
 */
export function breakGlass(args: SplitArgs): { readonly breakGlass?: string } {
  const reason = optionValue(args, BREAK_GLASS);
  if (reason === undefined) return {};
  const problem = reasonProblem(reason);
  if (problem) throw new UsageProblem(problem);
  return { breakGlass: reason };
}
