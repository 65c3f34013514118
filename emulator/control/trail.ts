import { bad, type ControlHandler, ok } from './reply.js';

/** `PUT /_emulator/cloudtrail` `{"delayMs": 120000}`: events show in LookupEvents only once that long has passed. */
export const putCloudTrail: ControlHandler = (app, input) => {
  const { delayMs } = input;
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    return bad('delayMs must be a number of milliseconds >= 0');
  }
  app.trail.delayMs = delayMs;
  return getCloudTrail(app, input, new URL('http://emulator/'));
};

/** `GET /_emulator/cloudtrail`: the delay, and how many events each place holds (delivered or not). */
export const getCloudTrail: ControlHandler = (app) => ok({ delayMs: app.trail.delayMs, events: app.trail.counts() });
