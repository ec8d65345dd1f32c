import { ProviderInvitationStore } from '#shared/store/provider-invitation-store.ts';
import { tableStore } from './document-client.ts';

export const providerInvitationStore = tableStore(ProviderInvitationStore);
