import { httpHandler } from '#shared/http/handler.ts';
import { routes } from '../routes.ts';
import { payoutRunStore } from '../stores.ts';

export const handler = httpHandler(routes.releasePayoutHold, async ({ params }) => {
  await payoutRunStore.releaseHold(params.sellerId);
  return { status: 204 };
});
