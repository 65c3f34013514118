import { beforeEach, describe, expect, it } from 'vitest';
import type { BotError } from '../../../src/domain/errors.js';
import { alice, kit } from '../../fakes/kit.js';

let k: ReturnType<typeof kit>;

beforeEach(() => {
  k = kit();
  k.lambda.addFunction('payments-api', 3, { prod: { primary: '3' } });
});

describe('publish', () => {
  it('publishes new code as the next version, audited intent then outcome', async () => {
    k.lambda.updateCode('payments-api', 'sha-new');
    const outcome = await k.publish.publish(alice, { target: { fn: 'payments-api' }, description: 'fix' });
    expect(outcome).toMatchObject({ kind: 'published', version: '4', unchanged: false, description: 'fix' });
    expect(k.audit.records.map((r) => `${r.action}:${r.result}`)).toEqual(['publish:pending', 'publish:ok']);
    expect(k.audit.records[1]?.to).toEqual({ version: '4', weights: {} });
  });

  it('says nothing changed when $LATEST is the newest version already', async () => {
    const outcome = await k.publish.publish(alice, { target: { fn: 'payments-api' } });
    expect(outcome).toMatchObject({ version: '3', unchanged: true });
    expect(k.audit.records.at(-1)?.detail).toBe('nothing changed since v3');
  });

  it('waits while Lambda is still updating, says so once, then publishes', async () => {
    k.lambda.updateCode('payments-api', 'sha-new', 'InProgress');
    const told: string[] = [];
    const done = k.publish.publish(alice, { target: { fn: 'payments-api' } }, async (text) => void told.push(text));
    await until(() => k.clock.waiting === 1);
    k.clock.advance(250);
    await until(() => k.clock.waiting === 1);
    k.lambda.updateCode('payments-api', 'sha-new', 'Successful');
    k.clock.advance(500);
    expect((await done).version).toBe('4');
    expect(told).toEqual(['Lambda is still applying an update to payments-api; publishing as soon as it finishes…']);
  });

  it('gives up after the longest wait and says why', async () => {
    k.lambda.updateCode('payments-api', 'sha-new', 'InProgress');
    const done = k.publish.publish(alice, { target: { fn: 'payments-api' } }).catch((e: unknown) => e);
    for (let i = 0; i < 40 && !(await settled(done)); i++) {
      await until(() => k.clock.waiting === 1);
      k.clock.advance(5000);
    }
    const error = (await done) as BotError;
    expect(error.code).toBe('update-in-progress');
    expect(k.audit.records).toEqual([]);
  });

  it('refuses a failed update, with Lambda’s reason', async () => {
    k.lambda.updateCode('payments-api', 'sha-bad', 'Failed');
    const error = (await k.publish
      .publish(alice, { target: { fn: 'payments-api' } })
      .catch((e: unknown) => e)) as BotError;
    expect(error.code).toBe('aws-refused');
    expect(error.message).toMatch(/failed/);
  });

  it('--expect-sha mismatch is refused by AWS and audited as an error', async () => {
    k.lambda.updateCode('payments-api', 'sha-new');
    const error = (await k.publish
      .publish(alice, { target: { fn: 'payments-api' }, expectSha: 'sha-other' })
      .catch((e: unknown) => e)) as BotError;
    expect(error.code).toBe('code-changed');
    expect(k.audit.records.map((r) => r.result)).toEqual(['pending', 'error']);
  });

  it('only deployers publish', async () => {
    const error = (await k.publish
      .publish({ actor: 'U0ONCALL', request: 'r' }, { target: { fn: 'payments-api' } })
      .catch((e: unknown) => e)) as BotError;
    expect(error.code).toBe('not-permitted');
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}

async function settled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, new Promise((resolve) => setImmediate(() => resolve(marker)))])) !== marker;
}
