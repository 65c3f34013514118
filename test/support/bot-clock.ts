/**
 * The bot's clock under a test's control: a bot started with `env` runs its `Date` ahead of the
 * wall clock by what `advance` added (shifted-clock.ts, preloaded from dist/). Slack signs requests
 * with the sender's time and the bot refuses those five minutes off its own, so requests to such a
 * bot are signed at `signAt()`.
 */
import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './bot-process.js';
import type { SignOptions } from './slack-requests.js';

const PRELOAD = join(ROOT, 'dist/test/support/shifted-clock.js');

export interface BotClock {
  /** For the bot's environment (and its replicas'). */
  readonly env: Record<string, string>;
  /** The bot's time now, in Unix milliseconds. */
  now(): number;
  /** Moves the bot's clock `ms` forward; every process started with `env` sees it at its next reading. */
  advance(ms: number): void;
  /** Signing options that put a request at the bot's time. */
  signAt(): SignOptions;
}

export function botClock(): BotClock {
  if (!existsSync(PRELOAD)) throw new Error(`${PRELOAD} is missing: run npx tsc -p tsconfig.json first`);
  const dir = mkdtempSync(join(tmpdir(), 'bot-clock-'));
  const file = join(dir, 'offset');
  let offset = 0;
  // Written whole and renamed: a bot reading mid-write must never see the clock jump back to 0.
  const write = () => {
    writeFileSync(join(dir, 'next'), String(offset));
    renameSync(join(dir, 'next'), file);
  };
  write();
  return {
    env: { NODE_OPTIONS: `--import ${PRELOAD}`, BOT_CLOCK_FILE: file },
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
      write();
    },
    signAt() {
      return { timestamp: Math.floor((Date.now() + offset) / 1000) };
    },
  };
}
