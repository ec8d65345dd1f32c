import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeList, searchIndexerHandler, stripeEventProcessing } from '#functions/routes.ts';
import { corsPolicy } from '#shared/http/cors.ts';
import { onboardingEnvironment } from '#shared/payments/onboarding-urls.ts';
import { stripeEventMessage } from '#shared/payments/stripe-event-processor.ts';
import { registerInProcessQueue } from '#shared/queue/in-process.ts';
import type { SearchIndex } from '#shared/search/port.ts';
import { reindexListings } from '#shared/search/reindex.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { StripeEventStore } from '#shared/store/stripe-event-store.ts';
import { ensureTable } from './create-table.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { createGateway } from './gateway.ts';
import { loadFunctionModule, loadHandler } from './handler-loader.ts';
import { createLocalIdentity, type LocalIdentity, loadOrCreateSigningKey } from './identity.ts';
import { LocalMessageQueue, type QueueHandler } from './message-queue.ts';
import { type OrderWorkflows, startOrderWorkflows } from './order-workflows.ts';
import { type PaymentSimulator, startPaymentSimulator } from './payment-simulator/index.ts';
import { startPayoutWorkflows } from './payout-workflows.ts';
import { type StreamHandler, type StreamPoller, startStreamPoller } from './stream-poller.ts';
import type { WorkflowRunner } from './workflow-runner.ts';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly dynamoDbPort: number;
  /** Keeps the token signing key and the table's data here; omit to keep both in memory. */
  readonly dataDir?: string;
  /** Keeps the table in memory even when there is a data directory. */
  readonly inMemory?: boolean;
  readonly tableName: string;
  /** Origins browsers may call the API from; `*` for any. */
  readonly corsAllowOrigins: readonly string[];
  /** Real milliseconds per second of workflow time (step timeouts); tests shrink it. Default 1000. */
  readonly workflowMsPerSecond?: number;
  /** Stripe's test mode instead of the payment simulator: a test-mode key and `stripe listen`'s secret. */
  readonly stripe?: { readonly secretKey: string; readonly webhookSecret: string };
  /**
   * A payment simulator that outlives this stack (tests that restart it), sending its events to this
   * stack's `/webhooks/stripe`; the stack neither starts nor stops it.
   */
  readonly paymentSimulator?: PaymentSimulator;
  /** The web app's seller payments page Stripe's onboarding returns to; a local default otherwise. */
  readonly sellerOnboardingUrl?: string;
  /**
   * Payout settings (the `PAYOUT_*` environment of functions/payouts/payout-settings.ts) replacing
   * those of the environment; without them, the environment's (or the defaults) apply.
   */
  readonly payoutSettings?: Readonly<Record<string, string>>;
}

export interface LocalStack {
  readonly url: string;
  readonly identity: LocalIdentity;
  readonly orderWorkflows: WorkflowRunner;
  readonly payoutWorkflows: WorkflowRunner;
  /** The stand-in for Stripe, absent when the stack uses Stripe's test mode. */
  readonly paymentSimulator?: PaymentSimulator;
  /** The queue of verified Stripe events, feeding their processor. */
  readonly stripeEvents: LocalMessageQueue;
  stop(): Promise<void>;
}

/**
 * The in-process search engine starts empty: follow the stream from now on, then fill it from the
 * table (versions let the two overlap safely).
 */
async function startSearchIndexing(endpoint: string, tableName: string): Promise<StreamPoller> {
  const poller = await startStreamPoller({
    endpoint,
    tableName,
    handler: await loadHandler<StreamHandler>(searchIndexerHandler),
  });
  const { searchIndex } = await loadFunctionModule<{ searchIndex: SearchIndex }>('search/search-index');
  const client = createDocumentClient(endpoint);
  try {
    await reindexListings(new ListingStore(client, tableName), searchIndex);
  } finally {
    client.destroy();
  }
  return poller;
}

/** A web client on this machine, e.g. a Vite dev server. */
const localSellerOnboardingUrl = 'http://localhost:5173/seller/payments';

export const signingKeyFile = (dataDir: string) => join(dataDir, 'local-identity-key.json');

function useSimulator(simulator: PaymentSimulator): void {
  if (!simulator.webhookSecret) throw new Error('The payment simulator must send its events to the stack');
  process.env.STRIPE_SECRET_KEY = simulator.secretKey;
  process.env.STRIPE_WEBHOOK_SECRET = simulator.webhookSecret;
  process.env.STRIPE_API_URL = simulator.url;
}

/**
 * Points the payment functions at Stripe's test mode, or at a payment simulator that delivers its
 * signed events to the gateway's webhook route. Answers the simulator the stack started, if any.
 */
async function startPayments(
  { stripe, paymentSimulator }: Pick<LocalStackOptions, 'stripe' | 'paymentSimulator'>,
  apiUrl: string,
): Promise<PaymentSimulator | undefined> {
  if (stripe) {
    process.env.STRIPE_SECRET_KEY = stripe.secretKey;
    process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
    delete process.env.STRIPE_API_URL;
    return undefined;
  }
  if (paymentSimulator) {
    useSimulator(paymentSimulator);
    return undefined;
  }
  const simulator = await startPaymentSimulator({
    webhook: { url: `${apiUrl}/webhooks/stripe`, secret: `whsec_local_${randomBytes(16).toString('hex')}` },
  });
  useSimulator(simulator);
  return simulator;
}

