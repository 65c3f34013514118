/**
 * The narrow interfaces the services need, one file per concern under `ports/`. Adapters implement
 * them (AWS, Redis, Slack); tests use small in-memory fakes of the same interfaces, checked by the
 * same contract suites.
 */
export type * from './ports/alarms.js';
export type * from './ports/archive.js';
export type * from './ports/audit.js';
export type * from './ports/coordination.js';
export type * from './ports/home.js';
export type * from './ports/lambda.js';
export type * from './ports/outside.js';
export type * from './ports/slack.js';
export type * from './ports/stores.js';
