import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notifier, routeList, stripeEventProcessing, webhookDelivery } from '#functions/routes.ts';
import { resourceVariables } from '#shared/config/function-resources.ts';
import { corsPolicy } from '#shared/http/cors.ts';
import { onboardingEnvironment } from '#shared/payments/onboarding-urls.ts';
import { stripeEventMessage } from '#shared/payments/stripe-event-processor.ts';
import type { SearchIndex } from '#shared/search/port.ts';
import { reindexListings } from '#shared/search/reindex.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import type { MeteredCall } from './aws/dynamodb-gateway.ts';
import type { FunctionPolicies } from './aws/role-policies.ts';
import type { TemplateFunction } from './aws/template-references.ts';
import { type LocalAwsServices, s3DirectoryIn, startLocalAwsServices } from './aws-services.ts';
import { assemblyTemplate, synthesizedTemplate } from './cloud-assembly.ts';
import { ensureTable } from './create-table.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { useEmbeddedSearch } from './embedded-search.ts';
import { type LocalEventSources, startEventSources } from './event-sources.ts';
import { createGateway } from './gateway.ts';
import { createLocalIdentity, type LocalIdentity, loadOrCreateSigningKey } from './identity.ts';
import {
  type FunctionCode,
  functionsEnvironment,
  type InvocationMeter,
  type LocalFunctions,
  type StripeSettingsSecret,
  startLocalFunctions,
} from './local-functions.ts';
import { MailSink, mailDirectoryIn } from './mail-sink.ts';
import type { LocalMessageQueue } from './message-queue.ts';
import { operatorSettingPrefix } from './operator-settings.ts';
import { localRunnerOptions, startOrderWorkflows, type TaskWrapper } from './order-workflows.ts';
import { type PaymentSimulator, startPaymentSimulator } from './payment-simulator/index.ts';
import { startPayoutWorkflows } from './payout-workflows.ts';
import { startReminderWorkflows } from './reminder-workflows.ts';
import { startReviewWorkflows } from './review-workflows.ts';
import { allListings, unprocessedStripeEventIds } from './table-scans.ts';
import { LocalUserDirectory, userDirectoryFile } from './user-directory.ts';
import { requeuePendingWebhookDeliveries } from './webhook-deliveries.ts';
import type { StateTransition, WorkflowRunner } from './workflow-runner.ts';

/** What a benchmark sees of the stack at work; the stack behaves the same with or without them. */
export interface StackMeters {
  /** Runs every function invocation, whatever triggers it: a route, a stream, a queue, a workflow. */
  readonly invocation?: InvocationMeter;
  /** Every call a function makes to DynamoDB, with the capacity it consumed. */
  readonly dynamoDbCall?: (call: MeteredCall) => void;
  /** Every state a workflow execution enters, and every retry: what Step Functions Standard bills. */
  readonly transition?: (transition: StateTransition) => void;
}

export interface LocalStackOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly dynamoDbPort: number;
  /**
   * The port of the local AWS services (`AWS_ENDPOINT_URL`); 0 or none picks a free one. A stack
   * started again in the same process must reuse it: its functions keep their clients, as warm
   * Lambda containers do.
   */
  readonly awsPort?: number;
  /** Keeps the token signing key, the table's data and S3's objects here; omit to keep them in memory. */
  readonly dataDir?: string;
  /** Keeps the table in memory even when there is a data directory. */
  readonly inMemory?: boolean;
  readonly tableName: string;
  /** Origins browsers may call the API from; `*` for any. */
  readonly corsAllowOrigins: readonly string[];
  /** Real milliseconds per second of workflow time (step timeouts); tests shrink it. Default 1000. */
  readonly workflowMsPerSecond?: number;
  /**
   * Stripe's test mode instead of the payment simulator, put in the Stripe secret: a test-mode key,
   * `stripe listen`'s signing secret and, if connected accounts' events have their own endpoint, its secret.
   */
  readonly stripe?: StripeSettingsSecret;
  /**
   * A payment simulator that outlives this stack (tests that restart it), sending its events to this
   * stack's `/webhooks/stripe`; the stack neither starts nor stops it.
   */
  readonly paymentSimulator?: PaymentSimulator;
  /** The web app's seller payments page Stripe's onboarding returns to; a local default otherwise. */
  readonly sellerOnboardingUrl?: string;
  /**
   * Operator settings (the `PAYOUT_*` environment of shared/app/payouts/payout-settings.ts, the
   * `CHECKOUT_*` of shared/app/orders/checkout-settings.ts, the `REVIEW_*` of
   * shared/app/reviews/review-settings.ts, the `WEBHOOK_*` of shared/app/webhooks/webhook-settings.ts)
   * replacing those the template gives.
   */
  readonly operatorSettings?: Readonly<Record<string, string>>;
  /**
   * The cloud assembly (cdk.out) whose template and function bundles to run, each function in a
   * worker of its own; by default the template of the current sources, the functions run from them.
   */
  readonly artifacts?: string;
  /** Runs each function from its sources in a worker of its own, signing as itself: IAM checked per function. */
  readonly isolate?: boolean;
  /** Wraps each workflow task's run: benchmarks count and time them. */
  readonly workflowTasks?: TaskWrapper;
  /** Replaces the template's role policies, e.g. to see a call denied without one grant. */
  readonly policies?: (policies: FunctionPolicies) => FunctionPolicies;
  readonly meters?: StackMeters;
}

