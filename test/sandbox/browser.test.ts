import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { alive, type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';
import { gatesAndBreakGlass } from './tour-gates.js';

/**
 * The demo as people see it: `npm run sandbox`'s process, its page in Chromium, clicked through
 * the README's tour (four-eyes approval, an alarm-driven rollback, a canary that rolls itself
 * back, aliases moved by someone at the AWS console; promotion gates and break-glass in
 * tour-gates.ts; the audit archive's segments), with AWS checked through the SDK in each account and region: of the three
 * functions named payments-api, only the one the tour names changes. The tests run in order on one page, as the demo is given. Screenshots go to
 * test-results/sandbox/.
 */
const SHOTS = resolve(import.meta.dirname, '../../test-results/sandbox');
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const CARMEN = 'U0CARMEN';

/** Where the three payments-api are, as the panel's place selector names them. */
const PROD_EU = { account: '222222222222', region: 'eu-west-1' };
const PROD_US = { account: '222222222222', region: 'us-east-1' };
const STAGING_EU = { account: '111111111111', region: 'eu-west-1' };
type Place = typeof PROD_EU;

let browser: Browser | undefined;
let sandbox: SandboxProcess | undefined;
const clients = new Map<Place, LambdaClient>();
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  // The browser first: without it, the test fails at once saying how to install it.
  browser = await launchChromium();
  sandbox = await startSandboxProcess();
  for (const place of [PROD_EU, PROD_US, STAGING_EU]) {
    // A 12-digit access key ID acts in that account.
    const credentials = { accessKeyId: place.account, secretAccessKey: 'test' };
    clients.set(
      place,
      new LambdaClient({ endpoint: sandbox.emulatorUrl, region: place.region, credentials, maxAttempts: 1 }),
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(sandbox.consoleUrl);
  await page.locator('#bot-state[data-state="ready"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const client of clients.values()) client.destroy();
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

/** The alias's version, and the weights of any others, as `4` or `4+5:0.1`. */
async function serving(place: Place, alias: string): Promise<string | undefined> {
  const client = clients.get(place) as LambdaClient;
  const a = await client.send(new GetAliasCommand({ FunctionName: 'payments-api', Name: alias }));
  const extra = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([v, w]) => `+${v}:${w}`);
  return `${a.FunctionVersion}${extra.join('')}`;
}

/** Sets "Make it fail" on one alias in one place, at the version the alias serves (the newest, in a canary). */
async function makeFail(place: Place, alias: string, version: string, percent: number): Promise<void> {
  await page.selectOption('#fail-place', `${place.account}/${place.region}`);
  await page.selectOption('#fail-function', 'payments-api');
  await page.selectOption('#fail-alias', alias);
  await page
    .locator('#fail-version option:checked', { hasText: `v${version} (serving)` })
    .waitFor({ state: 'attached' });
  await page.fill('#fail-errors', String(percent));
  await page.click('#fail-apply');
  await page.locator('#fail-status', { hasText: `now fails ${percent}%` }).waitFor();
}

/** Moves payments-api's alias in one place as an IAM user, with the panel's "At the AWS console". */
async function moveAs(user: string, place: Place, alias: string, version: string): Promise<void> {
  await page.selectOption('#act-user', user);
  await page.selectOption('#act-place', `${place.account}/${place.region}`);
  await page.selectOption('#act-function', 'payments-api');
  await page.selectOption('#act-alias', alias);
  await page.selectOption('#act-version', version);
  await page.click('#act-move');
  await page.locator('#act-status', { hasText: `As ${user}: payments-api:${alias}` }).waitFor();
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
    await page.locator('#aws-state .place-head').first().waitFor();
    expect(await page.locator('#aws-state .place-head').allInnerTexts()).toEqual([
      'prod · 222222222222 · eu-west-1',
      'prod · 222222222222 · us-east-1',
      'staging · 111111111111 · eu-west-1',
    ]);
    expect(await serving(PROD_EU, 'prod')).toBe('4');
  });

  it('status says where a function lives, and its name in AWS when the bot calls it otherwise', async () => {
    // The page starts as Alice (choosing her again would reload it while she types).
    await command('/lambda status payments-api');
    await message(/Status of payments-api(?!-)[\s\S]*In account prod \(222222222222\), eu-west-1/).waitFor();
    await command('/lambda status payments-api-us');
    await message(/In account prod \(222222222222\), us-east-1 · named payments-api in AWS/).waitFor();
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
    await message('Approval needed: promote payments-api:prod (prod/eu-west-1) to v5').waitFor();
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
    expect(await serving(PROD_EU, 'prod')).toBe('4');
    await shot('2-refused');
  });

  it('the approver approves: the alias moves to v5 in prod/eu-west-1 only, and the request is updated in place', async () => {
    await as(BOB);
    await open('approvals');
    expect(await message(/someone else must approve|may approve/).count()).toBe(0);
    await message('Approval needed').locator('button[data-action-id="approval.approve"]').click();
    await page.click('#confirm-ok');
    await until(async () => (await serving(PROD_EU, 'prod')) === '5', 10_000, 'promotion to v5');
    expect([await serving(PROD_US, 'prod'), await serving(STAGING_EU, 'staging')]).toEqual(['4', '4']);
    const request = message('Approval applied: promote payments-api:prod (prod/eu-west-1) to v5');
    await request.waitFor();
    expect(await request.textContent()).toMatch(/\(edited\)[\s\S]*Approved by @bob/);
    expect(await request.locator('button').count()).toBe(0);
    await shot('3-approved');
  });

  it('making v5 fail on prod brings an alert with Roll back into #alerts', async () => {
    // The form follows the version the alias serves, now v5.
    await makeFail(PROD_EU, 'prod', '5', 80);
    const started = Date.now();
    await open('alerts');
    // An alarm period (10 s) and a poll (5 s); at worst, the change lands at the end of a period and
    // it takes the next one; more on a busy machine.
    const alert = message('ALARM');
    await alert.locator('button', { hasText: 'Roll back to v4' }).waitFor({ timeout: 45_000 });
    console.info(`alert ${Date.now() - started} ms after the failure`);
    expect(await alert.textContent()).toContain('on payments-api:prod (prod/eu-west-1)');
    // The panel shows the alarm in its place's group; its top is what docs/sandbox.png shows (this shot).
    await page.locator('[data-place="222222222222/eu-west-1"] .fn-card', { hasText: '1 in ALARM' }).waitFor();
    await page.locator('#side').evaluate((side) => side.scrollTo(0, 0));
    await shot('4-alert');
  }, 60_000);

  it('the on-call responder rolls back from the alert: the alias returns to v4 and the alert says so', async () => {
    await as(CARMEN);
    await open('alerts');
    await message('ALARM').locator('button', { hasText: 'Roll back to v4' }).click();
    await page.locator('#confirm[open]', { hasText: 'Roll back?' }).waitFor();
    await page.click('#confirm-ok');
    await until(async () => (await serving(PROD_EU, 'prod')) === '4', 10_000, 'rollback to v4');
    const alert = message('rolled back');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/@carmen rolled back payments-api:prod \(prod\/eu-west-1\) to v4/);
    expect(await alert.locator('button', { hasText: 'Roll back' }).count()).toBe(0);
    await shot('5-rolled-back');
  });

  it('a canary in the staging account rolls itself back when v5 fails there', async () => {
    await as(ALICE);
    await open('deploys');
    await command('/lambda canary payments-staging:staging 5 --steps 10,50,100 --every 20s --judge');
    await until(async () => (await serving(STAGING_EU, 'staging')) === '4+5:0.1', 10_000, 'the first step');
    // 100%: the canary's 10% then fails the whole alias's alarm.
    await makeFail(STAGING_EU, 'staging', '5', 100);
    const rollout = message('Rollout of payments-staging:staging (staging/eu-west-1)');
    await rollout.filter({ hasText: 'Rolled back' }).waitFor({ timeout: 45_000 });
    expect(await serving(STAGING_EU, 'staging')).toBe('4');
    expect([await serving(PROD_EU, 'prod'), await serving(PROD_US, 'prod')]).toEqual(['4', '4']);
    await shot('6-canary-rolled-back');
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('mallory moves prod at the AWS console: the alert names her, and Put back restores what the bot set', async () => {
    await as(CARMEN);
    await open('alerts');
    // Nothing so far was outside the bot: not the demo's seed, nor the bot's own promote, rollback and canary.
    expect(await message('Changed outside the bot').count()).toBe(0);
    await moveAs('mallory', PROD_EU, 'prod', '3');
    expect(await serving(PROD_EU, 'prod')).toBe('3');
    // The bot looks every 10 s (watch_interval) and asks CloudTrail who did it.
    const alert = message('Changed outside the bot').filter({ hasText: 'payments-api:prod (prod/eu-west-1)' });
    await alert.filter({ hasText: 'arn:aws:iam::222222222222:user/mallory' }).waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/prod moved from 100% v4 to 100% v3/);
    await shot('7-outside-change');
    await alert.locator('button[data-action-id="outside.revert"]', { hasText: 'Put back to 100% v4' }).click();
    await page.locator('#confirm[open]', { hasText: 'Put it back?' }).waitFor();
    await page.click('#confirm-ok');
    await until(async () => (await serving(PROD_EU, 'prod')) === '4', 10_000, 'the alias put back to v4');
    await alert.filter({ hasText: /@carmen put it back to/ }).waitFor();
    expect(await alert.locator('button[data-action-id="outside.revert"]').count()).toBe(0);
    await shot('8-put-back');
  }, 45_000);

  it('dave moves payments-staging at the console: the bot puts it back within an interval, as itself', async () => {
    await moveAs('dave', STAGING_EU, 'staging', '3');
    // `outside_changes: revert`, and the canary left it where the bot set it: v4.
    await until(async () => (await serving(STAGING_EU, 'staging')) === '4', 30_000, 'the bot’s put-back to v4');
    const alert = message('Changed outside the bot').filter({
      hasText: 'payments-staging:staging (staging/eu-west-1)',
    });
    await alert.filter({ hasText: 'arn:aws:iam::111111111111:user/dave' }).waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/the bot put it back to/);
    expect(await alert.locator('button[data-action-id="outside.revert"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 45_000);

  gatesAndBreakGlass({ prodEu: () => clients.get(PROD_EU) as LambdaClient, as, open, command, message, shot, until });

  it('the panel shows the audit archive: the tour’s records in segments, each locked', async () => {
    // The demo's archiver seals a segment every 20 s or 20 records: the tour has long left some.
    const archive = page.locator('#archive');
    await archive.locator('.segment').first().waitFor({ timeout: 30_000 });
    expect(await archive.locator('.archive-head').textContent()).toContain(
      's3://acme-lambda-audit/lambda-release-bot/',
    );
    expect(await archive.locator('.archive-count').textContent()).toMatch(/^\d+ segments?, records 1–\d+/);
    expect(await archive.locator('.segment-lock').first().textContent()).toMatch(/^COMPLIANCE until \d{4}-\d\d-\d\d$/);
    // In the page, in one step: the panel is drawn anew as segments come, and an element Playwright
    // resolved first may be replaced before it scrolls to it.
    await page.evaluate("document.getElementById('archive')?.scrollIntoView()");
    await shot('13-archive');
  }, 40_000);

  it('Ctrl-C stops the bot and everything else, and exits 0', async () => {
    const children = sandbox?.descendants() ?? [];
    expect(children.length).toBeGreaterThan(0);
    // Read before Ctrl-C removes it: the bot's stdout and stderr, which the sandbox keeps in a file.
    const botLog = readFileSync(/bot log\s+(\S+)/.exec(sandbox?.output.join('') ?? '')?.[1] ?? '', 'utf8');
    expect(botLog).toContain('"msg":"listening"');
    expect(await sandbox?.interrupt()).toBe(0);
    // Nor the sandbox (its seeding and panel use the SDK) nor the bot prints the SDK's Node.js notice.
    for (const text of [sandbox?.output.join('') ?? '', botLog])
      expect(text).not.toContain('NodeVersionSupportWarning');
    await until(async () => children.every((pid) => !alive(pid)), 5000, 'end of every child process');
  }, 20_000);
});
