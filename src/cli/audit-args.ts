/**
 * The arguments of `npm run audit`, parsed strictly: anything unknown is refused with the usage,
 * never guessed, as for the slash commands.
 */
import { parseArgs } from 'node:util';
import { checkFunctionName } from '../domain/names.js';

export const AUDIT_USAGE = [
  'usage: npm run audit -- verify [--archive [--own-credentials]]',
  '       npm run audit -- export [--archive [--own-credentials]] [--function F] [--since ISO-8601]',
  '  --archive: also the S3 archive (CONTRACT §14), read with the policy file and the AWS settings the bot uses',
  "  --own-credentials: read the archive with your own AWS credentials, not audit_archive.account's role",
].join('\n');

/**
 * `archive`: the S3 archive too, not only what Redis keeps; `ownCredentials`: read it as the caller
 * (an auditor's read-only identity in the bucket's account), not through the role the bot assumes.
 */
export type AuditCommand =
  | { readonly verb: 'verify'; readonly archive: boolean; readonly ownCredentials?: true }
  | {
      readonly verb: 'export';
      readonly archive: boolean;
      readonly ownCredentials?: true;
      readonly fn?: string;
      readonly since?: Date;
    };

/** A date, or a date and time, as ISO 8601 writes them (`2025-01-31`, `2025-01-31T12:00:00Z`). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * @example parseAuditArgs(['export', '--function', 'payments-api']) → { verb: 'export', archive: false, fn: 'payments-api' }
 * @example parseAuditArgs(['verify', '--archive']) → { verb: 'verify', archive: true }
 */
export function parseAuditArgs(argv: readonly string[]): AuditCommand | { readonly problem: string } {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    // Node's messages are long and about its own API; say what was wrong in this command's terms.
    const { code, message } = error as NodeJS.ErrnoException;
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { problem: `unknown option ${option}` };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      return { problem: /does not take/.test(message) ? `${option} takes no value` : `${option} needs a value` };
    }
    return { problem: message.split('. ')[0] ?? message };
  }
  const names = parsed.tokens.flatMap((t) => (t.kind === 'option' ? [t.name] : []));
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice) return { problem: `--${twice} is given twice` };
  const [verb, ...rest] = parsed.positionals;
  if (verb === undefined) return { problem: 'say what to do: verify or export' };
  if (rest.length > 0) return { problem: `unexpected argument "${rest[0]}"` };
  const { function: fn, since, archive = false, 'own-credentials': own = false } = parsed.values;
  if (own && !archive) return { problem: '--own-credentials is for reading the archive: give --archive too' };
  const ownCredentials = own ? { ownCredentials: true as const } : {};
  if (verb === 'verify') {
    if (fn !== undefined || since !== undefined)
      return { problem: 'verify takes no --function or --since: it checks the whole chain' };
    return { verb, archive, ...ownCredentials };
  }
  if (verb !== 'export') return { problem: `unknown command "${verb}"` };
  if (fn !== undefined) {
    const bad = checkFunctionName(fn);
    if (bad) return { problem: `--function: ${bad.problem}` };
  }
  let sinceDate: Date | undefined;
  if (since !== undefined) {
    sinceDate = new Date(since);
    if (!ISO_8601.test(since) || Number.isNaN(sinceDate.getTime())) {
      return { problem: `--since: "${since}" is not an ISO-8601 date like 2025-01-31 or 2025-01-31T12:00:00Z` };
    }
  }
  return {
    verb,
    archive,
    ...ownCredentials,
    ...(fn === undefined ? {} : { fn }),
    ...(sinceDate ? { since: sinceDate } : {}),
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    tokens: true,
    options: {
      function: { type: 'string' },
      since: { type: 'string' },
      archive: { type: 'boolean' },
      'own-credentials': { type: 'boolean' },
    },
  });
}
