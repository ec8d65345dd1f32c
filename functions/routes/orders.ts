import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import {
  actionBody,
  actionParams,
  checkoutBody,
  checkoutView,
  eventPageQuery,
  idempotencyKeyHeaders,
  orderEventPage,
  orderPageQuery,
  orderParams,
  orderSummaryPage,
  orderView,
  refundBody,
  refundView,
} from './schemas/orders.ts';

/** Checkouts and the orders they make: reading, acting on and refunding them. */
export const orderRoutes = {
  placeCheckout: defineRoute({
    method: 'POST',
    path: '/checkouts',
    handler: 'orders/place-checkout',
    summary: 'Check out a cart: one order per seller, stock reserved, payment authorised',
    tags: ['orders'],
    uses: {
      table: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query'],
      stripe: true,
      checkoutSettings: true,
    },
    access: ['buyer'],
    headers: idempotencyKeyHeaders('checkout'),
    idempotent: true,
    body: checkoutBody,
    responses: {
      201: { description: 'Checked out (or the first response to this Idempotency-Key)', body: checkoutView },
      409: {
        description:
          'A line is not on sale, short of stock or repriced, or the buyer has too many checkouts ' +
          'waiting for their payment; nothing was reserved',
      },
      422: {
        description:
          "Two currencies in one cart, a line over its listing's maximum per order, a total over what " +
          'one payment can take, or the Idempotency-Key was used for another cart',
      },
    },
  }),
  listMyOrders: defineRoute({
    method: 'GET',
    path: '/orders',
    handler: 'orders/list-my-orders',
    summary: 'Orders you take part in (as buyer, seller or provider), newest first',
    tags: ['orders'],
    uses: { table: ['Query'] },
    access: ['buyer', 'seller', 'admin'],
    query: orderPageQuery,
    responses: { 200: { description: 'One page of order summaries', body: orderSummaryPage } },
  }),
  getOrder: defineRoute({
    method: 'GET',
    path: '/orders/{orderId}',
    handler: 'orders/get-order',
    summary: 'An order you take part in, with its current step and the actions you may take now',
    tags: ['orders'],
    uses: { table: ['GetItem'] },
    access: ['buyer', 'seller', 'admin'],
    params: orderParams,
    responses: { 200: { description: 'The order', body: orderView } },
  }),
  listOrderEvents: defineRoute({
    method: 'GET',
    path: '/orders/{orderId}/events',
    handler: 'orders/list-order-events',
    summary: "The order's history: who did what, when, with what data",
    tags: ['orders'],
    uses: { table: ['GetItem', 'Query'] },
    access: ['buyer', 'seller', 'admin'],
    params: orderParams,
    query: eventPageQuery,
    responses: { 200: { description: 'One page of events, oldest first', body: orderEventPage } },
  }),
  takeOrderAction: defineRoute({
    method: 'POST',
    path: '/orders/{orderId}/actions/{action}',
    handler: 'orders/take-order-action',
    summary: "Take one of the current step's actions (accept, ship, confirm-receipt, ...)",
    tags: ['orders'],
    uses: { table: ['GetItem', 'PutItem'] },
    access: ['buyer', 'seller', 'admin'],
    params: actionParams,
    body: actionBody,
    responses: {
      200: { description: 'Recorded; the order moves on', body: orderView },
      403: { description: 'Another party takes this action' },
      409: { description: 'The action is not possible at the current step' },
    },
  }),
  refundOrder: defineRoute({
    method: 'POST',
    path: '/orders/{orderId}/refunds',
    handler: 'orders/refund-order',
    summary: 'Refund lines of an order, in full or in part (seller before shipment, admin any time)',
    tags: ['orders'],
    uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], stripe: true },
    access: ['seller', 'admin'],
    params: orderParams,
    headers: idempotencyKeyHeaders('refund'),
    idempotent: true,
    body: refundBody,
    responses: {
      201: { description: 'Refunded; the ledger gives the amount back from the order', body: refundView },
      403: { description: 'Neither the seller nor an admin, or an admin-only option' },
      409: {
        description:
          'Nothing captured, more than is left, after shipment (sellers), another refund in progress, ' +
          'or refused by the payment provider',
      },
      422: { description: 'Lines that do not exist, or the Idempotency-Key reused for another refund' },
    },
  }),
} satisfies Record<string, RouteSpec>;
