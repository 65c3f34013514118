import { rolloutControl } from './rollout-control.js';

export const resume = rolloutControl('resume', 'continue a paused rollout from where it stopped');