/**
 * The queue between the webhook route and the Stripe event processor, found by the functions by its
 * name. The processor loads at its first batch, as in Lambda: a module that fails to load fails
 * that batch, which is retried and dead-lettered, instead of the whole stack's start.
 */
function startStripeEventQueue(): LocalMessageQueue {
  const queue = new LocalMessageQueue({
    name: stripeEventProcessing.queue,
    handler: async (event, context) =>
      (await loadHandler<QueueHandler>(stripeEventProcessing.handler))(event, context),
  });
  registerInProcessQueue(stripeEventProcessing.queue, queue);
  return queue;
}

/**
 * Queues again every stored event not processed yet: the in-process queue's messages were lost when
 * the stack last stopped, and Stripe does not deliver an event it saw acknowledged again.
 */
async function requeueUnprocessedStripeEvents(endpoint: string, tableName: string, queue: LocalMessageQueue) {
  const client = createDocumentClient(endpoint);
  try {
    for await (const ids of new StripeEventStore(client, tableName).unprocessedIds()) {
      await Promise.all(ids.map((eventId) => queue.send(stripeEventMessage(eventId))));
    }
  } finally {
    client.destroy();
  }
}

/** DynamoDB Local, the table, the local identity provider and the gateway: the marketplace on one machine. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { port, dynamoDbPort, dataDir, inMemory, tableName, corsAllowOrigins, workflowMsPerSecond } = options;
  const dynamoDb = await startDynamoDbLocal({
    port: dynamoDbPort,
    ...(dataDir && !inMemory ? { dataDir: join(dataDir, 'dynamodb') } : {}),
  });
  let poller: StreamPoller | undefined;
  let workflows: OrderWorkflows | undefined;
  let payoutRunner: WorkflowRunner | undefined;
  let ownSimulator: PaymentSimulator | undefined;
  let stripeEventQueue: LocalMessageQueue | undefined;
  const identity = await createLocalIdentity(
    dataDir ? await loadOrCreateSigningKey(signingKeyFile(dataDir)) : undefined,
  );
  const gateway = createGateway(
    identity,
    corsPolicy(
      corsAllowOrigins,
      routeList.map((route) => route.method),
    ),
  );
  const closeGateway = () =>
    new Promise<void>((resolve) => (gateway.listening ? gateway.close(() => resolve()) : resolve()));
  try {
    const client = createDocumentClient(dynamoDb.endpoint);
    await ensureTable(client, tableName);
    client.destroy();
    // Functions load at their first call, as in Lambda: the gateway may listen before they are configured.
    await new Promise<void>((resolve, reject) =>
      gateway.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    const { port: boundPort } = gateway.address() as AddressInfo;
    const url = `http://127.0.0.1:${boundPort}`;
    // The handlers read their configuration from the environment, as in Lambda.
    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = dynamoDb.endpoint;
    process.env.SEARCH_ENGINE = 'embedded';
    process.env.WORKFLOW_ENGINE = 'in-process';
    Object.assign(
      process.env,
      onboardingEnvironment(options.sellerOnboardingUrl ?? localSellerOnboardingUrl),
    );
    process.env.EVENT_QUEUE = 'in-process';
    const itemListDirectory = dataDir
      ? join(dataDir, 'item-lists')
      : await mkdtemp(join(tmpdir(), 'marketplace-item-lists-'));
    process.env.ITEM_LIST_DIRECTORY = itemListDirectory;
    if (options.payoutSettings) {
      for (const name of Object.keys(process.env)) if (name.startsWith('PAYOUT_')) delete process.env[name];
      Object.assign(process.env, options.payoutSettings);
    }
    ownSimulator = await startPayments(options, url);
    const startedSimulator = ownSimulator;
    const paymentSimulator = options.paymentSimulator ?? startedSimulator;
    stripeEventQueue = startStripeEventQueue();
    const stripeEvents = stripeEventQueue;
    await requeueUnprocessedStripeEvents(dynamoDb.endpoint, tableName, stripeEvents);
    poller = await startSearchIndexing(dynamoDb.endpoint, tableName);
    const indexing = poller;
    workflows = await startOrderWorkflows(dynamoDb.endpoint, tableName, workflowMsPerSecond);
    const orderWorkflows = workflows;
    payoutRunner = await startPayoutWorkflows(
      dynamoDb.endpoint,
      tableName,
      itemListDirectory,
      workflowMsPerSecond,
    );
    const payoutWorkflows = payoutRunner;
    return {
      url,
      identity,
      orderWorkflows: orderWorkflows.runner,
      payoutWorkflows,
      ...(paymentSimulator ? { paymentSimulator } : {}),
      stripeEvents,
      async stop() {
        await closeGateway();
        await stripeEvents.stop();
        await payoutWorkflows.stop();
        await orderWorkflows.stop();
        await indexing.stop();
        await startedSimulator?.stop();
        await dynamoDb.stop();
      },
    };
  } catch (error) {
    await closeGateway();
    await stripeEventQueue?.stop();
    await payoutRunner?.stop();
    await workflows?.stop();
    await poller?.stop();
    await ownSimulator?.stop();
    await dynamoDb.stop();
    throw error;
  }
}
