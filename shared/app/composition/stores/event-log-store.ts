import { EventLogStore } from '#shared/store/event-log-store.ts';
import { tableStore } from './document-client.ts';

export const eventLogStore = tableStore(EventLogStore);
