import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { BuyerStanding } from '../../domain/sales-volume.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** Where a buyer stands with a seller in a currency, and the version its next write is conditional on. */
export interface StoredStanding extends BuyerStanding {
  readonly sellerId: string;
  readonly currency: string;
  readonly buyerId: string;
  readonly version: number;
  readonly expiresAt: number;
}

export const sellerBuyerEntity = defineEntity<StoredStanding>({
  name: entities.sellerBuyer,
  version: 1,
  schema: deferred(() =>
    z.object({
      sellerId: z.string(),
      currency: z.string(),
      buyerId: z.string(),
      day: z.string(),
      net: z.number(),
      version: z.number(),
      expiresAt: z.number(),
    }),
  ),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'BUYER#<currency>#<buyerId>' }],
});

export const sellerBuyerKey = (sellerId: string, currency: string, buyerId: string) => ({
  PK: `SELLER#${sellerId}`,
  SK: `BUYER#${currency}#${buyerId}`,
});
