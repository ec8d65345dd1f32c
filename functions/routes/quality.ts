import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import { ifMatch } from './if-match.ts';
import { qualityRulesBody, qualityRulesView, sellerDashboardView } from './schemas/quality.ts';
import { sellerParams } from './schemas/sellers.ts';

/**
 * What a dashboard reads: the profile, order counts, quality standing, hold, suspension and payments
 * account (one BatchGetItem), then a Query each of the KPI days, the sales days, the waiting orders,
 * the notices and the balances.
 */
const dashboardUses = { table: ['BatchGetItem', 'Query'], payoutSettings: true } as const;

/** The quality rules' two routes share one function, whose role may do what either does. */
const qualityRulesUses = { table: ['GetItem', 'PutItem'] } as const;

/**
 * Sellers' dashboards and the seller quality rules (docs/design/seller-quality.md). Each pair of
 * routes is served by one function (functions/sellers/get-dashboard.ts, functions/admin/quality-rules.ts), so the stack holds one function per pair.
 */
export const qualityRoutes = {
  getMyDashboard: defineRoute({
    method: 'GET',
    path: '/sellers/me/dashboard',
    handler: 'sellers/get-dashboard',
    operationId: 'getMyDashboard',
    summary: 'Your orders, revenue, balances, next payout and quality KPIs over 30 and 90 days',
    tags: ['sellers'],
    uses: dashboardUses,
    access: ['seller'],
    responses: {
      200: { description: 'Your dashboard', body: sellerDashboardView },
      404: { description: 'You have no seller profile yet' },
    },
  }),
  getSellerDashboard: defineRoute({
    method: 'GET',
    path: '/admin/sellers/{sellerId}/dashboard',
    handler: 'sellers/get-dashboard',
    operationId: 'getSellerDashboard',
    summary: "Any seller's dashboard, for admins",
    tags: ['admin'],
    uses: dashboardUses,
    access: ['admin'],
    params: sellerParams,
    responses: {
      200: { description: "The seller's dashboard", body: sellerDashboardView },
      404: { description: 'No seller has this id' },
    },
  }),
  getQualityRules: defineRoute({
    method: 'GET',
    path: '/admin/quality-rules',
    handler: 'admin/quality-rules',
    operationId: 'getQualityRules',
    summary: 'The seller quality rules in force (none until saved)',
    tags: ['admin'],
    uses: qualityRulesUses,
    access: ['admin'],
    responses: {
      200: {
        description: 'The rule set; ETag carries its version ("0" while none is saved)',
        body: qualityRulesView,
      },
    },
  }),
  saveQualityRules: defineRoute({
    method: 'PUT',
    path: '/admin/quality-rules',
    handler: 'admin/quality-rules',
    operationId: 'saveQualityRules',
    summary: 'Replace the seller quality rules (If-Match required once saved)',
    tags: ['admin'],
    uses: qualityRulesUses,
    access: ['admin'],
    headers: ifMatch,
    body: qualityRulesBody,
    responses: {
      200: {
        description: 'Replaced; sellers are evaluated against them as their KPIs next change',
        body: qualityRulesView,
      },
      201: { description: 'The first rule set, saved', body: qualityRulesView },
      412: { description: 'If-Match does not match the current version' },
      428: { description: 'A rule set is saved and If-Match is missing' },
    },
  }),
} satisfies Record<string, RouteSpec>;
