import { defineRoute } from '#shared/http/route.ts';
import { preferencesBody, preferencesView } from './schemas/notifications.ts';

/** Each user's choice of the language of their mail and of the mail they turn off. */
export const notificationRoutes = {
  getNotificationPreferences: defineRoute({
    method: 'GET',
    path: '/users/me/notification-preferences',
    handler: 'notifications/get-preferences',
    summary: 'Your notification preferences: language and the categories of mail you turned off',
    tags: ['notifications'],
    uses: { table: ['BatchGetItem'] },
    access: ['buyer', 'seller', 'admin', 'finance'],
    responses: {
      200: { description: 'Your preferences, the defaults if you never chose', body: preferencesView },
    },
  }),
  setNotificationPreferences: defineRoute({
    method: 'PATCH',
    path: '/users/me/notification-preferences',
    handler: 'notifications/set-preferences',
    summary: 'Choose the language of your mail and turn categories of it off or on',
    tags: ['notifications'],
    uses: { table: ['UpdateItem'] },
    access: ['buyer', 'seller', 'admin', 'finance'],
    body: preferencesBody,
    responses: { 200: { description: 'Your preferences as they now stand', body: preferencesView } },
  }),
};
