/** A dependency the bot needs to do its work, and how to tell whether it answers. */
export interface ReadinessCheck {
  readonly name: string;
  /**
   * Checks of one group stand for each other: the bot is unready only when all of them fail. The AWS
   * accounts and regions are one group: a role that cannot be assumed in one account must not take
   * every replica out of service for the others (they still work), so it is named, not fatal.
   */
  readonly group?: string;
  /** Advice only (CloudTrail not readable, say): a failure is listed under `degraded`, never unready. */
  readonly advisory?: boolean;
  check(): Promise<void>;
}

export interface Readiness {
  readonly ready: boolean;
  /** Each dependency: `ok` or why it failed. */
  readonly checks: Readonly<Record<string, string>>;
  /** Failing checks that did not make the bot unready (others of their group answer). */
  readonly degraded?: readonly string[];
}

/**
 * Runs every check at once, each bounded by `timeoutMs`, so /readyz answers promptly even when
 * a dependency hangs. Concurrent probes share one run.
 */
export function readinessProbe(checks: readonly ReadinessCheck[], timeoutMs = 2000): () => Promise<Readiness> {
  let running: Promise<Readiness> | undefined;
  const runAll = async (): Promise<Readiness> => {
    const results = await Promise.all(checks.map(async (c) => [c, await outcome(c.check(), timeoutMs)] as const));
    const failing = results.filter(([, r]) => r !== 'ok').map(([c]) => c);
    const fatal = failing.filter(
      (c) =>
        !c.advisory && (c.group === undefined || results.every(([other, r]) => other.group !== c.group || r !== 'ok')),
    );
    const degraded = failing.filter((c) => !fatal.includes(c)).map((c) => c.name);
    return {
      ready: fatal.length === 0,
      checks: Object.fromEntries(results.map(([c, r]) => [c.name, r])),
      ...(degraded.length ? { degraded } : {}),
    };
  };
  return () => {
    running ??= runAll().finally(() => {
      running = undefined;
    });
    return running;
  };
}

async function outcome(check: Promise<void>, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([check.then(() => 'ok'), timeout]);
  } catch (error) {
    return describe(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Error names and messages only: never a stack, never a request body. */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 200);
  return 'failed';
}
