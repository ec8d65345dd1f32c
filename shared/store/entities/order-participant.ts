import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { orderPaymentStatuses, orderStatuses } from '../../domain/order.ts';
import type { OrderSummary } from '../../domain/order-summary.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const orderSummarySchema = deferred(() =>
  z.object({
    orderId: z.string(),
    checkoutId: z.string(),
    parties: z.array(z.string()),
    status: z.enum(orderStatuses),
    paymentStatus: z.enum(orderPaymentStatuses),
    currency: z.string(),
    total: z.number(),
    title: z.string(),
    lineCount: z.number(),
    step: z.string().optional(),
    waitingFor: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
) satisfies z.ZodType<OrderSummary>;

/** A summary of the order per buyer, seller or provider, rewritten with every change of the order. */
export const orderParticipantEntity = defineEntity<OrderSummary>({
  name: entities.orderParticipant,
  version: 1,
  schema: orderSummarySchema,
  keys: [
    {
      PK: 'ORDER#<orderId>',
      SK: 'PARTICIPANT#<userId>',
      GSI1PK: 'PARTICIPANT#<userId>',
      GSI1SK: 'ORDER#<createdAt>#<orderId>',
    },
  ],
});

export const orderParticipantKey = (orderId: string, userId: string) => ({
  PK: `ORDER#${orderId}`,
  SK: `PARTICIPANT#${userId}`,
});

/** The orders a user takes part in, in GSI1, newest first by `participantIndexKeys`. */
export const participantOrdersPartition = (userId: string) => ({ GSI1PK: `PARTICIPANT#${userId}` });

export const participantIndexKeys = (
  userId: string,
  order: { readonly createdAt: string; readonly id: string },
) => ({
  ...participantOrdersPartition(userId),
  GSI1SK: `ORDER#${order.createdAt}#${order.id}`,
});
