import { StripeEventStore } from '#shared/store/stripe-event-store.ts';
import { tableStore } from './document-client.ts';

export const stripeEventStore = tableStore(StripeEventStore);
