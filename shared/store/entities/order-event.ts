import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { OrderEvent } from '../../domain/order.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { actorSchema } from './order.ts';

const orderEventSchema = deferred(() =>
  z.object({
    seq: z.number(),
    at: z.string(),
    by: actorSchema,
    type: z.enum([
      'placed',
      'payment-authorised',
      'action',
      'timed-out',
      'payment-captured',
      'payment-failed',
      'chargeback-open',
      'chargeback-won',
      'chargeback-lost',
      'refunded',
      'completed',
      'cancelled',
    ]),
    step: z.string().optional(),
    action: z.string().optional(),
    data: z.record(z.string(), z.string()).optional(),
  }),
) satisfies z.ZodType<OrderEvent>;

/** One entry of an order's history; `seq` counts from 1. */
export const orderEventEntity = defineEntity<OrderEvent>({
  name: entities.orderEvent,
  version: 1,
  schema: orderEventSchema,
  keys: [{ PK: 'ORDER#<orderId>', SK: 'EVENT#<seq, 6 digits>' }],
});

export const orderEventPrefix = 'EVENT#';

export const orderEventKey = (orderId: string, seq: number) => ({
  PK: `ORDER#${orderId}`,
  SK: `${orderEventPrefix}${String(seq).padStart(6, '0')}`,
});
