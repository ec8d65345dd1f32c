import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** What captures brought a seller in one currency on one UTC day, less what went back, and the buyers counted. */
export interface DailySales {
  readonly sellerId: string;
  readonly currency: string;
  readonly day: string;
  readonly amount: number;
  readonly buyers: number;
  readonly expiresAt: number;
}

export const sellerDailySalesEntity = defineEntity<DailySales>({
  name: entities.sellerDailySales,
  version: 1,
  schema: deferred(() =>
    z.object({
      sellerId: z.string(),
      currency: z.string(),
      day: z.string(),
      amount: z.number(),
      buyers: z.number(),
      expiresAt: z.number(),
    }),
  ),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'SALES#<currency>#<day>' }],
});

/** One item per seller, currency and UTC day (`YYYY-MM-DD`): the SK sorts by day within a currency. */
export const sellerDailySalesKey = (sellerId: string, currency: string, day: string) => ({
  PK: `SELLER#${sellerId}`,
  SK: `SALES#${currency}#${day}`,
});
