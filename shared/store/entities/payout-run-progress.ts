import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** One shard of a run's progress: what the lines counted on it added up (by `ADD`, so any may be absent). */
export interface ProgressShard {
  readonly paid?: number;
  readonly paidAmount?: number;
  readonly failed?: number;
  readonly skipped?: number;
}

export const payoutRunProgressEntity = defineEntity<ProgressShard>({
  name: entities.payoutRunProgress,
  version: 1,
  schema: deferred(() =>
    z.object({
      paid: z.number().optional(),
      paidAmount: z.number().optional(),
      failed: z.number().optional(),
      skipped: z.number().optional(),
    }),
  ),
  keys: [{ PK: 'PAYOUT_RUN#<runId>', SK: 'RUN#PROGRESS#<shard>' }],
});

export const payoutRunProgressKey = (runId: string, shard: number) => ({
  PK: `PAYOUT_RUN#${runId}`,
  SK: `RUN#PROGRESS#${shard}`,
});
