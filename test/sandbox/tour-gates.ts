import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';

/** What the tour's page gives these steps: browser.test.ts's own helpers, on its one page. */
export interface Tour {
  /** A client acting in prod (222222222222), eu-west-1, where orders-api has `staging` and `prod`. */
  prodEu(): LambdaClient;
  as(user: string): Promise<void>;
  open(channel: string): Promise<void>;
  command(text: string): Promise<void>;
  message(text: string | RegExp): Locator;
  shot(name: string): Promise<void>;
  until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void>;
}

const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const CARMEN = 'U0CARMEN';
const REASON = 'checkout errors, approver asleep';
/** The demo policy's soak on orders-api:prod. */
const SOAK_MS = 60_000;

/**
 * The README tour's gates and break-glass steps: orders-api:prod refuses a version that has not
 * soaked on the staging alias beside it, showing the checklist; a minute later the same promote
 * asks for approval with the checklist; the on-call responder breaks the glass, announced with a
 * review button that only another approver can use. Registered inside browser.test.ts's describe,
 * so they run on its page after its other steps.
 */
export function gatesAndBreakGlass(t: Tour): void {
  let stagedAt = 0;
  const serving = async (alias: string) => {
    const a = await t.prodEu().send(new GetAliasCommand({ FunctionName: 'orders-api', Name: alias }));
    return a.FunctionVersion;
  };
  const announcement = () => t.message('Break-glass on orders-api:prod (prod/eu-west-1): promote to v4 by @carmen');
  const review = () =>
    announcement().locator('button[data-action-id="breakglass.review"]', { hasText: 'Mark reviewed' });

  it('orders-api:prod refuses v4 right after staging took it, with the checklist of its gates', async () => {
    await t.as(ALICE);
    await t.open('deploys');
    await t.command('/lambda promote orders-api:staging 4');
    await t.until(async () => (await serving('staging')) === '4', 10_000, 'staging on v4');
    stagedAt = Date.now();
    await t.command('/lambda promote orders-api:prod 4');
    const refusal = t.message('orders-api:prod takes only versions that passed its gates');
    await refusal.waitFor();
    expect(await refusal.getAttribute('class')).toContain('ephemeral');
    const text = await refusal.textContent();
    expect(text).toMatch(/❌ soak: served staging 100% for 0 of 1 min/);
    expect(text).toMatch(/✅ same code: same code as staging \(v4, /);
    expect(text).toContain('--break-glass');
    expect(await serving('prod')).toBe('3');
    await t.shot('9-gates-refused');
  });

  it('a minute later the same promote passes its gates and asks for approval, the request showing the checklist', async () => {
    // The soak counts from the bot's own record of the move, made before the test saw it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, stagedAt + SOAK_MS + 500 - Date.now())));
    await t.command('/lambda promote orders-api:prod 4');
    await t.message(/orders-api:prod[\s\S]*waits for approval/).waitFor();
    await t.open('approvals');
    const request = t.message('Approval needed: promote orders-api:prod (prod/eu-west-1) to v4');
    await request.waitFor();
    const text = await request.textContent();
    expect(text).toMatch(/Gates \(checked when requested\)\s*✅ soak: served staging 100% for 1 of 1 min/);
    expect(text).toMatch(/✅ same code: same code as staging \(v4, /);
    expect(await serving('prod')).toBe('3');
    await t.shot('10-gates-met');
  }, 90_000);

  it('the on-call responder breaks the glass: prod moves at once, announced in #approvals and #alerts', async () => {
    await t.as(CARMEN);
    await t.open('deploys');
    await t.command(`/lambda promote orders-api:prod 4 --break-glass ${REASON}`);
    await t.until(async () => (await serving('prod')) === '4', 10_000, 'prod on v4');
    await t.message(/@carmen promoted orders-api:prod[\s\S]*Break-glass: checkout errors/).waitFor();
    for (const channel of ['approvals', 'alerts']) {
      await t.open(channel);
      await review().waitFor();
      const text = await announcement().textContent();
      expect(text).toContain(REASON);
      expect(text).toContain('Went past: approval (1 by approvers)');
      expect(text).toContain('An approver other than @carmen must review this change');
    }
    await t.shot('11-break-glass');
    // Not her own change: someone else must review it.
    await review().click();
    await t.message('you broke the glass, so someone else must review it').waitFor();
    expect(await review().count()).toBe(1);
  });

  it('an approver other than the actor reviews it: both announcements say so and lose the button', async () => {
    await t.as(BOB);
    await t.open('alerts');
    await review().click();
    await t.message('You reviewed the break-glass promote to v4 on orders-api:prod.').waitFor();
    for (const channel of ['alerts', 'approvals']) {
      await t.open(channel);
      await announcement().filter({ hasText: 'Reviewed by @bob' }).waitFor();
      expect(await review().count()).toBe(0);
    }
    await t.shot('12-reviewed');
  });
}
