import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { payoutLineStatuses, payoutRunStatuses, skipReasons } from '#shared/domain/payout-run.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { currencySchema } from './catalog.ts';

const amount = () => z.number().int();

export const runIdSchema = deferred(() => z.string().regex(/^pr_[a-z0-9]{16}$/, 'is not a payout run id'));
export const payoutRunParams = deferred(() => z.strictObject({ runId: runIdSchema }));

export const startPayoutRunBody = component('PayoutRunInput', () =>
  z.strictObject({
    currency: currencySchema,
    cutoff: z.iso
      .datetime()
      .optional()
      .meta({ description: 'Pay only money that became available before this instant (not in the future).' }),
    dryRun: z
      .boolean()
      .default(false)
      .meta({ description: 'Select and report who would be paid how much, without moving money.' }),
  }),
);

export const approvalBody = component('PayoutRunDecision', () =>
  z.strictObject({
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().min(1).max(500).optional(),
  }),
);

const holdReason = () => z.string().trim().min(1).max(500);

export const payoutHoldBody = component('PayoutHoldInput', () => z.strictObject({ reason: holdReason() }));

export const payoutHoldReleaseBody = component('PayoutHoldReleaseInput', () =>
  z.strictObject({ reason: holdReason().meta({ description: 'Why the hold is lifted, for the record' }) }),
);

export const payoutHoldView = component('PayoutHold', () =>
  z.object({
    sellerId: z.string(),
    reason: z.string(),
    by: z.string(),
    since: z.iso.datetime(),
    released: z
      .object({ by: z.string(), at: z.iso.datetime(), reason: z.string() })
      .optional()
      .meta({ description: 'Who lifted the hold, when and why' }),
  }),
);

export const payoutLineView = component('PayoutLine', () =>
  z.object({
    runId: z.string(),
    sellerId: z.string(),
    currency: currencySchema,
    status: z.enum(payoutLineStatuses),
    plannedAmount: amount().meta({ description: 'What the selection found payable' }),
    amount: amount().optional().meta({ description: 'What is transferred: at most what was available then' }),
    stripeAccountId: z.string().optional(),
    skipReason: z.enum(skipReasons).optional(),
    transferId: z.string().optional().meta({ description: "Stripe's transfer to the connected account" }),
    paidAt: z.iso.datetime().optional(),
    failure: z.object({ code: z.string(), message: z.string() }).optional(),
    bankPayout: z
      .object({
        payoutId: z.string(),
        status: z.string(),
        failureCode: z.string().nullable(),
        failureMessage: z.string().nullable(),
      })
      .optional()
      .meta({ description: "The seller's bank payout after this transfer, as Stripe last reported it" }),
    updatedAt: z.iso.datetime(),
  }),
);

export const payoutRunView = component('PayoutRun', () =>
  z.object({
    runId: z.string(),
    currency: currencySchema,
    dryRun: z.boolean(),
    cutoff: z.iso.datetime().optional(),
    status: z.enum(payoutRunStatuses),
    startedBy: z.string().meta({ description: 'The finance user, or `schedule`' }),
    policy: z.object({ minimumPayout: amount(), approvalThreshold: amount() }),
    concurrency: z.number().int(),
    selection: z
      .object({
        eligibleCount: z.number().int(),
        eligibleAmount: amount(),
        skipped: z.partialRecord(z.enum(skipReasons), z.number().int()),
      })
      .optional(),
    approval: z
      .object({
        required: z.boolean(),
        recentTotal: amount()
          .optional()
          .meta({
            description:
              "What the currency's runs started in the 24 hours before this one paid or may still pay, " +
              'which counts with its total against the approval threshold',
          }),
        deadline: z.iso.datetime().optional(),
        decision: z.enum(['approved', 'rejected']).optional(),
        decidedBy: z.string().optional(),
        decidedAt: z.iso.datetime().optional(),
        reason: z.string().optional(),
      })
      .optional(),
    progress: z.object({
      total: z.number().int().meta({ description: 'Sellers selected to be paid' }),
      done: z.number().int(),
      paid: z.number().int(),
      paidAmount: amount(),
      failed: z.number().int(),
      skipped: z.number().int(),
    }),
    failures: z
      .array(z.object({ sellerId: z.string(), amount: amount(), code: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'The first failed lines, once the run is over' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
  }),
);

export const payoutRunPage = pageOf(
  deferred(() => payoutRunView.unwrap().omit({ progress: true })),
  'PayoutRunPage',
);
export const payoutLinePage = pageOf(payoutLineView, 'PayoutLinePage');

export const payoutRunQuery = deferred(() => pageQueryOf('payoutRun'));
export const payoutRunDetailQuery = deferred(() =>
  pageQueryOf('payoutLine').extend({ status: z.enum(payoutLineStatuses).optional() }),
);
export const payoutRunDetail = component('PayoutRunDetail', () =>
  payoutRunView.unwrap().extend({ lines: payoutLinePage }),
);
