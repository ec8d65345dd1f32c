import { ledgerStore } from '#shared/app/composition/stores/ledger-store.ts';
import { sellerKpiStore } from '#shared/app/composition/stores/seller-kpi-store.ts';
import { sellerQualityStore } from '#shared/app/composition/stores/seller-quality-store.ts';
import { sellerSalesStore } from '#shared/app/composition/stores/seller-sales-store.ts';
import { payoutSettings } from '#shared/app/payouts/payout-settings.ts';
import { type DashboardDependencies, sellerDashboard } from '#shared/app/quality/seller-dashboard.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routesEntryPoint } from '#shared/http/shared-function.ts';
import { qualityRoutes } from '../routes/quality.ts';

const dependencies = onFirstUse(
  (): DashboardDependencies => ({
    kpis: sellerKpiStore,
    quality: sellerQualityStore,
    sales: sellerSalesStore,
    ledger: ledgerStore,
    payoutPolicy: payoutSettings().policy,
  }),
);

/** A seller reads their own dashboard; an admin reads any seller's by id. */
export const handler = routesEntryPoint([
  [
    qualityRoutes.getMyDashboard,
    httpHandler(qualityRoutes.getMyDashboard, async ({ caller }) => ({
      status: 200,
      body: await sellerDashboard(caller.userId, dependencies),
    })),
  ],
  [
    qualityRoutes.getSellerDashboard,
    httpHandler(qualityRoutes.getSellerDashboard, async ({ params }) => ({
      status: 200,
      body: await sellerDashboard(params.sellerId, dependencies),
    })),
  ],
]);
