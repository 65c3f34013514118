/**
 * Retries an assertion until it passes. Against the emulator the first try passes; real AWS is eventually
 * consistent (metrics take a while to become readable), so the same test polls there.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 120_000, everyMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
