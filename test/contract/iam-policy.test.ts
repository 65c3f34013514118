import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const policy = JSON.parse(readFileSync(resolve(root, 'docs/iam-policy.json'), 'utf8')) as {
  Statement: { Action: string[]; Resource: string | string[] }[];
};
const granted = new Set(policy.Statement.flatMap((s) => s.Action));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every AWS SDK command the bot constructs, as an IAM action (`lambda:UpdateAlias`). */
function actionsUsed(): Set<string> {
  const used = new Set<string>();
  for (const file of sources(resolve(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const service = (name: string) =>
      new RegExp(`import[^;]*\\b${name}Command\\b[^;]*from '@aws-sdk/client-(lambda|cloudwatch)'`).exec(text)?.[1];
    for (const match of text.matchAll(/new (\w+)Command\(/g)) {
      const name = match[1] as string;
      const svc = service(name);
      if (svc) used.add(`${svc}:${name}`);
    }
  }
  return used;
}

describe('docs/iam-policy.json (least privilege)', () => {
  it('grants every Lambda and CloudWatch action the bot calls, and nothing else', () => {
    const used = actionsUsed();
    expect(used.size).toBeGreaterThan(0);
    for (const action of used) expect(granted, `missing ${action}`).toContain(action);
    for (const action of granted) expect(used.has(action), `granted but never called: ${action}`).toBe(true);
  });

  it('scopes Lambda actions to function ARNs, never "*"', () => {
    for (const statement of policy.Statement.filter((s) => s.Action.some((a) => a.startsWith('lambda:')))) {
      const resources = ([] as string[]).concat(statement.Resource);
      for (const r of resources) expect(r).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[\w*-]+(:\*)?$/);
    }
  });

  it('grants no action that changes code, configuration or permissions', () => {
    for (const action of granted) {
      expect(action).not.toMatch(/Create|Delete|UpdateFunction|Permission|Policy|PutMetricAlarm|SetAlarmState|\*/);
    }
  });
});
