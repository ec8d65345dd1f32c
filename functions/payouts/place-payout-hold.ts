import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { payoutRoutes } from '../routes/payouts.ts';

/** Finance holds the seller's payouts back: runs skip them until the hold is released. */
export const handler = httpHandler(payoutRoutes.placePayoutHold, async ({ params, body, caller }) => {
  await payoutRunStore.placeHold(params.sellerId, { reason: body.reason, by: caller.userId });
  const hold = await payoutRunStore.hold(params.sellerId);
  return { status: 200, body: { sellerId: params.sellerId, ...hold } };
});
