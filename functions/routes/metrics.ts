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
 * Consumes posted ledger transactions, order and payout line changes and reviews from the table's
 * stream, for two projections of the same changes: the operator metrics' daily, weekly and monthly
 * items, and each seller's dashboard and daily quality KPIs, after which the quality rules of the
 * sellers whose KPIs changed are evaluated (functions/metrics/project-table-changes.ts). One consumer
 * for both keeps the stream's readers few: DynamoDB advises at most two per shard.
 */
export const tableChangeProjections = {
  handler: 'metrics/project-table-changes',
  entities: [entities.ledgerTransaction, entities.order, entities.payoutLine, entities.review],
  // Metrics: the batch's members read (BatchGetItem); each record's marker and members put and the
  // periods' counts added, in one transaction. KPIs: each record's additions in one transaction with
  // its marker (Put, Update), the orders waiting for the seller put and deleted; an evaluation reads
  // the rules and the seller's standing, hold and suspension (BatchGetItem) and KPI days (Query), and
  // records a crossing with its notice and action (Put).
  uses: { table: ['BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
} as const satisfies { handler: string; entities: readonly string[]; uses: FunctionResources };
