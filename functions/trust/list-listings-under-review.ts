import { moderationStore } from '#shared/app/composition/stores/moderation-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

export const handler = httpHandler(trustRoutes.listListingsUnderReview, async ({ query }) => ({
  status: 200,
  body: await moderationStore.queue(query.limit, query.cursor),
}));
