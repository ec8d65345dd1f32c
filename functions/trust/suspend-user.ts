import { suspensionStore } from '#shared/app/composition/stores/suspension-store.ts';
import { selfSuspension } from '#shared/domain/suspension.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { trustRoutes } from '../routes/trust.ts';

/** An admin suspends a user; their listings are taken off by functions/trust/enforce-suspensions.ts. */
export const handler = httpHandler(trustRoutes.suspendUser, async ({ params, body, caller }) => {
  if (params.userId === caller.userId) throw selfSuspension();
  const { suspension, suspended } = await suspensionStore.suspend(params.userId, {
    reason: body.reason,
    by: caller.userId,
  });
  return { status: suspended ? 201 : 200, body: suspension };
});
