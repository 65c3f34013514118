/**
 * Traffic schedules for progressive rollouts: the CodeDeploy presets (aws-semantics.md §8)
 * and custom `--steps 10,25,50,100 --every 5m` schedules, in one shape.
 */

export interface Schedule {
  /** Percent of traffic on the new version after each step, strictly increasing, ending at 100. */
  readonly steps: readonly number[];
  /** Time between one step and the next. */
  readonly everyMs: number;
  /** The CodeDeploy name, when the schedule came from a preset. */
  readonly preset?: string;
}

const MINUTE = 60_000;
const PREFIX = 'CodeDeployDefault.Lambda';

function canary(minutes: number): Schedule {
  return { steps: [10, 100], everyMs: minutes * MINUTE, preset: `Canary10Percent${minutes}Minutes` };
}

function linear(minutes: number): Schedule {
  const name = minutes === 1 ? 'Linear10PercentEvery1Minute' : `Linear10PercentEvery${minutes}Minutes`;
  return { steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], everyMs: minutes * MINUTE, preset: name };
}

/** Every Lambda deployment configuration CodeDeploy defines, by its SAM name. */
export const PRESETS: ReadonlyMap<string, Schedule> = new Map(
  [canary(5), canary(10), canary(15), canary(30), linear(1), linear(2), linear(3), linear(10)]
    .concat([{ steps: [100], everyMs: 0, preset: 'AllAtOnce' }])
    .map((s) => [s.preset as string, s]),
);

/** The preset named by its SAM name or its CodeDeploy name (`CodeDeployDefault.LambdaCanary10Percent5Minutes`). */
export function presetNamed(word: string): Schedule | undefined {
  const name = word.startsWith(PREFIX) ? word.slice(PREFIX.length) : word;
  return PRESETS.get(name);
}

/** The schedule a rollout uses when the user names none: CodeDeploy's most common choice. */
export const DEFAULT_SCHEDULE = PRESETS.get('Canary10Percent5Minutes') as Schedule;

/** Total time from the first step to the last (bake time not included). */
export function scheduleLength(schedule: Schedule): number {
  return Math.max(0, schedule.steps.length - 1) * schedule.everyMs;
}
