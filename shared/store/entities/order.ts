import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type Order, orderPaymentStatuses, orderStatuses } from '../../domain/order.ts';
import { disputeQueueStanding } from '../../domain/order-disputes.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

export const actorSchema = deferred(() => z.object({ party: z.string(), userId: z.string().optional() }));

const transitionSchema = deferred(() =>
  z.object({
    next: z.enum(['await-payment', 'await-step', 'complete', 'cancel']),
    capture: z.boolean(),
    stepIndex: z.number().optional(),
    timeoutSeconds: z.number().optional(),
    captureTimeoutSeconds: z.number().optional(),
    responseSeconds: z.record(z.string(), z.number()).optional(),
  }),
);

const refundSchema = deferred(() =>
  z.object({
    refundId: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    lines: z.array(z.object({ line: z.number(), amount: z.number() })),
    amount: z.number(),
    refundFee: z.boolean(),
    reason: z.string().optional(),
    by: actorSchema,
    fingerprint: z.string(),
    requestedAt: z.string(),
    settledAt: z.string().optional(),
    failure: z.string().optional(),
  }),
);

const disputeSchema = deferred(() =>
  z.object({
    step: z.string(),
    openedAt: z.string(),
    openedBy: actorSchema,
    reason: z.string().optional(),
    responseDeadlines: z.record(z.string(), z.string()).optional(),
    evidence: z.record(z.string(), z.number()),
    settlement: z
      .object({
        settlementId: z.string(),
        refund: z.object({ amount: z.number(), currency: z.string() }),
        action: z.string(),
        refundId: z.string().optional(),
        note: z.string(),
        by: z.string(),
        at: z.string(),
        fingerprint: z.string(),
      })
      .optional(),
  }),
);

const orderSchema = deferred(() =>
  z.object({
    id: z.string(),
    checkoutId: z.string(),
    buyerId: z.string(),
    sellerId: z.string(),
    parties: z.record(z.string(), z.string()),
    currency: z.string(),
    lines: z.array(
      z.object({
        listingId: z.string(),
        title: z.string(),
        quantity: z.number(),
        unitPrice: z.number(),
        amount: z.number(),
        commission: z.number(),
        data: z.record(z.string(), z.string()),
      }),
    ),
    total: z.number(),
    commission: z.number(),
    payees: z.array(z.object({ party: z.string(), userId: z.string(), amount: z.number() })),
    process: z.object({ id: z.string(), version: z.number() }),
    paymentWindowSeconds: z.number(),
    status: z.enum(orderStatuses),
    paymentStatus: z.enum(orderPaymentStatuses),
    stepIndex: z.number().optional(),
    deadline: z.string().optional(),
    taskToken: z.string().optional(),
    pending: transitionSchema.optional(),
    captureBy: z.string().optional(),
    captureThen: transitionSchema.optional(),
    refunds: z.array(refundSchema).optional(),
    chargeback: z
      .object({
        disputeId: z.string(),
        status: z.enum(['open', 'won', 'lost']),
        openedAt: z.string().optional(),
      })
      .optional(),
    dispute: disputeSchema.optional(),
    cancelReason: z.string().optional(),
    version: z.number(),
    eventCount: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
) satisfies z.ZodType<Order>;

export const orderEntity = defineEntity<Order>({
  name: entities.order,
  version: 2,
  schema: orderSchema,
  keys: [
    { PK: 'ORDER#<orderId>', SK: 'ORDER' },
    { PK: 'ORDER#<orderId>', SK: 'ORDER', GSI1PK: 'DISPUTES#<status>', GSI1SK: 'DISPUTE#<since>#<orderId>' },
  ],
  upgrades: {
    // Version 1 kept a copy of the whole process; shipped process versions never change.
    1: ({ process, ...order }) => {
      const { id, version } = (process ?? {}) as Record<string, unknown>;
      return { ...order, process: { id, version } };
    },
  },
});

export const orderKey = (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'ORDER' });

export const disputeQueuePartition = (status: 'open' | 'closed') => ({ GSI1PK: `DISPUTES#${status}` });

/** The order's entry in the admins' dispute queue (a sparse index), if it has one. */
export function disputeQueueKeys(order: Order) {
  const standing = disputeQueueStanding(order);
  return standing
    ? { ...disputeQueuePartition(standing.status), GSI1SK: `DISPUTE#${standing.since}#${order.id}` }
    : {};
}
