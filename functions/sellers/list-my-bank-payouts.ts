import { bankPayoutStore } from '#shared/app/composition/stores/bank-payout-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';

export const handler = httpHandler(sellerRoutes.listMyBankPayouts, async ({ query, caller }) => ({
  status: 200,
  body: await bankPayoutStore.listBySeller(caller.userId, query.limit, query.cursor),
}));
