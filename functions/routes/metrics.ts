import type { FunctionResources } from '#shared/config/function-resources.ts';
import { defineRoute } from '#shared/http/route.ts';
import { entities } from '#shared/store/table.ts';
import { marketplaceMetricsView, metricsQuery } from './schemas/metrics.ts';

/** The operator metrics, computed from the table's stream (docs/design/operator-metrics.md). */
export const metricsRoutes = {
  getMarketplaceMetrics: defineRoute({
    method: 'GET',
    path: '/admin/metrics',
    handler: 'metrics/get-marketplace-metrics',
    summary: 'GMV, commission, orders, refunds, chargebacks, active buyers and sellers, payouts per period',
    tags: ['admin'],
    // One Query of the currency's items of one granularity, one item per period.
    uses: { table: ['Query'] },
    access: ['admin'],
    query: metricsQuery,
    responses: {
      200: { description: 'The metrics of every period of the range', body: marketplaceMetricsView },
    },
  }),
};

/**
 * Consumes posted ledger transactions, order changes and payout lines from the table's stream and
 * adds them to the metrics' daily, weekly and monthly items (functions/metrics/project-metrics.ts).
 */
export const metricsProjector = {
  handler: 'metrics/project-metrics',
  entities: [entities.ledgerTransaction, entities.order, entities.payoutLine],
  // The batch's members read (BatchGetItem); each record's marker and members put and the periods'
  // counts added, in one transaction.
  uses: { table: ['BatchGetItem', 'PutItem', 'UpdateItem'] },
} as const satisfies { handler: string; entities: readonly string[]; uses: FunctionResources };
