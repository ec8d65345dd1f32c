import { moderationStore } from '#shared/app/composition/stores/moderation-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { moderationPolicyViewOf } from '../routes/schemas/trust.ts';
import { trustRoutes } from '../routes/trust.ts';

export const handler = httpHandler(trustRoutes.getModerationPolicy, async () => ({
  status: 200,
  body: moderationPolicyViewOf(await moderationStore.policy()),
}));
