import { ledgerStore } from '#shared/app/composition/stores/ledger-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';

export const handler = httpHandler(sellerRoutes.getMyBalances, async ({ caller }) => ({
  status: 200,
  body: { items: await ledgerStore.balances(caller.userId) },
}));
