import { defineRoute } from '#shared/http/route.ts';
import {
  deliveryPage,
  deliveryPageQuery,
  endpointBody,
  endpointList,
  endpointParams,
  registeredEndpointView,
} from './schemas/webhooks.ts';

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
    responses: { 204: { description: 'Deleted' }, 404: { description: 'You have no such endpoint' } },
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
      404: { description: 'You have no such endpoint' },
    },
  }),
};
