import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import {
  disputeQueuePage,
  disputeQueueQuery,
  disputeView,
  evidenceBody,
  evidenceView,
  settlementBody,
  settlementResult,
} from './schemas/disputes.ts';
import { idempotencyKeyHeaders, orderParams } from './schemas/orders.ts';

/**
 * Disputes of orders: the parties' statements and evidence while the order is in its dispute step,
 * the admin's settlement (part refunded, the rest released), and the admins' queue of disputes and
 * chargebacks.
 */
export const disputeRoutes = {
  addDisputeEvidence: defineRoute({
    method: 'POST',
    path: '/orders/{orderId}/dispute/evidence',
    handler: 'disputes/add-evidence',
    summary: "Add a statement with evidence links to the order's open dispute (a party, or an admin's note)",
    tags: ['disputes'],
    uses: { table: ['GetItem', 'PutItem'] },
    access: ['buyer', 'seller', 'admin'],
    params: orderParams,
    body: evidenceBody,
    responses: {
      201: { description: 'Added; the URLs are stored, never fetched', body: evidenceView },
      404: { description: 'No such order among yours' },
      409: {
        description:
          'The order is not at its dispute step (dispute_not_open), your response time is over ' +
          '(response_deadline_passed) or you added the most statements a party may (evidence_limit_reached)',
      },
    },
  }),
  getDispute: defineRoute({
    method: 'GET',
    path: '/orders/{orderId}/dispute',
    handler: 'disputes/get-dispute',
    summary: "The order's dispute: why, since when, each party's deadline, the evidence, the settlement",
    tags: ['disputes'],
    uses: { table: ['Query'] },
    access: ['buyer', 'seller', 'admin'],
    params: orderParams,
    responses: {
      200: { description: 'The dispute, its evidence oldest first', body: disputeView },
      404: { description: 'No such order among yours, or it has had no dispute' },
    },
  }),
  settleDispute: defineRoute({
    method: 'POST',
    path: '/orders/{orderId}/dispute/settlement',
    handler: 'disputes/settle-dispute',
    summary: 'Settle the dispute: refund part (or all, or none) to the buyer, release the rest to the payees',
    tags: ['disputes'],
    uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], stripe: true },
    access: ['admin'],
    params: orderParams,
    headers: idempotencyKeyHeaders('settlement'),
    idempotent: true,
    body: settlementBody,
    responses: {
      201: {
        description: 'Settled: the refund made, the order on its way to completion (or cancellation)',
        body: settlementResult,
      },
      409: {
        description:
          'Not at its dispute step or not waiting yet, settled already, under a chargeback, or the ' +
          'refund refused by the payment provider',
      },
      422: {
        description: 'More than is left to refund, another currency, or the Idempotency-Key reused',
      },
    },
  }),
  listDisputes: defineRoute({
    method: 'GET',
    path: '/admin/disputes',
    handler: 'disputes/list-disputes',
    summary: 'The dispute queue: orders in a dispute step and orders with a chargeback, oldest first',
    tags: ['disputes'],
    uses: { table: ['Query'] },
    access: ['admin'],
    query: disputeQueueQuery,
    responses: { 200: { description: 'One page of the queue', body: disputeQueuePage } },
  }),
} satisfies Record<string, RouteSpec>;
