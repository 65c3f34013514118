/** A dependency the bot needs to do its work, and how to tell whether it answers. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface Readiness {
  readonly ready: boolean;
  /** Each dependency: `ok` or why it failed. */
  readonly checks: Readonly<Record<string, string>>;
}

/**
 * Runs every check at once, each bounded by `timeoutMs`, so /readyz answers promptly even when
 * a dependency hangs. Concurrent probes share one run.
 */
export function readinessProbe(checks: readonly ReadinessCheck[], timeoutMs = 2000): () => Promise<Readiness> {
  let running: Promise<Readiness> | undefined;
  const runAll = async (): Promise<Readiness> => {
    const results = await Promise.all(checks.map(async (c) => [c.name, await outcome(c.check(), timeoutMs)] as const));
    return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
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
