/**
 * The demo's functions and where they live. Three functions with a believable release history (each
 * version its own build, some with configuration changes, so that `diff` and approval requests have
 * something to show), each deployed by its pipeline to the staging account (alias `staging`) and the
 * prod account (alias `prod`); payments-api also serves prod from a second region, under the same AWS
 * name, so that the demo shows the bot keeping the three payments-api apart. orders-api also has a
 * `staging` alias in prod, where a build must soak before prod takes it.
 */
import type { PanelPlace } from '../console/aws-panel.js';
import { type DemoPlace, PLACES, PROD_EU, PROD_US, STAGING_EU } from './account.js';

export interface DemoVersion {
  readonly description: string;
  /** The build's commit, used as its artifact name (so each version has its own code hash). */
  readonly commit: string;
  readonly memory?: number;
  readonly timeout?: number;
  /** Environment variable names added from this version on (values are never shown). */
  readonly env?: readonly string[];
}

/** A function as its pipeline builds it: the same code and history in every place it is deployed to. */
export interface DemoFunction {
  /** The function's name in AWS, the same in every place. */
  readonly name: string;
  readonly runtime: 'nodejs20.x' | 'python3.12';
  readonly handler: string;
  readonly memory: number;
  readonly timeout: number;
  readonly env: readonly string[];
  readonly versions: readonly DemoVersion[];
  /** Typical duration of one invocation, for the simulated traffic. */
  readonly durationMs: number;
}

export type AliasName = 'prod' | 'staging';

/** One function in one place, under the name people type in /lambda (the policy's key). */
export interface DemoDeployment {
  readonly key: string;
  readonly fn: DemoFunction;
  readonly place: DemoPlace;
  /** Alias → the version number it serves. */
  readonly aliases: Partial<Record<AliasName, number>>;
  /** A build deployed to $LATEST after the last version, for `/lambda publish` to find. */
  readonly unpublished?: DemoVersion;
}

const PAYMENTS: DemoFunction = {
  name: 'payments-api',
  runtime: 'nodejs20.x',
  handler: 'dist/handler.charge',
  memory: 512,
  timeout: 10,
  env: ['STRIPE_API_KEY', 'LEDGER_TABLE'],
  versions: [
    { description: 'Card payments via Stripe', commit: '1f3c9e2' },
    { description: 'Idempotency keys on charge requests', commit: '7a41d0b', env: ['IDEMPOTENCY_TABLE'] },
    { description: 'Retry idempotency keys on 5xx', commit: 'c08e5f1' },
    { description: 'Upgrade stripe-node to 14.x', commit: '52b7aa3', memory: 768 },
    { description: 'Add 3-D Secure challenge flow', commit: 'e9d24c6', timeout: 15, env: ['THREEDS_PROVIDER'] },
  ],
  durationMs: 140,
};

const ORDERS: DemoFunction = {
  name: 'orders-api',
  runtime: 'nodejs20.x',
  handler: 'dist/handler.orders',
  memory: 256,
  timeout: 6,
  env: ['ORDERS_TABLE'],
  versions: [
    { description: 'Orders API: create, get, list', commit: '0d9b3a7' },
    { description: 'Paginate order history', commit: '6e2f4c1' },
    { description: 'Emit OrderPlaced to EventBridge', commit: 'a73c5d9', env: ['EVENT_BUS_NAME'] },
    { description: 'Batch writes to DynamoDB', commit: 'f41e8b2', memory: 512 },
  ],
  durationMs: 90,
};

const SEARCH: DemoFunction = {
  name: 'search-api',
  runtime: 'python3.12',
  handler: 'search.handler',
  memory: 1024,
  timeout: 5,
  env: ['OPENSEARCH_ENDPOINT'],
  versions: [
    { description: 'Product search on OpenSearch', commit: '9c1a6e4' },
    { description: 'Typo tolerance in queries', commit: 'b25d7f0' },
    { description: 'Cache popular queries for 60 s', commit: '4e8a3c2', env: ['CACHE_TTL_SECONDS'] },
  ],
  durationMs: 60,
};

/**
 * Prod's functions keep their AWS names (the tour's `payments-api:prod`); the others are named for
 * where they are, as the README's example policy names them.
 */
export const DEPLOYMENTS: readonly DemoDeployment[] = [
  { key: 'payments-api', fn: PAYMENTS, place: PROD_EU, aliases: { prod: 4 } },
  // Builds soak on a staging alias beside prod before prod may take them (the policy's gates).
  { key: 'orders-api', fn: ORDERS, place: PROD_EU, aliases: { prod: 3, staging: 3 } },
  { key: 'search-api', fn: SEARCH, place: PROD_EU, aliases: { prod: 2 } },
  { key: 'payments-api-us', fn: PAYMENTS, place: PROD_US, aliases: { prod: 4 } },
  {
    key: 'payments-staging',
    fn: PAYMENTS,
    place: STAGING_EU,
    aliases: { staging: 4 },
    // New builds land in staging first.
    unpublished: { description: 'Fraud score on charge metadata', commit: '3b6f81d' },
  },
  { key: 'orders-staging', fn: ORDERS, place: STAGING_EU, aliases: { staging: 4 } },
  { key: 'search-staging', fn: SEARCH, place: STAGING_EU, aliases: { staging: 3 } },
];

/** Invocations a second on each alias: enough for alarms and canary judgement to have data. */
export const TRAFFIC_RPS = { prod: 25, staging: 10 } as const;

/** The error rate of a healthy version: low, never zero, as in life. */
export const HEALTHY_ERROR_RATE = 0.002;

/** The demo's places as the panel shows them, with the names people type for what is there. */
export function panelPlaces(): PanelPlace[] {
  return PLACES.map((p) => ({
    account: p.account.name,
    accountId: p.account.id,
    region: p.region,
    keys: Object.fromEntries(DEPLOYMENTS.filter((d) => d.place === p).map((d) => [d.fn.name, d.key])),
  }));
}
