import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** Finance holds a seller's payouts back. */
export interface PayoutHold {
  readonly reason: string;
  readonly by: string;
  readonly since: string;
}

export interface SellerPayoutHold extends PayoutHold {
  readonly sellerId: string;
}

/** Who lifted a hold, when and why. */
export interface HoldRelease {
  readonly by: string;
  readonly at: string;
  readonly reason: string;
}

const holdSchema = deferred(() =>
  z.object({ sellerId: z.string(), reason: z.string(), by: z.string(), since: z.string() }),
);

export const payoutHoldEntity = defineEntity<SellerPayoutHold>({
  name: entities.sellerPayoutHold,
  version: 1,
  schema: holdSchema,
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'PAYOUT_HOLD' }],
});

export const payoutHoldKey = (sellerId: string) => ({ PK: `SELLER#${sellerId}`, SK: 'PAYOUT_HOLD' });

/** A released hold, kept with who released it, when and why. */
export const payoutHoldReleaseEntity = defineEntity<SellerPayoutHold & { readonly released: HoldRelease }>({
  name: entities.sellerPayoutHoldRelease,
  version: 1,
  schema: deferred(() =>
    holdSchema
      .unwrap()
      .extend({ released: z.object({ by: z.string(), at: z.string(), reason: z.string() }) }),
  ),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'PAYOUT_HOLD#RELEASED#<releasedAt>' }],
});

export const payoutHoldReleasePrefix = 'PAYOUT_HOLD#RELEASED#';

export const payoutHoldReleaseKey = (sellerId: string, releasedAt: string) => ({
  PK: `SELLER#${sellerId}`,
  SK: `${payoutHoldReleasePrefix}${releasedAt}`,
});
