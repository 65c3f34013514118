import { afterAll, beforeAll, describe } from 'vitest';
import { awsTarget, awsUnavailableReason, emulatorTarget, type Target } from './target.js';

/** Holder filled in by the suite's beforeAll; tests read `ctx.target`. */
export interface SuiteContext {
  target: Target;
}

let warned = false;

/**
 * Declares a conformance suite once per target: always against the emulator, and against real AWS when
 * CONFORMANCE_AWS=1 and credentials exist (otherwise that run is skipped, and the reason is printed once).
 * The body receives a context whose `target` is ready when tests run.
 */
export function conformance(title: string, body: (ctx: SuiteContext) => void): void {
  conformanceOf(title, { emulator: () => emulatorTarget(), aws: () => awsTarget() }, body);
}

/** Where a suite runs, by name. */
export type TargetName = 'emulator' | 'aws';

/**
 * {@link conformance} for suites with a target of their own (accounts, STS, CloudTrail): `body` also learns which
 * target it is declared for, so that a test needing AWS set-up that is absent can skip itself on AWS only.
 */
export function conformanceOf<T extends { close(): Promise<void> }>(
  title: string,
  targets: Record<TargetName, () => Promise<T>>,
  body: (ctx: { target: T }, name: TargetName) => void,
): void {
  const reason = awsUnavailableReason();
  if (reason && !warned) {
    warned = true;
    console.info(`[conformance] the real-AWS run is skipped: ${reason}`);
  }
  for (const name of ['emulator', 'aws'] as const) {
    const skip = name === 'aws' && reason !== undefined;
    describe.skipIf(skip)(`${title} [${name}]`, () => {
      const ctx = {} as { target: T };
      beforeAll(async () => {
        ctx.target = await targets[name]();
      });
      afterAll(async () => {
        await ctx.target?.close();
      });
      body(ctx, name);
    });
  }
}

/** Runs `fn` and returns the error it throws (failing if it does not). */
export async function failure(
  fn: () => Promise<unknown>,
): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await fn();
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}
