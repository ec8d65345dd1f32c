import { webhookDeliveryQueueName } from '#shared/config/function-resources.ts';
import { defineRoute } from '#shared/http/route.ts';
import {
  deliveryPage,
  deliveryPageQuery,
  deliveryParams,
  deliveryView,
  endpointBody,
  endpointList,
  endpointParams,
  endpointView,
  rangeRedeliveryBody,
  rangeRedeliveryView,
  registeredEndpointView,
  rotatedSecretView,
  rotationBody,
  testEventSent,
} from './schemas/webhooks.ts';

const sendsDeliveries = { name: webhookDeliveryQueueName, actions: ['send'] } as const;
const notYours = { description: 'You have no such endpoint' };
const disabled = { description: 'The endpoint is disabled: enable it first' };

/**
 * Outgoing webhooks: endpoints that receive events as they are appended to the log, signed per
 * Standard Webhooks. Admins' endpoints receive the marketplace's events, sellers' their own.
 */
export const webhookRoutes = {
  registerWebhookEndpoint: defineRoute({
    method: 'POST',
    path: '/webhook-endpoints',
    handler: 'webhooks/register-endpoint',
    summary: 'Register an endpoint for events: its signing secret is answered this once',
    tags: ['webhooks'],
    // The endpoint put and its owner's count moved on, in one transaction.
    uses: { table: ['PutItem', 'UpdateItem'], webhookSettings: true },
    access: ['admin', 'seller'],
    body: endpointBody,
    responses: {
      201: { description: 'Registered', body: registeredEndpointView },
      409: { description: 'You have the most endpoints allowed' },
      422: { description: 'The URL leads to an address webhooks are never sent to' },
    },
  }),
  listWebhookEndpoints: defineRoute({
    method: 'GET',
    path: '/webhook-endpoints',
    handler: 'webhooks/list-endpoints',
    summary: 'Your webhook endpoints (an admin: the marketplace’s)',
    tags: ['webhooks'],
    uses: { table: ['Query'] },
    access: ['admin', 'seller'],
    responses: { 200: { description: 'The endpoints, without their secrets', body: endpointList } },
  }),
  deleteWebhookEndpoint: defineRoute({
    method: 'DELETE',
    path: '/webhook-endpoints/{endpointId}',
    handler: 'webhooks/delete-endpoint',
    summary: 'Delete a webhook endpoint: deliveries not made yet are dropped',
    tags: ['webhooks'],
    uses: { table: ['DeleteItem', 'UpdateItem'] },
    access: ['admin', 'seller'],
    params: endpointParams,
    responses: { 204: { description: 'Deleted' }, 404: notYours },
  }),
  listWebhookDeliveries: defineRoute({
    method: 'GET',
    path: '/webhook-endpoints/{endpointId}/deliveries',
    handler: 'webhooks/list-deliveries',
    summary: "An endpoint's deliveries, newest event first, with every attempt",
    tags: ['webhooks'],
    uses: { table: ['GetItem', 'Query'] },
    access: ['admin', 'seller'],
    params: endpointParams,
    query: deliveryPageQuery,
    responses: {
      200: { description: 'One page of deliveries', body: deliveryPage },
      404: notYours,
    },
  }),
  rotateWebhookSecret: defineRoute({
    method: 'POST',
    path: '/webhook-endpoints/{endpointId}/rotate-secret',
    handler: 'webhooks/rotate-secret',
    summary:
      'Give an endpoint a new signing secret, answered this once; the old ones sign too for a grace period',
    tags: ['webhooks'],
    // The endpoint read, then its secrets replaced on condition that its current one is still the one read.
    uses: { table: ['GetItem', 'UpdateItem'] },
    access: ['admin', 'seller'],
    params: endpointParams,
    body: rotationBody,
    responses: {
      200: { description: 'Rotated', body: rotatedSecretView },
      404: notYours,
      409: { description: 'Another rotation of the same endpoint came first' },
    },
  }),
  enableWebhookEndpoint: defineRoute({
    method: 'POST',
    path: '/webhook-endpoints/{endpointId}/enable',
    handler: 'webhooks/enable-endpoint',
    summary: 'Turn a disabled endpoint on again, its failures forgotten',
    tags: ['webhooks'],
    // The endpoint read, turned on on condition that it is off, and read again.
    uses: { table: ['GetItem', 'UpdateItem'] },
    access: ['admin', 'seller'],
    params: endpointParams,
    responses: { 200: { description: 'Enabled', body: endpointView }, 404: notYours },
  }),
  sendWebhookTestEvent: defineRoute({
    method: 'POST',
    path: '/webhook-endpoints/{endpointId}/test',
    handler: 'webhooks/send-test-event',
    summary: 'Send a webhook.test event to an endpoint, as events are delivered, recorded in its deliveries',
    tags: ['webhooks'],
    // The endpoint and the log's counter read, the delivery put, its first attempt queued.
    uses: { table: ['GetItem', 'PutItem'], queue: sendsDeliveries },
    access: ['admin', 'seller'],
    params: endpointParams,
    responses: {
      202: { description: 'Queued for delivery', body: testEventSent },
      404: notYours,
      409: disabled,
    },
  }),
  redeliverWebhookDelivery: defineRoute({
    method: 'POST',
    path: '/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/redeliver',
    handler: 'webhooks/redeliver-delivery',
    summary: 'Deliver again, whatever its status: a new sequence of attempts in the same delivery',
    tags: ['webhooks'],
    // The endpoint and the delivery read, the redelivery recorded on condition nothing changed since.
    uses: { table: ['GetItem', 'UpdateItem'], queue: sendsDeliveries },
    access: ['admin', 'seller'],
    params: deliveryParams,
    responses: {
      202: { description: 'Queued for delivery', body: deliveryView },
      404: { description: 'You have no such endpoint, or it no such delivery' },
      409: {
        description:
          'The endpoint is disabled, the delivery is being attempted, or was redelivered ten times',
      },
    },
  }),
  redeliverWebhookRange: defineRoute({
    method: 'POST',
    path: '/webhook-endpoints/{endpointId}/redeliver',
    handler: 'webhooks/redeliver-range',
    summary:
      'Deliver again every delivery created in a time range (or only the failed ones), in the background',
    tags: ['webhooks'],
    // The endpoint read; the delivery worker redelivers the range, a page a message.
    uses: { table: ['GetItem'], queue: sendsDeliveries },
    access: ['admin', 'seller'],
    params: endpointParams,
    body: rangeRedeliveryBody,
    responses: {
      202: {
        description: 'Accepted: the deliveries are redelivered in the background',
        body: rangeRedeliveryView,
      },
      404: notYours,
      409: disabled,
    },
  }),
};
