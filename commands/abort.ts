import { rolloutControl } from './rollout-control.js';

export const abort = rolloutControl(
  'abort',
  'stop the rollout and send all traffic back to the version it started from',
);
