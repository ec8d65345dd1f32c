import { ledgerStore } from '#shared/app/composition/stores.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.getMyBalances, async ({ caller }) => ({
  status: 200,
  body: { items: await ledgerStore.balances(caller.userId) },
}));
