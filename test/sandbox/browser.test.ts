import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { alive, type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';

/**
 * The demo as people see it: `npm run sandbox`'s process, its page in Chromium, clicked through
 * four-eyes approval and an alarm-driven rollback, with AWS checked through the SDK. The tests run
 * in order on one page, as the demo is given. Screenshots go to test-results/sandbox/.
 */
const SHOTS = resolve(import.meta.dirname, '../../test-results/sandbox');
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const CARMEN = 'U0CARMEN';

let browser: Browser | undefined;
let sandbox: SandboxProcess | undefined;
let lambda: LambdaClient;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  // The browser first: without it, the test fails at once saying how to install it.
  browser = await launchChromium();
  sandbox = await startSandboxProcess();
  lambda = new LambdaClient({
    endpoint: sandbox.emulatorUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  mkdirSync(SHOTS, { recursive: true });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(sandbox.consoleUrl);
  await page.locator('#bot-state[data-state="ready"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  lambda?.destroy();
  await sandbox?.interrupt();
});

async function as(user: string): Promise<void> {
  await page.selectOption('#user-switch', user);
  await page.locator(`body[data-me="${user}"]`).waitFor();
}

async function open(channel: string): Promise<void> {
  await page.locator('#channel-list a', { hasText: channel }).click();
  await page.locator('#channel-name', { hasText: `# ${channel}` }).waitFor();
}

async function command(text: string): Promise<void> {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
}

function message(text: string | RegExp) {
  return page.locator('#messages li.msg', { hasText: text });
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function serving(fn: string, alias: string): Promise<string | undefined> {
  return (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }))).FunctionVersion;
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the sandbox in a browser', () => {
  it('starts within seconds and shows the demo workspace', async () => {
    expect(sandbox?.startupMs).toBeLessThan(15_000);
    expect(await page.locator('#channel-list .channel-item-name').allInnerTexts()).toEqual([
      'deploys',
      'approvals',
      'alerts',
    ]);
    await message('Welcome to the sandbox').waitFor();
    expect(await serving('payments-api', 'prod')).toBe('4');
  });

  it('the deployer asks to promote payments-api:prod; the request appears in #approvals', async () => {
    await as(ALICE);
    await open('deploys');
    await command('/lambda promote payments-api:prod 5');
    const answer = message('waits for approval');
    await answer.waitFor();
    expect(await answer.getAttribute('class')).toContain('ephemeral');
    expect(await answer.textContent()).toContain('Only visible to you');
    await open('approvals');
    await message('Approval needed: promote payments-api:prod to v5').waitFor();
    await shot('1-approval-request');
  });

  it('the deployer cannot approve it: the confirm dialog comes first, then the refusal only they see', async () => {
    const approve = message('Approval needed').locator('button[data-action-id="approval.approve"]');
    await approve.click();
    await page.locator('#confirm[open]', { hasText: 'Approve this change?' }).waitFor();
    await page.click('#confirm-deny');
    await approve.click();
    await page.click('#confirm-ok');
    const refusal = message(/someone else must approve|may approve/);
    await refusal.waitFor();
    expect(await refusal.getAttribute('class')).toContain('ephemeral');
    expect(await serving('payments-api', 'prod')).toBe('4');
    await shot('2-refused');
  });

  it('the approver approves: the alias moves to v5 and the request is updated in place', async () => {
    await as(BOB);
    await open('approvals');
    expect(await message(/someone else must approve|may approve/).count()).toBe(0);
    await message('Approval needed').locator('button[data-action-id="approval.approve"]').click();
    await page.click('#confirm-ok');
    await until(async () => (await serving('payments-api', 'prod')) === '5', 10_000, 'promotion to v5');
    const request = message('Approval applied: promote payments-api:prod to v5');
    await request.waitFor();
    expect(await request.textContent()).toMatch(/\(edited\)[\s\S]*Approved by @bob/);
    expect(await request.locator('button').count()).toBe(0);
    await shot('3-approved');
  });

  it('making v5 fail on prod brings an alert with Roll back into #alerts', async () => {
    await page.selectOption('#fail-function', 'payments-api');
    await page.selectOption('#fail-alias', 'prod');
    // The form follows the version the alias serves, now v5.
    await page.locator('#fail-version option:checked', { hasText: 'v5 (serving)' }).waitFor({ state: 'attached' });
    await page.fill('#fail-errors', '80');
    await page.click('#fail-apply');
    await page.locator('#fail-status', { hasText: 'now fails 80%' }).waitFor();
    const started = Date.now();
    await open('alerts');
    // An alarm period (10 s) and a poll (5 s); at worst, the change lands at the end of a period and
    // it takes the next one; more on a busy machine.
    await message('ALARM').locator('button', { hasText: 'Roll back to v4' }).waitFor({ timeout: 45_000 });
    console.info(`alert ${Date.now() - started} ms after the failure`);
    await shot('4-alert');
  }, 60_000);

  it('the on-call responder rolls back from the alert: the alias returns to v4 and the alert says so', async () => {
    await as(CARMEN);
    await open('alerts');
    await message('ALARM').locator('button', { hasText: 'Roll back to v4' }).click();
    await page.locator('#confirm[open]', { hasText: 'Roll back?' }).waitFor();
    await page.click('#confirm-ok');
    await until(async () => (await serving('payments-api', 'prod')) === '4', 10_000, 'rollback to v4');
    const alert = message('rolled back');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/@carmen rolled back payments-api:prod to v4/);
    expect(await alert.locator('button', { hasText: 'Roll back' }).count()).toBe(0);
    await shot('5-rolled-back');
    expect(pageErrors).toEqual([]);
  });

  it('Ctrl-C stops the bot and everything else, and exits 0', async () => {
    const children = sandbox?.descendants() ?? [];
    expect(children.length).toBeGreaterThan(0);
    expect(await sandbox?.interrupt()).toBe(0);
    await until(async () => children.every((pid) => !alive(pid)), 5000, 'end of every child process');
  }, 20_000);
});
