import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';
import { ledgerStore } from '../stores.ts';

export const handler = httpHandler(routes.getMyBalances, async ({ caller }) => ({
  status: 200,
  body: { items: await ledgerStore.balances(caller.userId) },
}));
