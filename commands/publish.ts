import { optionValue, required } from '../src/domain/grammar/args.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import { type FunctionArg, functionArg } from '../src/domain/grammar/values.js';
import { type CommandSpec, who } from './spec.js';

export interface PublishCommand {
  readonly verb: 'publish';
  readonly target: FunctionArg;
  /** Publish only if $LATEST's code still has this CodeSha256 (base64, as AWS prints it). */
  readonly expectSha?: string;
  readonly description?: string;
}

const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
const MAX_DESCRIPTION = 256;

export const publish: CommandSpec<PublishCommand> = {
  verb: 'publish',
  usage: 'publish FN [--expect-sha SHA] [DESCRIPTION…]',
  summary: 'publish $LATEST as a new version; says the version, or that nothing changed since version N',
  options: { '--expect-sha': 'value' },
  parse(args) {
    const target = functionArg(required(args, 0, 'the function'));
    const sha = optionValue(args, '--expect-sha');
    if (sha !== undefined && !SHA256_BASE64.test(sha)) {
      throw new UsageProblem('--expect-sha takes the CodeSha256 as AWS prints it: 44 base64 characters ending in "="');
    }
    const description = args.positionals.slice(1).join(' ');
    if (description.length > MAX_DESCRIPTION) {
      throw new UsageProblem(`the description is ${description.length} characters; AWS allows ${MAX_DESCRIPTION}`);
    }
    return {
      verb: 'publish',
      target,
      ...(sha === undefined ? {} : { expectSha: sha }),
      ...(description.length === 0 ? {} : { description }),
    };
  },
  run: (command, ctx) =>
    ctx.services.publish.publish(
      who(ctx),
      {
        target: command.target,
        ...(command.expectSha ? { expectSha: command.expectSha } : {}),
        ...(command.description ? { description: command.description } : {}),
      },
      ctx.progress,
    ),
};
