import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** What a run of the currency paid or may still pay, counted against the approval threshold. */
export interface WindowRun {
  readonly runId: string;
  readonly runCreatedAt: string;
  readonly amount: number;
  readonly expiresAt: number;
}

export const approvalWindowEntity = defineEntity<WindowRun>({
  name: entities.payoutWindowRun,
  version: 1,
  schema: deferred(() =>
    z.object({
      runId: z.string(),
      runCreatedAt: z.string(),
      amount: z.number(),
      expiresAt: z.number(),
    }),
  ),
  keys: [{ PK: 'PAYOUT_WINDOW#<currency>', SK: '<createdAt>#<runId>' }],
});

/** The SK sorts by the run's creation: one Query finds the runs of the last 24 hours. */
export const approvalWindowPartition = (currency: string) => ({ PK: `PAYOUT_WINDOW#${currency}` });

export const approvalWindowKey = (currency: string, createdAt: string, runId: string) => ({
  ...approvalWindowPartition(currency),
  SK: `${createdAt}#${runId}`,
});
