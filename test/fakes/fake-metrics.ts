import type { Target } from '../../src/domain/target.js';
import type { MetricSource, VersionMetrics } from '../../src/ports.js';

/** Per-version figures a test sets, as CloudWatch would report them for any window. */
export class FakeMetrics implements MetricSource {
  readonly stats = new Map<string, VersionMetrics>();
  calls = 0;

  set(version: string, invocations: number, errors: number, p99Ms?: number): void {
    this.stats.set(version, {
      invocations,
      errors,
      ...(p99Ms === undefined ? {} : { p99Ms }),
      errorRates: [invocations ? errors / invocations : undefined],
    });
  }

  async versions(
    _target: Target,
    _alias: string,
    versions: readonly string[],
  ): Promise<ReadonlyMap<string, VersionMetrics>> {
    this.calls++;
    return new Map(versions.map((v) => [v, this.stats.get(v) ?? { invocations: 0, errors: 0, errorRates: [] }]));
  }
}
