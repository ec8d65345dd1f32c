import * as z from 'zod';
import { notificationLocales, optionalCategories } from '#shared/domain/notifications.ts';
import { component } from '#shared/http/component.ts';

const locale = () => z.enum(notificationLocales).meta({ description: 'The language mail is written in' });

const optedOut = () =>
  z
    .array(z.enum(optionalCategories))
    .max(optionalCategories.length)
    .meta({
      description:
        'Categories of mail turned off: order_updates (progress of your orders), reminders (steps due ' +
        'soon). Transactional mail (confirmations, refunds, payouts, orders to accept) cannot be turned off',
    });

export const preferencesView = component('NotificationPreferences', () =>
  z.object({ locale: locale(), optedOut: optedOut(), updatedAt: z.iso.datetime().optional() }),
);

export const preferencesBody = component('NotificationPreferencesChange', () =>
  z.strictObject({ locale: locale().optional(), optedOut: optedOut().optional() }),
);
