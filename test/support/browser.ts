/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download does not work
 * here), with the flags that keep it from reaching out to the network at start.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium with a fresh profile; a missing browser fails with how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at ${CHROMIUM}, and the sandbox's browser test needs it. ` +
        'Install it with: sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome. ' +
        '(.ci/run installs it in CI.)',
    );
  }
  // launch() gives the browser a new, empty profile (user data directory) of its own every time.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
