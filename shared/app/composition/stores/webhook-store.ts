import { WebhookStore } from '#shared/store/webhook-store.ts';
import { tableStore } from './document-client.ts';

export const webhookStore = tableStore(WebhookStore);
