import { z } from 'zod';
import { orderStatuses, paymentStatuses } from '#shared/domain/order.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { currencySchema } from '../catalog/schemas.ts';

export const orderId = z.uuid().meta({ description: 'Order id' });
export const orderParams = z.strictObject({ orderId });

const fieldValues = z.record(z.string().max(40), z.string().max(2000));

export const checkoutBody = z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          listingId: z.uuid(),
          quantity: z.number().int().min(1).max(1000),
          data: fieldValues.default({}).meta({ description: "Values of the listing process's order fields" }),
        }),
      )
      .min(1)
      .max(20)
      .refine(
        (lines) => new Set(lines.map((line) => line.listingId)).size === lines.length,
        'list each listing once, with its quantity',
      ),
  })
  .meta({ id: 'Cart' });

export const idempotencyKeyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\w-]{8,100}$/, 'must be 8 to 100 letters, digits, - or _, unique per checkout (a UUID)')
    .meta({ description: 'Retrying with the same key returns the first response and checks out once.' }),
});

export const checkoutView = z
  .object({
    id: z.string(),
    currency: currencySchema,
    total: z.number().int(),
    orders: z.array(z.object({ id: z.string(), sellerId: z.string(), total: z.number().int() })),
    payment: z.object({
      status: z.enum(['authorised', 'requires_action']),
      clientSecret: z.string().optional(),
    }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Checkout' });

const fieldSpecView = z.object({ type: z.enum(['text', 'url']), required: z.boolean() });

export const orderView = z
  .object({
    id: z.string(),
    checkoutId: z.string(),
    status: z.enum(orderStatuses),
    paymentStatus: z.enum(paymentStatuses),
    currency: currencySchema,
    total: z.number().int(),
    commission: z.number().int(),
    lines: z.array(
      z.object({
        listingId: z.string(),
        title: z.string(),
        quantity: z.number().int(),
        unitPrice: z.number().int(),
        amount: z.number().int(),
        commission: z.number().int(),
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
    yourParties: z.array(z.string()).meta({ description: 'The parties you are in this order' }),
    actions: z
      .array(z.object({ name: z.string(), fields: z.record(z.string(), fieldSpecView) }))
      .meta({ description: 'What you may do now: POST /orders/{orderId}/actions/{name}' }),
    cancelReason: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });

export const orderSummaryView = z
  .object({
    orderId: z.string(),
    checkoutId: z.string(),
    parties: z.array(z.string()),
    status: z.enum(orderStatuses),
    paymentStatus: z.enum(paymentStatuses),
    currency: currencySchema,
    total: z.number().int(),
    title: z.string(),
    lineCount: z.number().int(),
    step: z.string().optional(),
    waitingFor: z.string().optional(),
    deadline: z.iso.datetime().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'OrderSummary' });

export const orderEventView = z
  .object({
    seq: z.number().int(),
    at: z.iso.datetime(),
    by: z.object({ party: z.string(), userId: z.string().optional() }),
    type: z.string(),
    step: z.string().optional(),
    action: z.string().optional(),
    data: z.record(z.string(), z.string()).optional(),
  })
  .meta({ id: 'OrderEvent' });

export const orderSummaryPage = pageOf(orderSummaryView, 'OrderSummaryPage');
export const orderEventPage = pageOf(orderEventView, 'OrderEventPage');

export const orderPageQuery = pageQueryOf('order');
export const eventPageQuery = pageQueryOf('event');

export const actionParams = z.strictObject({
  orderId,
  action: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be an action name, e.g. accept'),
});

export const actionBody = z
  .strictObject({ data: fieldValues.default({}).meta({ description: "Values of the action's fields" }) })
  .default({ data: {} })
  .meta({ id: 'OrderAction' });
