import { rolloutControl } from './rollout-control.js';

export const pause = rolloutControl('pause', 'hold the rollout on an alias at its current step');
