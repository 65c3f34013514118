/**
 * The demo's AWS account: three functions with a believable release history (each version its own
 * build, some with configuration changes, so that `diff` and approval requests have something to
 * show), aliases `prod` and `staging`, and for payments-api a build on $LATEST not yet published.
 */

export interface DemoVersion {
  readonly description: string;
  /** The build's commit, used as its artifact name (so each version has its own code hash). */
  readonly commit: string;
  readonly memory?: number;
  readonly timeout?: number;
  /** Environment variable names added from this version on (values are never shown). */
  readonly env?: readonly string[];
}

export interface DemoFunction {
  readonly name: string;
  readonly runtime: 'nodejs20.x' | 'python3.12';
  readonly handler: string;
  readonly memory: number;
  readonly timeout: number;
  readonly env: readonly string[];
  readonly versions: readonly DemoVersion[];
  /** Alias → the version number it serves. */
  readonly aliases: { readonly prod: number; readonly staging: number };
  /** A build deployed to $LATEST after the last version, for `/lambda publish` to find. */
  readonly unpublished?: DemoVersion;
  /** Typical duration of one invocation, for the simulated traffic. */
  readonly durationMs: number;
}

export const FUNCTIONS: readonly DemoFunction[] = [
  {
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
    aliases: { prod: 4, staging: 4 },
    unpublished: { description: 'Fraud score on charge metadata', commit: '3b6f81d' },
    durationMs: 140,
  },
  {
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
    aliases: { prod: 3, staging: 4 },
    durationMs: 90,
  },
  {
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
    aliases: { prod: 2, staging: 3 },
    durationMs: 60,
  },
];

/** Invocations a second on each alias: enough for alarms and canary judgement to have data. */
export const TRAFFIC_RPS = { prod: 25, staging: 10 } as const;

/** The error rate of a healthy version: low, never zero, as in life. */
export const HEALTHY_ERROR_RATE = 0.002;
