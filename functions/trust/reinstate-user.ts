import { suspensionStore } from '#shared/app/composition/stores/suspension-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

/** An admin lifts a suspension; the user's listings come back through functions/trust/enforce-suspensions.ts. */
export const handler = httpHandler(trustRoutes.reinstateUser, async ({ params, body, caller }) => ({
  status: 200,
  body: await suspensionStore.reinstate(params.userId, { reason: body.reason, by: caller.userId }),
}));
