import { moderationStore } from '#shared/app/composition/stores/moderation-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

/** An admin approves or rejects a listing awaiting review; the decision is kept on it and audited. */
export const handler = httpHandler(trustRoutes.decideListing, async ({ params, body, caller }) => ({
  status: 200,
  body: await moderationStore.decide(params.listingId, {
    verdict: body.verdict,
    by: caller.userId,
    at: new Date().toISOString(),
    ...(body.reason ? { reason: body.reason } : {}),
  }),
}));
