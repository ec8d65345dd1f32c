import { ledgerStore } from '#shared/app/composition/stores.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';

export const handler = httpHandler(routes.listMyStatement, async ({ query, caller }) => ({
  status: 200,
  body: await ledgerStore.statement(caller.userId, {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.currency ? { currency: query.currency } : {}),
  }),
}));
