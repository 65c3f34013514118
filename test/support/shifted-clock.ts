/**
 * Preloaded into a bot process (`NODE_OPTIONS=--import …/shifted-clock.js`, see bot-clock.ts) by
 * end-to-end tests of what only time brings: a soak, an overdue review. The process's `Date` runs
 * ahead of the wall clock by the milliseconds in the file `BOT_CLOCK_FILE` names, read afresh at
 * every reading of the time, so a test moves the bot's clock by rewriting one number. Timers still
 * run in real time: a job due by the clock runs at its next tick, within a second.
 */
import { readFileSync } from 'node:fs';

const file = process.env.BOT_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  const realNow = Date.now;
  const offset = (): number => {
    try {
      return Number(readFileSync(file, 'utf8')) || 0;
    } catch {
      return 0;
    }
  };
  const now = () => realNow() + offset();
  // A proxy rather than a subclass: `Date()` called bare, `instanceof Date` and subclasses keep working.
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  });
}
