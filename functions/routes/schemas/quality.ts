import * as z from 'zod';
import { orderStatuses } from '#shared/domain/order.ts';
import { skipReasons } from '#shared/domain/payout-run.ts';
import { qualityActions, qualityLevels, qualityRuleProblems } from '#shared/domain/quality-rules.ts';
import { kpiNames, kpiScales, kpiWindows } from '#shared/domain/seller-kpis.ts';
import { component } from '#shared/http/component.ts';
import { currencySchema } from './catalog.ts';

const kpiDescription = kpiNames
  .map((kpi) => `${kpi} (${kpiScales[kpi].unit}, ${kpiScales[kpi].worse} is worse)`)
  .join(', ');

const threshold = (what: string) =>
  z
    .number()
    .min(0)
    .max(90 * 86_400)
    .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'must have at most 2 decimals')
    .meta({ description: `${what}, in the KPI's unit: percent 0 to 100, seconds, stars 1 to 5` });

const qualityRule = component('QualityRule', () =>
  z.strictObject({
    kpi: z.enum(kpiNames).meta({ description: kpiDescription }),
    windowDays: z
      .union(kpiWindows.map((days) => z.literal(days)))
      .default(30)
      .meta({ description: 'The trailing window the KPI is read over' }),
    warning: threshold('The level at or past which the seller is warned'),
    limit: threshold('The level at or past which the action is taken; past the warning level'),
    minOrders: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .meta({ description: 'How many orders (reviews, for the rating) the KPI must be measured on first' }),
    action: z.enum(qualityActions).meta({ description: 'What reaching the limit does' }),
  }),
);

/** A whole rule set, as an admin saves it: one rule per KPI at most, thresholds in order. */
export const qualityRulesBody = component('QualityRulesInput', () =>
  z.strictObject({ rules: z.array(qualityRule).max(kpiNames.length) }).superRefine(({ rules }, context) => {
    for (const { path, message } of qualityRuleProblems(rules)) {
      context.addIssue({ code: 'custom', path: ['rules', ...path], message });
    }
  }),
);

export const qualityRulesView = component('QualityRules', () =>
  z.object({
    rules: z.array(qualityRule.unwrap()),
    version: z.number().int(),
    updatedAt: z.iso.datetime().optional(),
    updatedBy: z.string().optional(),
  }),
);

const reading = () =>
  z.object({
    value: z.number().optional().meta({ description: 'Absent while nothing was measured' }),
    samples: z.number().int().meta({ description: 'The orders (reviews, for the rating) it is measured on' }),
  });

const kpis = () => z.object(Object.fromEntries(kpiNames.map((kpi) => [kpi, reading()])));

const notice = () =>
  z.object({
    kpi: z.enum(kpiNames),
    level: z.enum(['warning', 'limit']),
    value: z.number(),
    threshold: z.number(),
    windowDays: z.number().int(),
    samples: z.number().int(),
    action: z.enum(qualityActions).optional(),
    at: z.iso.datetime(),
  });

export const sellerDashboardView = component('SellerDashboard', () =>
  z.object({
    sellerId: z.string(),
    asOf: z.iso.datetime(),
    orders: z.object({
      byStatus: z.object(Object.fromEntries(orderStatuses.map((status) => [status, z.number().int()]))),
      waitingForSeller: z
        .array(
          z.object({
            orderId: z.string(),
            step: z.string(),
            deadline: z.iso.datetime(),
            currency: currencySchema,
            total: z.number().int(),
          }),
        )
        .meta({ description: 'Orders waiting for your action, soonest deadline first' }),
      moreWaiting: z.boolean(),
    }),
    revenue: z
      .array(
        z.object({ currency: currencySchema, last30Days: z.number().int(), last90Days: z.number().int() }),
      )
      .meta({ description: 'Net sales (minor units): captures less refunds and lost chargebacks' }),
    balances: z.array(
      z.object({
        currency: currencySchema,
        pending: z.number().int(),
        available: z.number().int(),
        frozen: z.number().int(),
        paidOut: z.number().int(),
        nextPayout: z
          .object({ amount: z.number().int().optional(), skipReason: z.enum(skipReasons).optional() })
          .meta({ description: 'What the next payout run would pay you now, or why it would skip you' }),
      }),
    ),
    payoutHold: z.object({ reason: z.string(), since: z.iso.datetime() }).optional(),
    suspended: z.boolean(),
    quality: z.object({
      last30Days: kpis(),
      last90Days: kpis(),
      levels: z
        .partialRecord(z.enum(kpiNames), z.enum(qualityLevels))
        .meta({ description: 'Where you stand against each quality rule, as last evaluated' }),
      notices: z
        .array(notice())
        .meta({ description: 'Your latest quality warnings and limits reached, newest first' }),
    }),
  }),
);
