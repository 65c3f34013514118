import { expectAtMost, optionValue, required, type SplitArgs } from '../src/domain/grammar/args.js';
import { BREAK_GLASS, BREAK_GLASS_USAGE, breakGlass } from '../src/domain/grammar/break-glass.js';
import { UsageProblem } from '../src/domain/grammar/problem.js';
import { closest } from '../src/domain/grammar/suggest.js';
import { type AliasArg, aliasArg, duration, percent, version } from '../src/domain/grammar/values.js';
import { DEFAULT_SCHEDULE, PRESETS, presetNamed, type Schedule } from '../src/domain/schedule.js';
import { type CommandSpec, who } from './spec.js';

export interface CanaryCommand {
  readonly verb: 'canary';
  readonly target: AliasArg;
  readonly version: string;
  readonly schedule: Schedule;
  /** How long to watch alarms at 100% before calling the rollout complete. */
  readonly bakeMs: number;
  readonly judge: boolean;
  /** The reason given with `--break-glass` (CONTRACT §11); absent otherwise. */
  readonly breakGlass?: string;
}

const SECOND = 1000;
const DAY = 86_400_000;
const MAX_STEPS = 20;

export const canary: CommandSpec<CanaryCommand> = {
  verb: 'canary',
  usage: `canary FN:ALIAS V [PRESET | --steps 10,25,50,100 --every 5m] [--bake 10m] [--judge] ${BREAK_GLASS_USAGE}`,
  summary: 'progressive shift on a schedule (CodeDeploy presets or custom steps), watched by alarms',
  options: { '--steps': 'value', '--every': 'value', '--bake': 'value', '--judge': 'flag', [BREAK_GLASS]: 'rest' },
  parse(args) {
    expectAtMost(args, 3);
    const target = aliasArg(required(args, 0, 'FN:ALIAS'));
    const v = version(required(args, 1, 'the version V'));
    const bake = optionValue(args, '--bake');
    return {
      verb: 'canary',
      target,
      version: v,
      schedule: schedule(args),
      bakeMs: bake === undefined ? 0 : duration(bake, '--bake', SECOND, DAY),
      judge: args.options.has('--judge'),
      ...breakGlass(args),
    };
  },
  run: (command, ctx) =>
    ctx.services.rollouts.start(who(ctx), {
      target: command.target,
      version: command.version,
      schedule: command.schedule,
      bakeMs: command.bakeMs,
      judge: command.judge,
      ...(command.breakGlass === undefined ? {} : { breakGlass: command.breakGlass }),
    }),
};

function schedule(args: SplitArgs): Schedule {
  const presetWord = args.positionals[2];
  const steps = optionValue(args, '--steps');
  const every = optionValue(args, '--every');
  if (presetWord !== undefined) {
    if (steps !== undefined || every !== undefined) {
      throw new UsageProblem('give either a preset or --steps/--every, not both');
    }
    const preset = presetNamed(presetWord);
    if (!preset) {
      throw new UsageProblem(`unknown preset "${presetWord.slice(0, 60)}"`, {
        wrong: presetWord,
        right: closest(presetWord, [...PRESETS.keys()]),
      });
    }
    return preset;
  }
  if (steps === undefined) {
    if (every !== undefined) throw new UsageProblem('--every goes with --steps (e.g. --steps 10,50,100 --every 5m)');
    return DEFAULT_SCHEDULE;
  }
  if (every === undefined) throw new UsageProblem('--steps needs --every (e.g. --every 5m)');
  return { steps: stepList(steps), everyMs: duration(every, '--every', SECOND, DAY) };
}

function stepList(text: string): number[] {
  const parts = text.split(',');
  if (parts.length > MAX_STEPS) throw new UsageProblem(`--steps takes at most ${MAX_STEPS} steps`);
  const steps = parts.map((p) => percent(p.trim()));
  steps.forEach((step, i) => {
    if (step <= 0) throw new UsageProblem('--steps must be above 0%: a 0% step moves nothing');
    if (i > 0 && step <= (steps[i - 1] as number)) {
      throw new UsageProblem('--steps must increase, e.g. --steps 10,25,50,100');
    }
  });
  if (steps.at(-1) !== 100) throw new UsageProblem('--steps must end at 100, e.g. --steps 10,25,50,100');
  return steps;
}
