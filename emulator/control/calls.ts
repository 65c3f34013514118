/** Counts of calls per `service.Operation` since the last reset, for tests to assert on (retries included). */
export class CallCounter {
  private counts = new Map<string, number>();

  record(service: string, operation: string): void {
    const key = `${service}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  clear(): void {
    this.counts.clear();
  }
}
