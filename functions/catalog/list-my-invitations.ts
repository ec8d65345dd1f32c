import { providerInvitationStore } from '#shared/app/composition/stores/provider-invitation-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { catalogRoutes } from '../routes/catalog.ts';

export const handler = httpHandler(catalogRoutes.listMyInvitations, async ({ query, caller }) => ({
  status: 200,
  body: await providerInvitationStore.listFor(caller.userId, query.limit, query.cursor),
}));
