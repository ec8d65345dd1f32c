import { providerInvitationStore } from '#shared/app/composition/stores/provider-invitation-store.ts';
import type { ConsentDecision } from '#shared/domain/provider-consent.ts';
import { httpHandler } from '#shared/http/handler.ts';
import type { catalogRoutes } from '../routes/catalog.ts';

/** The entry point of an accept or decline route: only the provider invited decides. */
export function decisionHandler(
  route: typeof catalogRoutes.acceptInvitation | typeof catalogRoutes.declineInvitation,
  decision: ConsentDecision,
) {
  return httpHandler(route, async ({ params, caller }) => ({
    status: 200,
    body: await providerInvitationStore.decide(params.listingId, params.party, caller.userId, decision),
  }));
}
