import { type FunctionResources, webhookDeliveryQueueName } from '#shared/config/function-resources.ts';
import type { RouteSpec } from '#shared/http/route.ts';
import { entities } from '#shared/store/table.ts';
import { checkoutSettlement } from '#workflows/order-fulfillment.ts';
import { adminRoutes } from './routes/admin.ts';
import { catalogRoutes } from './routes/catalog.ts';
import { disputeRoutes } from './routes/disputes.ts';
import { eventRoutes } from './routes/events.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { orderRoutes } from './routes/orders.ts';
import { paymentRoutes } from './routes/payments.ts';
import { payoutRoutes } from './routes/payouts.ts';
import { qualityRoutes } from './routes/quality.ts';
import { reviewRoutes } from './routes/reviews.ts';
import { sellerRoutes } from './routes/sellers.ts';
import { systemRoutes } from './routes/system.ts';
import { trustRoutes } from './routes/trust.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export { tableChangeProjections } from './routes/metrics.ts';
export { scheduledPayoutRuns } from './routes/scheduled-payout-runs.ts';
export { tableChangeFanOut } from './routes/streams.ts';
export { stripeEventProcessing } from './routes/stripe-event-processing.ts';

/**
 * THE route table, one module per business area under routes/. CDK creates one API route and one
 * function per entry, the local gateway routes with it, and /openapi.json is generated from it.
 * Handlers validate with their area's module, never this table, so a bundle holds only that area's schemas.
 */
export const routes = {
  ...systemRoutes,
  ...sellerRoutes,
  ...catalogRoutes,
  ...orderRoutes,
  ...disputeRoutes,
  ...payoutRoutes,
  ...adminRoutes,
  ...metricsRoutes,
  ...trustRoutes,
  ...reviewRoutes,
  ...paymentRoutes,
  ...eventRoutes,
  ...webhookRoutes,
  ...notificationRoutes,
  ...qualityRoutes,
} satisfies Record<string, RouteSpec>;

export const routeList: readonly RouteSpec[] = Object.values(routes);

/** Answers requests no route matches (API Gateway's `$default` route), with 404 or 405. */
export const fallbackHandler = 'system/fallback';

/** Consumes the table's stream to keep the search index in step with published listings. */
export const searchIndexerHandler = 'search/index-listings';

/** Consumes suspensions from the table's stream to take suspended sellers' listings off the marketplace. */
export const suspensionEnforcer = {
  handler: 'trust/enforce-suspensions',
  uses: { table: ['GetItem', 'Query', 'UpdateItem'] },
} as const satisfies { handler: string; uses: FunctionResources };

/**
 * Consumes the table's stream to start each new order's workflow and resume it after each decision,
 * settling first the checkout's payment a decision captures (functions/orders/drive-order-workflows.ts).
 */
export const orderWorkflowDriver = {
  handler: 'orders/drive-order-workflows',
  uses: { ...checkoutSettlement, workflow: { name: 'order-fulfillment', actions: ['start', 'signal'] } },
} as const satisfies { handler: string; uses: FunctionResources };

/**
 * Consumes the table's stream to append the marketplace's events to the event log: the changes of
 * these entities are the moments events record (shared/app/events/stream-changes.ts).
 */
export const eventRecorder = {
  handler: 'events/record-events',
  entities: [
    entities.order,
    entities.orderEvent,
    entities.listing,
    entities.payoutLine,
    entities.payoutRun,
    entities.userSuspension,
    entities.review,
    entities.stepReminder,
    entities.webhookEndpoint,
    entities.sellerQualityNotice,
  ],
  // The orders of history entries and the log's counter are read; an append puts the events, their
  // copies and the record's source, and moves the counter on. The retention gives their expiry.
  uses: { table: ['GetItem', 'PutItem', 'UpdateItem'], eventLogSettings: true },
} as const satisfies { handler: string; entities: readonly string[]; uses: FunctionResources };

/**
 * Consumes the events appended to the admins' feed (each names the users whose feeds have a copy)
 * and writes them to the event archive, where they stay once the table lets them expire.
 */
export const eventArchiver = {
  handler: 'events/archive-events',
  entities: [entities.marketplaceEvent],
  uses: { eventArchive: 'write' },
} as const satisfies { handler: string; entities: readonly string[]; uses: FunctionResources };

/** Consumes the events appended to the log from the table's stream and puts them on the event bus. */
export const eventPublisher = {
  handler: 'events/publish-events',
  entities: [entities.marketplaceEvent],
  uses: { eventBus: 'put' },
} as const satisfies { handler: string; entities: readonly string[]; uses: FunctionResources };

/**
 * Consumes the events appended to the log (the admins' feed and each user's copies) and queues a
 * delivery to every webhook endpoint that receives one.
 */
export const webhookDispatcher = {
  handler: 'webhooks/dispatch-deliveries',
  entities: [entities.marketplaceEvent, entities.userFeedEvent],
  // Which owners have endpoints (their counts, one BatchGetItem), their endpoints (a Query each),
  // each delivery put once (or read, when the record comes again).
  uses: {
    table: ['BatchGetItem', 'Query', 'PutItem', 'GetItem'],
    queue: { name: webhookDeliveryQueueName, actions: ['send'] },
  },
} as const satisfies { handler: string; entities: readonly string[]; uses: FunctionResources };

/**
 * Consumes the queue of webhook deliveries due: one signed attempt each, retries queued again; and
 * the pages of range redeliveries.
 */
export const webhookDelivery = {
  handler: 'webhooks/deliver-webhooks',
  queue: webhookDeliveryQueueName,
  // The delivery, its endpoint and its event read; the attempt recorded; the endpoint's failures
  // noted, or it disabled. A range redelivery queries the endpoint's deliveries and redelivers them.
  uses: {
    table: ['GetItem', 'UpdateItem', 'Query'],
    queue: { name: webhookDeliveryQueueName, actions: ['send'] },
    webhookSettings: true,
  },
} as const satisfies { handler: string; queue: string; uses: FunctionResources };

/**
 * Consumes the events appended to the log and mails the people they concern (shared/notifications/),
 * starting each awaited step's reminder. Deployed when the operator gives a sender address.
 */
export const notifier = {
  handler: 'notifications/send-notifications',
  entities: [entities.marketplaceEvent],
  // The order an event is of (GetItem), the shipping action's tracking (Query), the recipients'
  // preferences (BatchGetItem), each notification claimed (PutItem) and released if sending fails.
  uses: {
    table: ['GetItem', 'Query', 'BatchGetItem', 'PutItem', 'DeleteItem'],
    workflow: { name: 'step-reminder', actions: ['start'] },
    notifications: 'send',
  },
} as const satisfies { handler: string; entities: readonly string[]; uses: FunctionResources };