export interface LocalStack {
  readonly url: string;
  readonly identity: LocalIdentity;
  readonly orderWorkflows: WorkflowRunner;
  readonly payoutWorkflows: WorkflowRunner;
  readonly reviewWorkflows: WorkflowRunner;
  readonly reminderWorkflows: WorkflowRunner;
  /** What the functions mailed: the local SES keeps it here instead of sending it. */
  readonly mail: MailSink;
  /** The users tokens were issued to, with their addresses: the local Cognito reads them. */
  readonly users: LocalUserDirectory;
  /** The stand-in for Stripe, absent when the stack uses Stripe's test mode. */
  readonly paymentSimulator?: PaymentSimulator;
  /** The queue of verified Stripe events, feeding their processor. */
  readonly stripeEvents: LocalMessageQueue;
  /** The local AWS endpoints, named as the template resolves here. */
  readonly aws: LocalAwsServices;
  stop(): Promise<void>;
}

/** The in-process search engine starts empty: fill it from the table (versions let the stream overlap safely). */
async function fillSearchIndex(searchIndex: SearchIndex, endpoint: string, tableName: string): Promise<void> {
  const client = createDocumentClient(endpoint);
  try {
    await reindexListings(allListings(client, tableName), searchIndex);
  } finally {
    client.destroy();
  }
}

/** A web client on this machine, e.g. a Vite dev server. */
const localSellerOnboardingUrl = 'http://localhost:5173/seller/payments';

export const signingKeyFile = (dataDir: string) => join(dataDir, 'local-identity-key.json');

const simulatorSettings = (simulator: PaymentSimulator): StripeSettingsSecret => {
  if (!simulator.webhookSecret) throw new Error('The payment simulator must send its events to the stack');
  return { secretKey: simulator.secretKey, webhookSecret: simulator.webhookSecret, apiUrl: simulator.url };
};

/**
 * Fills the template's Stripe secret, as an operator does after deploying: Stripe's test mode, or a
 * payment simulator that delivers its signed events to the gateway's webhook route. Answers the
 * simulator the stack started, if any.
 */
async function startPayments(
  { stripe, paymentSimulator }: Pick<LocalStackOptions, 'stripe' | 'paymentSimulator'>,
  apiUrl: string,
  aws: LocalAwsServices,
): Promise<PaymentSimulator | undefined> {
  const simulator =
    stripe || paymentSimulator
      ? undefined
      : await startPaymentSimulator({
          webhook: {
            url: `${apiUrl}/webhooks/stripe`,
            secret: `whsec_local_${randomBytes(16).toString('hex')}`,
          },
        });
  const delivering = paymentSimulator ?? simulator;
  const settings = stripe ?? (delivering && simulatorSettings(delivering));
  if (!settings) throw new Error('The stack needs Stripe test mode or a payment simulator');
  for (const secretId of aws.resourcesOfType('AWS::SecretsManager::Secret')) {
    aws.secrets.createSecret(aws.references.physicalName(secretId), JSON.stringify(settings), {
      arn: aws.references.arnOf(secretId),
    });
  }
  return simulator;
}

