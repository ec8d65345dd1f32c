import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { orderPaymentStatuses, orderStatuses } from '#shared/domain/order.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { paymentStates } from '#shared/payments/port.ts';
import { currencySchema } from './catalog.ts';

export const orderId = deferred(() => z.uuid().meta({ description: 'Order id' }));
export const orderParams = deferred(() => z.strictObject({ orderId }));

const fieldValues = () => z.record(z.string().max(40), z.string().max(2000));

export const checkoutBody = component('Cart', () =>
  z.strictObject({
    lines: z
      .array(
        z.strictObject({
          listingId: z.uuid(),
          quantity: z.number().int().min(1).max(1000),
          data: fieldValues()
            .default({})
            .meta({ description: "Values of the listing process's order fields" }),
        }),
      )
      .min(1)
      .max(20)
      .refine(
        (lines) => new Set(lines.map((line) => line.listingId)).size === lines.length,
        'list each listing once, with its quantity',
      ),
    paymentMethod: z
      .string()
      .regex(/^pm_\w{1,200}$/, 'must be a Stripe PaymentMethod id (pm_…)')
      .optional()
      .meta({
        description:
          "A PaymentMethod the buyer's client created with Stripe.js; the payment is confirmed with it at " +
          'once. Without it, confirm the payment on the client with the returned clientSecret.',
      }),
  }),
);

/** The Idempotency-Key header of a request that must take effect once: `what` is done once per key. */
export const idempotencyKeyHeaders = (what: string) =>
  deferred(() =>
    z.object({
      'idempotency-key': z
        .string()
        .regex(/^[\w-]{8,100}$/, `must be 8 to 100 letters, digits, - or _, unique per ${what} (a UUID)`)
        .meta({ description: `Retrying with the same key returns the first response; one ${what} is made.` }),
    }),
  );

export const checkoutView = component('Checkout', () =>
  z.object({
    id: z.string(),
    currency: currencySchema,
    total: z.number().int(),
    orders: z.array(z.object({ id: z.string(), sellerId: z.string(), total: z.number().int() })),
    payment: z.object({
      id: z.string(),
      status: z.enum(paymentStates),
      clientSecret: z.string().optional().meta({ description: 'For Stripe.js to confirm or authenticate' }),
      failure: z.string().optional().meta({ description: 'Why the last attempt failed; try another method' }),
    }),
    createdAt: z.iso.datetime(),
  }),
);

const fieldSpecView = () => z.object({ type: z.enum(['text', 'url']), required: z.boolean() });

export const refundView = component('Refund', () =>
  z.object({
    refundId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    amount: z.number().int(),
    lines: z.array(z.object({ line: z.number().int(), amount: z.number().int() })),
    refundFee: z.boolean().meta({ description: 'Whether the platform gave back its commission on it' }),
    reason: z.string().optional(),
    by: z.object({ party: z.string(), userId: z.string().optional() }),
    requestedAt: z.iso.datetime(),
    settledAt: z.iso.datetime().optional(),
    failure: z.string().optional(),
  }),
);

export const refundBody = component('RefundRequest', () =>
  z
    .strictObject({
      lines: z
        .array(z.strictObject({ line: z.number().int().min(0), amount: z.number().int().min(1) }))
        .min(1)
        .max(20)
        .optional()
        .meta({
          description: 'Per order line (by index), the amount to give back; omitted: all that is left',
        }),
      reason: z.string().trim().min(1).max(500).optional(),
      keepCommission: z
        .boolean()
        .optional()
        .meta({
          description:
            'Admins only: the seller bears the whole refund and the platform keeps its commission. ' +
            'Otherwise the commission on the refunded part is given back too.',
        }),
    })
    .default({}),
);

export const orderView = component('Order', () =>
  z.object({
    id: z.string(),
    checkoutId: z.string(),
    status: z.enum(orderStatuses),
    paymentStatus: z.enum(orderPaymentStatuses),
    currency: currencySchema,
    total: z.number().int(),
    commission: z
      .number()
      .int()
      .optional()
      .meta({ description: "The platform's commission; shown to the seller side and admins" }),
    lines: z.array(
      z.object({
        listingId: z.string(),
        title: z.string(),
        quantity: z.number().int(),
        unitPrice: z.number().int(),
        amount: z.number().int(),
        commission: z.number().int().optional().meta({ description: 'Shown to the seller side and admins' }),
        data: z.record(z.string(), z.string()),
      }),
    ),
    parties: z.record(z.string(), z.string()),
    payees: z
      .array(z.object({ party: z.string(), userId: z.string(), amount: z.number().int() }))
      .optional()
      .meta({ description: 'How the proceeds are split; shown to the seller side and admins' }),
    process: z.object({ id: z.string(), version: z.number().int(), title: z.string() }),
    currentStep: z
      .object({ name: z.string(), party: z.string(), deadline: z.iso.datetime().optional() })
      .optional(),
    paymentDeadline: z.iso
      .datetime()
      .optional()
      .meta({ description: 'While the order awaits its payment: when it is cancelled unpaid' }),
    yourParties: z.array(z.string()).meta({ description: 'The parties you are in this order' }),
    actions: z
      .array(z.object({ name: z.string(), fields: z.record(z.string(), fieldSpecView()) }))
      .meta({ description: 'What you may do now: POST /orders/{orderId}/actions/{name}' }),
    cancelReason: z.string().optional(),
    refunds: z.array(refundView).meta({ description: "The order's refunds, oldest first" }),
    chargeback: z
      .object({ disputeId: z.string(), status: z.enum(['open', 'won', 'lost']) })
      .optional()
      .meta({ description: "The buyer's card network took the payment back; its funds are frozen" }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);

export const orderSummaryView = component('OrderSummary', () =>
  z.object({
    orderId: z.string(),
    checkoutId: z.string(),
    parties: z.array(z.string()),
    status: z.enum(orderStatuses),
    paymentStatus: z.enum(orderPaymentStatuses),
    currency: currencySchema,
    total: z.number().int(),
    title: z.string(),
    lineCount: z.number().int(),
    step: z.string().optional(),
    waitingFor: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().meta({ description: 'When what this entry shows last changed' }),
  }),
);

export const orderEventView = component('OrderEvent', () =>
  z.object({
    seq: z.number().int(),
    at: z.iso.datetime(),
    by: z.object({ party: z.string(), userId: z.string().optional() }),
    type: z.string(),
    step: z.string().optional(),
    action: z.string().optional(),
    data: z.record(z.string(), z.string()).optional(),
  }),
);

export const orderSummaryPage = pageOf(orderSummaryView, 'OrderSummaryPage');
export const orderEventPage = pageOf(orderEventView, 'OrderEventPage');

export const orderPageQuery = deferred(() => pageQueryOf('order'));
export const eventPageQuery = deferred(() => pageQueryOf('event'));

export const actionParams = deferred(() =>
  z.strictObject({
    orderId,
    action: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be an action name, e.g. accept'),
  }),
);

export const actionBody = component('OrderAction', () =>
  z
    .strictObject({ data: fieldValues().default({}).meta({ description: "Values of the action's fields" }) })
    .default({ data: {} }),
);
