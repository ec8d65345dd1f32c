import { notificationStore } from '#shared/app/composition/stores/notification-store.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { notificationRoutes } from '../routes/notifications.ts';

export const handler = httpHandler(
  notificationRoutes.setNotificationPreferences,
  async ({ caller, body }) => ({
    status: 200,
    body: await notificationStore.updatePreferences(caller.userId, body, new Date()),
  }),
);
