import { type NotificationPreferences, wantsNotification } from '#shared/domain/notifications.ts';
import type { Order } from '#shared/domain/order.ts';
import type { MarketplaceEvent } from '#shared/events/catalog.ts';
import { logger } from '#shared/logger.ts';
import {
  type EventContext,
  followsShipment,
  type Notification,
  needsOrder,
  notificationsOf,
} from '#shared/notifications/recipients.ts';
import { type RenderedEmail, renderEmail } from '#shared/notifications/render.ts';
import type { NotificationStore } from '#shared/store/notification-store.ts';
import type { NotificationSettings } from './notification-settings.ts';
import { type ReminderTimer, scheduleReminder } from './reminders.ts';

export interface NotifyDependencies {
  readonly store: Pick<NotificationStore, 'preferencesOf' | 'claim' | 'release' | 'latestTracking'>;
  readonly orderOf: (orderId: string) => Promise<Order | undefined>;
  readonly directory: {
    emailOf(userId: string): Promise<string | undefined>;
    membersOf(group: string): Promise<{ userId: string; email: string }[]>;
  };
  readonly mailer: { send(to: string, email: RenderedEmail): Promise<unknown> };
  readonly reminders: ReminderTimer;
  readonly settings: NotificationSettings;
}

/** Who a notification goes to: a user, or an admin with the address the group listing gave. */
type Addressee = { readonly userId: string; readonly email?: string | undefined };

const addresseesOf = (notification: Notification, deps: NotifyDependencies): Promise<Addressee[]> =>
  'admins' in notification.to
    ? deps.directory.membersOf('admin')
    : Promise.resolve([{ userId: notification.to.userId }]);

async function contextOf(event: MarketplaceEvent, deps: NotifyDependencies): Promise<EventContext> {
  if (!needsOrder(event)) return {};
  const order = await deps.orderOf(event.subject.id);
  if (!order) return {};
  const shipped = event.type === 'order.step_changed' && followsShipment(order, event.data.stepIndex);
  return { order, ...(shipped ? { tracking: await deps.store.latestTracking(order.id) } : {}) };
}

/**
 * Sends one notification to one addressee who wants it, once: a claim first, released again if
 * sending fails. Their address is read only then.
 */
async function send(
  event: MarketplaceEvent,
  notification: Notification,
  addressee: Addressee,
  preferences: NotificationPreferences,
  deps: NotifyDependencies,
  now: Date,
) {
  const { kind } = notification;
  if (!wantsNotification(preferences, kind)) return;
  const email = addressee.email ?? (await deps.directory.emailOf(addressee.userId));
  if (!email) {
    logger.warn('notification not sent: the user has no email address', { kind, userId: addressee.userId });
    return;
  }
  if (!(await deps.store.claim(event.id, kind, addressee.userId, now))) return;
  const rendered = renderEmail(kind, preferences.locale, {
    ...notification.values,
    marketplace: deps.settings.marketplaceName,
  });
  try {
    await deps.mailer.send(email, rendered);
  } catch (error) {
    await deps.store.release(event.id, kind, addressee.userId);
    throw error;
  }
  logger.info('notification sent', { kind, eventId: event.id, userId: addressee.userId });
}

/**
 * Mails what an event of the log means to the people it concerns, in their language and as they
 * chose, and starts the reminder of a step now awaited. At least once: an event delivered again
 * mails nobody twice (each notification is claimed before it is sent).
 */
export async function notifyOf(event: MarketplaceEvent, deps: NotifyDependencies, now = new Date()) {
  const context = await contextOf(event, deps);
  if (event.type === 'order.step_changed' && context.order) {
    await scheduleReminder(context.order, event.data, deps.settings.reminderLeadSeconds, deps.reminders, now);
  }
  for (const notification of notificationsOf(event, context)) {
    const addressees = await addresseesOf(notification, deps);
    const preferences = await deps.store.preferencesOf(addressees.map(({ userId }) => userId));
    for (const addressee of addressees) {
      const chosen = preferences.get(addressee.userId);
      if (chosen) await send(event, notification, addressee, chosen, deps, now);
    }
  }
}
