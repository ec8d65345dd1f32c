import { NotificationStore } from '#shared/store/notification-store.ts';
import { tableStore } from './document-client.ts';

export const notificationStore = tableStore(NotificationStore);
