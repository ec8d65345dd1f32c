/**
 * What a function may touch, declared beside its entry point (the route table, the workflows' task
 * maps, the stream and queue consumers). CDK grants exactly this and sets the environment variables
 * below; the function checks them at init and creates clients only for what it declares.
 */

/** The DynamoDB actions a function may use on the table (and its indexes). */
export type TableAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'ConditionCheckItem'
  | 'Query';

/** What a function may do with a state machine: start executions, or resume waiting tasks. */
export type WorkflowAction = 'start' | 'signal';

/** What a function may do with a queue: send messages to it (its consumer is wired with the queue). */
export type QueueAction = 'send';

/**
 * What a function may do with the event archive (S3): write it (the archiver), or read one kind of
 * its feeds, the marketplace's log or the users' own feeds (the routes reading them).
 */
export type EventArchiveAccess = 'write' | 'read-log' | 'read-user-feeds';

/** Verified Stripe events waiting to be applied: the webhook sends, one consumer applies. */
export const stripeEventQueueName = 'stripe-events';

/** Webhook deliveries due: the dispatcher and the worker's own retries send, the worker delivers. */
export const webhookDeliveryQueueName = 'webhook-deliveries';

export interface FunctionResources {
  readonly table?: readonly TableAction[];
  readonly search?: 'read';
  /** The state machine (by its name in workflows/) and what the function may do with it. */
  readonly workflow?: { readonly name: string; readonly actions: readonly WorkflowAction[] };
  /** Calls Stripe: reads its secret key and webhook signing secrets. */
  readonly stripe?: true;
  /** Reads the operator's payout policy (the `PAYOUT_*` environment): the functions that start payout runs. */
  readonly payoutSettings?: true;
  /** Reads the operator's checkout limits (the `CHECKOUT_*` environment): the function placing checkouts. */
  readonly checkoutSettings?: true;
  /** Reads the operator's review window (the `REVIEW_*` environment): the function opening it. */
  readonly reviewSettings?: true;
  /** Writes item lists (an S3 bucket in the cloud) for a workflow's Distributed Map to read. */
  readonly itemLists?: 'write';
  /** The queue (by name) and what the function may do with it. */
  readonly queue?: { readonly name: string; readonly actions: readonly QueueAction[] };
  /** Puts events on the marketplace's EventBridge bus. */
  readonly eventBus?: 'put';
  /** Reads the operator's webhook settings (the `WEBHOOK_*` environment). */
  readonly webhookSettings?: true;
  /**
   * Mails notifications: sends through SES from the marketplace's address, reads users' addresses
   * from the user pool, reads the operator's notification settings (the other `NOTIFICATION_*`).
   */
  readonly notifications?: 'send';
  /** Reads the operator's event retention (the `EVENT_LOG_*` environment): the event recorder. */
  readonly eventLogSettings?: true;
  readonly eventArchive?: EventArchiveAccess;
  /**
   * Invokes the functions consuming the table's changes, each with the stream records its filters
   * match (`TABLE_CHANGE_CONSUMERS`): the table-change fan-out.
   */
  readonly tableChangeConsumers?: 'invoke';
}

/** `order-fulfillment` -> `ORDER_FULFILLMENT` */
const variablePrefix = (name: string) => name.toUpperCase().replaceAll('-', '_');

/** The environment variable naming each declared resource, set by CDK on the functions declaring it. */
export const resourceVariables = {
  table: 'TABLE_NAME',
  /** `order-fulfillment` -> ORDER_FULFILLMENT_WORKFLOW_ARN */
  workflowArn: (workflow: string) => `${variablePrefix(workflow)}_WORKFLOW_ARN`,
  /** `stripe-events` -> STRIPE_EVENTS_QUEUE_URL */
  queueUrl: (queue: string) => `${variablePrefix(queue)}_QUEUE_URL`,
  stripeSecretArn: 'STRIPE_SECRET_ARN',
  itemListBucket: 'ITEM_LIST_BUCKET',
  eventBusName: 'EVENT_BUS_NAME',
  notificationSender: 'NOTIFICATION_SENDER',
  notificationConfigurationSet: 'NOTIFICATION_CONFIGURATION_SET',
  userPoolId: 'USER_POOL_ID',
  eventArchiveBucket: 'EVENT_ARCHIVE_BUCKET',
  /** A JSON array: each consumer's name, function name, batch size and filters. */
  tableChangeConsumers: 'TABLE_CHANGE_CONSUMERS',
} as const;

/** The variables a function declaring `uses` cannot run without. */
export function requiredVariables(uses: FunctionResources): string[] {
  return [
    ...(uses.table ? [resourceVariables.table] : []),
    ...(uses.workflow ? [resourceVariables.workflowArn(uses.workflow.name)] : []),
    ...(uses.queue ? [resourceVariables.queueUrl(uses.queue.name)] : []),
    ...(uses.stripe ? [resourceVariables.stripeSecretArn] : []),
    ...(uses.itemLists ? [resourceVariables.itemListBucket] : []),
    ...(uses.eventBus ? [resourceVariables.eventBusName] : []),
    ...(uses.notifications
      ? [
          resourceVariables.notificationSender,
          resourceVariables.notificationConfigurationSet,
          resourceVariables.userPoolId,
        ]
      : []),
    ...(uses.eventArchive ? [resourceVariables.eventArchiveBucket] : []),
    ...(uses.tableChangeConsumers ? [resourceVariables.tableChangeConsumers] : []),
  ];
}

/**
 * A function started without a setting it needs, or with one it cannot read: the message names the
 * variable, the function and what is wrong.
 */
export class ConfigurationError extends Error {
  constructor(
    variables: readonly string[],
    handler?: string,
    problem = 'which its environment does not set',
  ) {
    const names = variables.join(', ');
    const fn = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'this function';
    super(`${fn}${handler ? ` (functions/${handler})` : ''} needs ${names}, ${problem}`);
    this.name = 'ConfigurationError';
  }
}

/** The value of the variable `name`, or a ConfigurationError naming it and the function. */
export function requiredVariable(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new ConfigurationError([name]);
  return value;
}

/**
 * Checks at init that the function has every variable its declaration needs, so a deployment
 * missing one fails at once, naming it, rather than at its first call of that resource.
 */
export function assertConfigured(
  handler: string,
  uses: FunctionResources,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const missing = requiredVariables(uses).filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigurationError(missing, handler);
}
