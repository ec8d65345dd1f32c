import { WebhookDeliveryStore } from '#shared/store/webhook-delivery-store.ts';
import { tableStore } from './document-client.ts';

export const webhookDeliveryStore = tableStore(WebhookDeliveryStore);