/**
 * Queues again every stored event not processed yet: the local queue's messages were lost when the
 * stack last stopped, and Stripe does not deliver an event it saw acknowledged again.
 */
async function requeueUnprocessedStripeEvents(endpoint: string, tableName: string, queue: LocalMessageQueue) {
  const client = createDocumentClient(endpoint);
  try {
    for await (const ids of unprocessedStripeEventIds(client, tableName)) {
      await Promise.all(ids.map((eventId) => queue.send(stripeEventMessage(eventId))));
    }
  } finally {
    client.destroy();
  }
}

/**
 * The local settings a function reads, of `settings`: operator settings (payouts, checkouts) of
 * the kinds its template gives it, the seller onboarding pages where it calls Stripe.
 */
function settingsFor(
  fn: TemplateFunction,
  settings: Readonly<Record<string, string>>,
): Record<string, string> {
  const givenPrefixes = new Set(Object.keys(fn.environment).map(operatorSettingPrefix));
  const callsStripe = resourceVariables.stripeSecretArn in fn.environment;
  return Object.fromEntries(
    Object.entries(settings).filter(([name]) => {
      const prefix = operatorSettingPrefix(name);
      return prefix ? givenPrefixes.has(prefix) : callsStripe;
    }),
  );
}

/** The queue the function of `handlerModule` consumes. */
function queueConsumedBy(
  handlerModule: string,
  sources: LocalEventSources,
  aws: LocalAwsServices,
): LocalMessageQueue {
  const consumer = aws.references.functions().find((fn) => fn.handlerModule === handlerModule)?.logicalId;
  const queue = consumer ? sources.queues.get(consumer) : undefined;
  if (!queue) throw new Error(`The template should have a queue consumed by ${handlerModule}`);
  return queue;
}

