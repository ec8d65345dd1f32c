import { suspensionStore } from '#shared/app/composition/stores/suspension-store.ts';
import { suspensionNotFound } from '#shared/domain/suspension.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

export const handler = httpHandler(trustRoutes.getUserSuspension, async ({ params }) => {
  const suspension = await suspensionStore.get(params.userId);
  if (!suspension) throw suspensionNotFound(params.userId);
  return { status: 200, body: suspension };
});
