import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import {
  isCalendarDay,
  maxPeriods,
  metricGranularities,
  periodCount,
} from '#shared/domain/marketplace-metrics.ts';
import { component } from '#shared/http/component.ts';
import { currencySchema } from './catalog.ts';

const day = (description: string) => z.iso.date({ error: 'must be a date YYYY-MM-DD' }).meta({ description });

export const metricsQuery = deferred(() =>
  z
    .strictObject({
      from: day('The first day (UTC) of the range: its period is the first reported'),
      to: day('The last day (UTC) of the range, inclusive: its period is the last reported'),
      granularity: z
        .enum(metricGranularities)
        .default('day')
        .meta({ description: 'One period per day, per week (Monday to Sunday) or per calendar month' }),
      currency: currencySchema,
    })
    .superRefine(({ from, to, granularity }, context) => {
      if (!isCalendarDay(from) || !isCalendarDay(to)) return;
      if (to < from) {
        context.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
        return;
      }
      const periods = periodCount(granularity, from, to);
      if (periods > maxPeriods[granularity]) {
        context.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the range holds ${periods} periods of a ${granularity}; at most ${maxPeriods[granularity]}`,
        });
      }
    }),
);

const minorUnits = (description: string) => z.number().int().meta({ description });
const count = (description: string) => z.number().int().min(0).meta({ description });
const rate = (description: string) =>
  z
    .number()
    .nullable()
    .meta({ description: `${description}; 4 decimal places, null when dividing by 0` });

const periodView = () =>
  z.object({
    start: z.iso.date().meta({ description: 'The period’s first day (UTC)' }),
    end: z.iso.date().meta({ description: 'The period’s last day (UTC), inclusive' }),
    captured: minorUnits('GMV: what captures took from buyers'),
    refunded: minorUnits('What refunds gave back to buyers'),
    chargedBack: minorUnits('What lost chargebacks gave back to buyers'),
    netCaptured: minorUnits('Net GMV: captured less refunded and charged back'),
    commission: minorUnits('Commission on the captures'),
    commissionReturned: minorUnits('Commission given back with refunds and lost chargebacks'),
    commissionRevenue: minorUnits('Commission less what was given back'),
    takeRate: rate('commissionRevenue / netCaptured'),
    ordersPlaced: count('Orders created by checkouts'),
    ordersCaptured: count('Orders whose payment was captured'),
    ordersCompleted: count('Orders completed'),
    ordersCancelled: count('Orders cancelled'),
    cancellationRate: rate('ordersCancelled / (ordersCompleted + ordersCancelled)'),
    averageOrderValue: minorUnits(
      'captured / ordersCaptured, rounded half up; null without captures',
    ).nullable(),
    refunds: count('Refunds made'),
    refundRate: rate('refunded / captured'),
    chargebacksOpened: count('Chargebacks opened'),
    chargebacksLost: count('Chargebacks lost'),
    chargebackRate: rate('chargebacksOpened / ordersCaptured'),
    activeBuyers: count('Distinct buyers with an order captured in the period'),
    activeSellers: count('Distinct sellers with an order captured in the period'),
    payouts: count('Payouts made: payout lines paid to sellers'),
    paidOut: minorUnits('What those payouts paid'),
  });

export const marketplaceMetricsView = component('MarketplaceMetrics', () =>
  z.object({
    currency: currencySchema,
    granularity: z.enum(metricGranularities),
    from: z.iso.date(),
    to: z.iso.date(),
    periods: z.array(periodView()).meta({
      description:
        'Every period holding a day of the range, in order; amounts in minor units of the currency',
    }),
  }),
);
