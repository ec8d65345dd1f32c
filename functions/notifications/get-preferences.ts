import { notificationStore } from '#shared/app/composition/stores/notification-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { notificationRoutes } from '../routes/notifications.ts';

export const handler = httpHandler(notificationRoutes.getNotificationPreferences, async ({ caller }) => ({
  status: 200,
  body: await notificationStore.preferences(caller.userId),
}));
