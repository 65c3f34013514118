/**
 * Coalesces identical reads under way at the same time: a second caller waits for the first call
 * instead of making its own. Nothing is kept once the call ends, so an answer comes at worst from
 * a call that began one round trip before the caller asked. Only for reads that nothing writes on.
 */
export class SingleFlight {
  private readonly flying = new Map<string, Promise<unknown>>();

  run<T>(key: string, call: () => Promise<T>): Promise<T> {
    const current = this.flying.get(key);
    if (current) return current as Promise<T>;
    const started = call().finally(() => this.flying.delete(key));
    this.flying.set(key, started);
    return started;
  }
}
