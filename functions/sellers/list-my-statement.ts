import { ledgerStore } from '#shared/app/composition/stores/ledger-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { sellerRoutes } from '../routes/sellers.ts';

export const handler = httpHandler(sellerRoutes.listMyStatement, async ({ query, caller }) => ({
  status: 200,
  body: await ledgerStore.statement(caller.userId, {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.currency ? { currency: query.currency } : {}),
  }),
}));
