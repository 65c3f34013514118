import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { type SandboxProcess, startSandboxProcess } from '../support/sandbox-process.js';

/**
 * The sandbox's Home tab in Chromium: an entry above the channels, the view the bot published for
 * the person the page is for, and the same view again, newer, after a change made elsewhere.
 */
const SHOTS = resolve(import.meta.dirname, '../../test-results/sandbox');
let browser: Browser | undefined;
let sandbox: SandboxProcess | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  sandbox = await startSandboxProcess();
  mkdirSync(SHOTS, { recursive: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(sandbox.consoleUrl);
  await page.locator('#bot-state[data-state="ready"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.interrupt();
});

async function as(user: string): Promise<void> {
  await page.selectOption('#user-switch', user);
  await page.locator(`body[data-me="${user}"]`).waitFor();
}

/** A command sent as someone else, through the console's API, while the page stays on Home. */
async function commandAs(user: string, text: string): Promise<void> {
  const reply = await fetch(`${sandbox?.consoleUrl}/console/command`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, channel: 'C0DEPLOYS', text }),
  });
  expect(((await reply.json()) as { ok: boolean }).ok).toBe(true);
}

async function version(): Promise<number> {
  return Number(await page.locator('#home-view').getAttribute('data-version'));
}

describe('sandbox Home tab', () => {
  it('opens from the entry above the channels and shows what the bot published', async () => {
    await as('U0ALICE');
    const entry = page.locator('#home-entry');
    const channels = page.locator('#channel-list');
    const entryBox = await entry.boundingBox();
    const channelsBox = await channels.boundingBox();
    expect(entryBox?.y).toBeLessThan(channelsBox?.y ?? 0);
    await entry.click();
    await page.locator('#home-view .b-header').first().waitFor();
    expect(await page.locator('#home-view .b-header').first().textContent()).toBeTruthy();
    expect(await page.locator('#composer').isVisible()).toBe(false);
    expect(await version()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, 'home.png') });
  }, 30_000);

  it('stays live: a change made by someone else publishes it again', async () => {
    const before = await version();
    await commandAs('U0BOB', '/lambda freeze payments-api:staging home tab test');
    await expect.poll(version, { timeout: 20_000, interval: 100 }).toBeGreaterThan(before);
    await commandAs('U0BOB', '/lambda unfreeze payments-api:staging');
  }, 30_000);

  it('is per person: someone else sees their own Home, and the channels come back', async () => {
    await as('U0CARMEN');
    await page.locator('#home-entry').click();
    await expect.poll(version, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    await page.locator('#channel-list a', { hasText: 'deploys' }).click();
    await page.locator('#channel-name', { hasText: '# deploys' }).waitFor();
    expect(await page.locator('#composer').isVisible()).toBe(true);
    expect(await page.locator('#home-view').isVisible()).toBe(false);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
