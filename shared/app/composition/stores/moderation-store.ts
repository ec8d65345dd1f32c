import { ModerationStore } from '#shared/store/moderation-store.ts';
import { tableStore } from './document-client.ts';

export const moderationStore = tableStore(ModerationStore);
