import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

interface Statement {
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: { readonly AWS: string };
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

function document(name: string): { Statement: Statement[] } {
  return JSON.parse(readFileSync(resolve(root, 'docs/iam', name), 'utf8')) as { Statement: Statement[] };
}

const list = (value: string | string[] | undefined) => ([] as string[]).concat(value ?? []);
const policy = document('role-policy.json');
const granted = new Set(policy.Statement.flatMap((s) => list(s.Action)));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every AWS SDK command the bot constructs, as an IAM action (`lambda:UpdateAlias`). */
function actionsUsed(services = 'lambda|cloudwatch|cloudtrail'): Set<string> {
  const used = new Set<string>();
  for (const file of sources(resolve(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const service = (name: string) =>
      new RegExp(`import[^;]*\\b${name}Command\\b[^;]*from '@aws-sdk/client-(${services})'`).exec(text)?.[1];
    for (const match of text.matchAll(/new (\w+)Command\(/g)) {
      const name = match[1] as string;
      const svc = service(name);
      if (svc) used.add(`${svc}:${name}`);
    }
  }
  return used;
}

describe('docs/iam/role-policy.json: the role in each account (least privilege)', () => {
  it('grants every Lambda, CloudWatch and CloudTrail action the bot calls, and nothing else', () => {
    const used = actionsUsed();
    expect(used.size).toBeGreaterThan(0);
    for (const action of used) expect(granted, `missing ${action}`).toContain(action);
    for (const action of granted) expect(used.has(action), `granted but never called: ${action}`).toBe(true);
  });

  it('scopes Lambda actions to function ARNs, never "*"', () => {
    for (const statement of policy.Statement.filter((s) => list(s.Action).some((a) => a.startsWith('lambda:')))) {
      const resources = list(statement.Resource);
      for (const r of resources) expect(r).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[\w*-]+(:\*)?$/);
    }
  });

  it('grants no action that changes code, configuration or permissions', () => {
    for (const action of granted) {
      expect(action).not.toMatch(/Create|Delete|UpdateFunction|Permission|Policy|PutMetricAlarm|SetAlarmState|\*/);
    }
  });
});

describe('docs/iam/bot-policy.json: the bot’s own identity', () => {
  const bot = document('bot-policy.json');

  it('may assume the listed roles only, naming the person (the STS calls the bot makes)', () => {
    expect(actionsUsed('sts')).toEqual(new Set(['sts:AssumeRole', 'sts:GetCallerIdentity']));
    const actions = new Set(bot.Statement.flatMap((s) => list(s.Action)));
    // GetCallerIdentity needs no permission; SetSourceIdentity is needed to pass SourceIdentity.
    expect(actions).toEqual(new Set(['sts:AssumeRole', 'sts:SetSourceIdentity']));
    for (const r of bot.Statement.flatMap((s) => list(s.Resource))) {
      expect(r).toMatch(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/);
    }
  });
});

describe('docs/iam/trust-policy.json: who may assume the role in each account', () => {
  const trust = document('trust-policy.json');

  it('trusts the bot’s principal only, with the external ID, and lets it set a Slack user ID as source identity', () => {
    for (const s of trust.Statement) expect(s.Principal?.AWS).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const assume = trust.Statement.find((s) => list(s.Action).includes('sts:AssumeRole'));
    expect(assume?.Condition?.StringEquals?.['sts:ExternalId']).toBeDefined();
    const source = trust.Statement.find((s) => list(s.Action).includes('sts:SetSourceIdentity'));
    expect(list(source?.Condition?.StringLike?.['sts:SourceIdentity'])).toEqual(['U*', 'W*']);
    expect(trust.Statement.flatMap((s) => list(s.Action)).some((a) => a.includes('TagSession'))).toBe(false);
  });
});

/** The IAM action each S3 operation the bot calls needs (HEAD is authorised as GET, a listing on the bucket). */
const S3_ACTION: Readonly<Record<string, string>> = {
  's3:PutObject': 's3:PutObject',
  's3:GetObject': 's3:GetObject',
  's3:HeadObject': 's3:GetObject',
  's3:ListObjectsV2': 's3:ListBucket',
};

describe('docs/iam/archive-policy.json and auditor-policy.json: the audit archive’s bucket', () => {
  const archive = document('archive-policy.json');
  const auditor = document('auditor-policy.json');
  const actions = (doc: { Statement: Statement[] }) => new Set(doc.Statement.flatMap((s) => list(s.Action)));

  it('the writer: every S3 action the bot calls, and the retention its puts set, nothing else', () => {
    const used = actionsUsed('s3');
    expect(used.size).toBeGreaterThan(0);
    const needed = new Set([...used].map((a) => S3_ACTION[a] ?? `unmapped ${a}`));
    // A PutObject with Object Lock headers also needs s3:PutObjectRetention.
    needed.add('s3:PutObjectRetention');
    expect(actions(archive)).toEqual(needed);
  });

  it('never deletes, bypasses a lock, or changes the bucket; scoped to the bucket and its prefix', () => {
    for (const doc of [archive, auditor]) {
      for (const action of actions(doc)) expect(action).not.toMatch(/Delete|Bypass|Bucket(?!$)|Configuration|\*/);
      for (const s of doc.Statement) {
        for (const r of list(s.Resource)) expect(r).toMatch(/^arn:aws:s3:::[a-z0-9.-]+(\/[\w./-]*\*)?$/);
        if (list(s.Action).includes('s3:ListBucket')) expect(s.Condition?.StringLike?.['s3:prefix']).toBeDefined();
      }
    }
  });

  it('the auditor: reads and lists only, what `npm run audit -- verify --archive` calls', () => {
    expect(actions(auditor)).toEqual(new Set(['s3:GetObject', 's3:ListBucket']));
  });
});
