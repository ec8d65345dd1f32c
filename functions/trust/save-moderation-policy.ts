import { moderationStore } from '#shared/app/composition/stores/moderation-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { moderationPolicyViewOf } from '../routes/schemas/trust.ts';
import { trustRoutes } from '../routes/trust.ts';

export const handler = httpHandler(trustRoutes.saveModerationPolicy, async ({ body, caller }) => {
  const policy = {
    mode: body.mode,
    firstListings: body.firstListings ?? 0,
    categories: body.categories ?? [],
    reviewChanges: body.reviewChanges,
  };
  return {
    status: 200,
    body: moderationPolicyViewOf(await moderationStore.savePolicy(policy, caller.userId)),
  };
});
