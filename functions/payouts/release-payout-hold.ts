import { payoutRunStore } from '#shared/app/composition/stores/payout-run-store.ts';
import { checkHoldReleaser } from '#shared/domain/payout-run.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { payoutRoutes } from '../routes/payouts.ts';

/** Finance lifts a seller's hold, saying why; the hold is kept with its release for the record. */
export const handler = httpHandler(payoutRoutes.releasePayoutHold, async ({ params, body, caller }) => {
  checkHoldReleaser(params.sellerId, caller.userId);
  const released = await payoutRunStore.releaseHold(params.sellerId, {
    by: caller.userId,
    reason: body.reason,
  });
  return { status: 200, body: { sellerId: params.sellerId, ...released } };
});
