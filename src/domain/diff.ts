/**
 * What differs between two versions of a function. Environment variables are compared by
 * fingerprint and reported by name only: values never reach a message.
 */

export interface VersionFacts {
  readonly version: string;
  readonly description: string;
  readonly codeSha256: string;
  readonly codeSize: number;
  readonly runtime?: string;
  readonly handler?: string;
  readonly memorySize?: number;
  readonly timeout?: number;
  readonly architectures: readonly string[];
  readonly layers: readonly string[];
  readonly environment: ReadonlyMap<string, string>;
}

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

export interface VersionDiff {
  readonly changes: readonly FieldChange[];
  readonly env: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly string[];
  };
  readonly sameCode: boolean;
}

const FIELDS: readonly [string, (v: VersionFacts) => string][] = [
  ['code', (v) => v.codeSha256],
  ['code size', (v) => `${v.codeSize} bytes`],
  ['runtime', (v) => v.runtime ?? '—'],
  ['handler', (v) => v.handler ?? '—'],
  ['memory', (v) => (v.memorySize === undefined ? '—' : `${v.memorySize} MB`)],
  ['timeout', (v) => (v.timeout === undefined ? '—' : `${v.timeout} s`)],
  ['architectures', (v) => v.architectures.join(', ') || '—'],
  ['layers', (v) => v.layers.join(', ') || 'none'],
  ['description', (v) => v.description || '—'],
];

/**
 * @example diffVersions(v41, v42).changes → [{ field: 'memory', before: '512 MB', after: '1024 MB' }]
 */
export function diffVersions(a: VersionFacts, b: VersionFacts): VersionDiff {
  const changes: FieldChange[] = [];
  for (const [field, read] of FIELDS) {
    const before = read(a);
    const after = read(b);
    if (before !== after) changes.push({ field, before, after });
  }
  const added = [...b.environment.keys()].filter((k) => !a.environment.has(k)).sort();
  const removed = [...a.environment.keys()].filter((k) => !b.environment.has(k)).sort();
  const changed = [...a.environment.keys()]
    .filter((k) => b.environment.has(k) && b.environment.get(k) !== a.environment.get(k))
    .sort();
  return { changes, env: { added, removed, changed }, sameCode: a.codeSha256 === b.codeSha256 };
}