/**
 * DynamoDB Local, the AWS services the template declares, the local identity provider and the
 * gateway: the marketplace on one machine, running the functions (their sources, or the bundles of a
 * cloud assembly) with the template's settings.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { port, dynamoDbPort, dataDir, inMemory, tableName, corsAllowOrigins, workflowMsPerSecond } = options;
  const dynamoDb = await startDynamoDbLocal({
    port: dynamoDbPort,
    ...(dataDir && !inMemory ? { dataDir: join(dataDir, 'dynamodb') } : {}),
  });
  const stopping: (() => Promise<void>)[] = [];
  const users = new LocalUserDirectory(dataDir ? userDirectoryFile(dataDir) : undefined);
  const identity = await createLocalIdentity(
    dataDir ? await loadOrCreateSigningKey(signingKeyFile(dataDir)) : undefined,
    users,
  );
  let functions: LocalFunctions | undefined;
  const gateway = createGateway(identity, corsPolicy(corsAllowOrigins, routeList), (handlerModule, event) => {
    if (!functions) throw new Error('The local stack is still starting');
    return functions.invokeHandler(handlerModule, event);
  });
  /** No request arrives once it stops; then what started last stops first. */
  const stopAll = async () => {
    await new Promise<void>((resolve) => (gateway.listening ? gateway.close(() => resolve()) : resolve()));
    for (const stop of stopping.reverse()) await stop();
    await dynamoDb.stop();
  };
  try {
    const code: FunctionCode = options.artifacts
      ? { kind: 'artifact', assemblyDir: options.artifacts }
      : { kind: options.isolate ? 'isolated' : 'source' };
    const mail = new MailSink(
      dataDir ? mailDirectoryIn(dataDir) : await mkdtemp(join(tmpdir(), 'marketplace-mail-')),
    );
    const template = options.artifacts
      ? await assemblyTemplate(options.artifacts)
      : await synthesizedTemplate();
    const aws = await startLocalAwsServices({
      template,
      dynamoDbEndpoint: dynamoDb.endpoint,
      tableName,
      port: options.awsPort ?? 0,
      s3Directory: dataDir ? s3DirectoryIn(dataDir) : await mkdtemp(join(tmpdir(), 'marketplace-s3-')),
      users,
      mailSink: mail,
      ...(options.policies ? { policies: options.policies } : {}),
      ...(options.meters?.dynamoDbCall ? { meterDynamoDb: options.meters.dynamoDbCall } : {}),
    });
    stopping.push(() => aws.stop());
    const client = createDocumentClient(dynamoDb.endpoint);
    await ensureTable(client, tableName);
    client.destroy();
    // Functions load at their first call, as in Lambda: the gateway may listen before they are configured.
    await new Promise<void>((resolve, reject) =>
      gateway.once('error', reject).listen(port, '127.0.0.1', resolve),
    );
    const { port: boundPort } = gateway.address() as AddressInfo;
    const url = `http://127.0.0.1:${boundPort}`;
    const ownSimulator = await startPayments(options, url, aws);
    if (ownSimulator) stopping.push(() => ownSimulator.stop());
    const paymentSimulator = options.paymentSimulator ?? ownSimulator;
    const overrides = {
      ...onboardingEnvironment(options.sellerOnboardingUrl ?? localSellerOnboardingUrl),
      ...options.operatorSettings,
    };
    const searchIndex = await useEmbeddedSearch();
    // Functions running in this process read their configuration from its environment, as in Lambda.
    Object.assign(process.env, functionsEnvironment(aws.references.functions(), aws.endpoints), overrides);
    const running = startLocalFunctions(
      aws.references,
      code,
      aws.endpoints,
      (fn) => settingsFor(fn, overrides),
      options.meters?.invocation,
    );
    functions = running;
    stopping.push(() => running.stop());
    const runnerOptions = {
      ...localRunnerOptions(
        (handlerModule, event) => running.invokeHandler(handlerModule, event),
        workflowMsPerSecond,
        options.workflowTasks,
      ),
      ...(options.meters?.transition ? { onTransition: options.meters.transition } : {}),
    };
    const orderWorkflows = await startOrderWorkflows(dynamoDb.endpoint, tableName, runnerOptions);
    stopping.push(() => orderWorkflows.stop());
    const payoutWorkflows = await startPayoutWorkflows(aws, dynamoDb.endpoint, tableName, runnerOptions);
    stopping.push(() => payoutWorkflows.stop());
    const reviewWorkflows = await startReviewWorkflows(dynamoDb.endpoint, tableName, runnerOptions);
    stopping.push(() => reviewWorkflows.stop());
    const reminderWorkflows = await startReminderWorkflows(dynamoDb.endpoint, tableName, runnerOptions);
    stopping.push(() => reminderWorkflows.stop());
    const workflows = [orderWorkflows, payoutWorkflows, reviewWorkflows, reminderWorkflows];
    aws.serveWorkflows(new Map(workflows.map(({ name, runner }) => [name, runner])));
    aws.serveFunctions(running.invoke);
    const sources = await startEventSources(aws, template, dynamoDb.endpoint, tableName, running.invoke);
    stopping.push(() => sources.stop());
    const stripeEvents = queueConsumedBy(stripeEventProcessing.handler, sources, aws);
    await requeueUnprocessedStripeEvents(dynamoDb.endpoint, tableName, stripeEvents);
    const webhookDeliveries = queueConsumedBy(webhookDelivery.handler, sources, aws);
    await requeuePendingWebhookDeliveries(dynamoDb.endpoint, tableName, webhookDeliveries);
    await fillSearchIndex(searchIndex, dynamoDb.endpoint, tableName);
    await orderWorkflows.restartUnfinished();
    await payoutWorkflows.restartUnfinished();
    await reviewWorkflows.restartUnfinished();
    if (aws.references.functions().some((fn) => fn.handlerModule === notifier.handler)) {
      await reminderWorkflows.restartUnfinished();
    }
    return {
      url,
      identity,
      orderWorkflows: orderWorkflows.runner,
      payoutWorkflows: payoutWorkflows.runner,
      reviewWorkflows: reviewWorkflows.runner,
      reminderWorkflows: reminderWorkflows.runner,
      mail,
      users,
      ...(paymentSimulator ? { paymentSimulator } : {}),
      stripeEvents,
      aws,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
