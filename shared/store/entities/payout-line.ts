import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { payoutLineStatuses, skipReasons } from '../../domain/payout-run.ts';
import type { PayoutLine } from '../payout-runs/run-and-line-types.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { runSortKey } from './payout-run.ts';

const lineSchema = deferred(() =>
  z.object({
    runId: z.string(),
    sellerId: z.string(),
    currency: z.string(),
    status: z.enum(payoutLineStatuses),
    plannedAmount: z.number(),
    amount: z.number().optional(),
    stripeAccountId: z.string().optional(),
    skipReason: z.enum(skipReasons).optional(),
    transferId: z.string().optional(),
    paidAt: z.string().optional(),
    failure: z.object({ code: z.string(), message: z.string() }).optional(),
    bankPayout: z
      .object({
        payoutId: z.string(),
        status: z.string(),
        failureCode: z.string().nullable(),
        failureMessage: z.string().nullable(),
      })
      .optional(),
    runCreatedAt: z.string(),
    updatedAt: z.string(),
  }),
) satisfies z.ZodType<PayoutLine>;

/** One seller in a run; in the seller's payouts (GSI1) once it leaves planned, unless the run is dry. */
export const payoutLineEntity = defineEntity<PayoutLine>({
  name: entities.payoutLine,
  version: 1,
  schema: lineSchema,
  keys: [
    {
      PK: 'PAYOUT_RUN#<runId>',
      SK: 'LINE#<sellerId>',
      GSI1PK: 'SELLER_PAYOUTS#<sellerId>',
      GSI1SK: 'PAYOUT_RUN#<createdAt>#<runId>',
    },
  ],
});

export const payoutLinePrefix = 'LINE#';

export const payoutLineKey = (runId: string, sellerId: string) => ({
  PK: `PAYOUT_RUN#${runId}`,
  SK: `${payoutLinePrefix}${sellerId}`,
});

/** A seller's payout lines across runs (dry runs left out), by the run's creation. */
export const sellerPayoutsPartition = (sellerId: string) => ({ GSI1PK: `SELLER_PAYOUTS#${sellerId}` });

/** The seller's payouts index (GSI1) entry of a line, sorted by its run. */
export const sellerPayoutIndexKeys = (line: Pick<PayoutLine, 'sellerId' | 'runId' | 'runCreatedAt'>) => ({
  ...sellerPayoutsPartition(line.sellerId),
  GSI1SK: runSortKey({ createdAt: line.runCreatedAt, runId: line.runId }),
});
