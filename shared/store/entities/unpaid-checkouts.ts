import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** How many of the buyer's checkouts hold stock waiting for their payment. */
export const unpaidCheckoutsEntity = defineEntity<{ readonly unpaid: number }>({
  name: entities.buyerUnpaidCheckouts,
  version: 1,
  schema: deferred(() => z.object({ unpaid: z.number() })),
  keys: [{ PK: 'BUYER#<buyerId>', SK: 'UNPAID_CHECKOUTS' }],
});

export const unpaidCheckoutsKey = (buyerId: string) => ({ PK: `BUYER#${buyerId}`, SK: 'UNPAID_CHECKOUTS' });
