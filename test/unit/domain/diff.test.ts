import { describe, expect, it } from 'vitest';
import { diffVersions, type VersionFacts } from '../../../src/domain/diff.js';

const base: VersionFacts = {
  version: '41',
  description: 'old',
  codeSha256: 'aaa=',
  codeSize: 100,
  runtime: 'nodejs20.x',
  handler: 'index.handler',
  memorySize: 512,
  timeout: 10,
  architectures: ['x86_64'],
  layers: ['arn:aws:lambda:us-east-1:123456789012:layer:otel:3'],
  environment: new Map([
    ['A', 'fp1'],
    ['B', 'fp2'],
    ['C', 'fp3'],
  ]),
};

describe('diffVersions', () => {
  it('finds nothing between identical versions', () => {
    expect(diffVersions(base, { ...base, version: '42' })).toEqual({
      changes: [],
      env: { added: [], removed: [], changed: [] },
      sameCode: true,
    });
  });

  it('lists every changed field with before and after', () => {
    const next: VersionFacts = {
      ...base,
      version: '42',
      codeSha256: 'bbb=',
      memorySize: 1024,
      timeout: 30,
      runtime: 'nodejs22.x',
      handler: 'main.handler',
      architectures: ['arm64'],
      layers: [],
      description: 'new',
    };
    const fields = diffVersions(base, next).changes.map((c) => c.field);
    expect(fields).toEqual([
      'code',
      'runtime',
      'handler',
      'memory',
      'timeout',
      'architectures',
      'layers',
      'description',
    ]);
    expect(diffVersions(base, next).changes.find((c) => c.field === 'memory')).toEqual({
      field: 'memory',
      before: '512 MB',
      after: '1024 MB',
    });
    expect(diffVersions(base, next).sameCode).toBe(false);
  });

  it('reports environment variables by name: added, removed, changed', () => {
    const next = {
      ...base,
      environment: new Map([
        ['A', 'fp1'],
        ['B', 'fpX'],
        ['D', 'fp4'],
      ]),
    };
    expect(diffVersions(base, next).env).toEqual({ added: ['D'], removed: ['C'], changed: ['B'] });
  });
});
