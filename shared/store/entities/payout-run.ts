import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { payoutRunStatuses, skipReasons } from '../../domain/payout-run.ts';
import type { PayoutRun } from '../payout-runs/run-and-line-types.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

export type RunItem = Omit<PayoutRun, 'progress'>;

const runSchema = deferred(() =>
  z.object({
    runId: z.string(),
    currency: z.string(),
    dryRun: z.boolean(),
    cutoff: z.string().optional(),
    status: z.enum(payoutRunStatuses),
    startedBy: z.string(),
    policy: z.object({ minimumPayout: z.number(), approvalThreshold: z.number() }),
    concurrency: z.number(),
    approvalTimeoutSeconds: z.number(),
    fingerprint: z.string(),
    selection: z
      .object({
        eligibleCount: z.number(),
        eligibleAmount: z.number(),
        skipped: z.partialRecord(z.enum(skipReasons), z.number()),
      })
      .optional(),
    approval: z
      .object({
        required: z.boolean(),
        recentTotal: z.number().optional(),
        deadline: z.string().optional(),
        decision: z.enum(['approved', 'rejected']).optional(),
        decidedBy: z.string().optional(),
        decidedAt: z.string().optional(),
        reason: z.string().optional(),
      })
      .optional(),
    approvalToken: z.string().optional(),
    approvalExecution: z.string().optional(),
    failures: z
      .array(z.object({ sellerId: z.string(), amount: z.number(), code: z.string(), message: z.string() }))
      .optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().optional(),
  }),
) satisfies z.ZodType<RunItem>;

/** A payout run's terms, selection, approval and status; its progress is counted in shards beside it. */
export const payoutRunEntity = defineEntity<RunItem>({
  name: entities.payoutRun,
  version: 1,
  schema: runSchema,
  keys: [
    { PK: 'PAYOUT_RUN#<runId>', SK: 'RUN', GSI1PK: 'PAYOUT_RUNS', GSI1SK: 'PAYOUT_RUN#<createdAt>#<runId>' },
  ],
});

export const payoutRunKey = (runId: string) => ({ PK: `PAYOUT_RUN#${runId}`, SK: 'RUN' });

/** Every run in GSI1, newest first. */
export const payoutRunsPartition = () => ({ GSI1PK: 'PAYOUT_RUNS' });

/** How GSI1 sorts a run and its lines: by the run's creation. */
export const runSortKey = (run: { readonly createdAt: string; readonly runId: string }) =>
  `PAYOUT_RUN#${run.createdAt}#${run.runId}`;
