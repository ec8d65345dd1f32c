import * as z from 'zod';
import { defaultReminderLeadSeconds } from '#shared/domain/notifications.ts';

/** What the notifier is told by the operator: the name mail signs with and when reminders go out. */
export interface NotificationSettings {
  /** How the footer names the marketplace: "because of your account at <name>". */
  readonly marketplaceName: string;
  /** How long before a step's deadline its party is reminded. */
  readonly reminderLeadSeconds: number;
}

export const defaultNotificationSettings: NotificationSettings = {
  marketplaceName: 'the marketplace',
  reminderLeadSeconds: defaultReminderLeadSeconds,
};

/** A week: steps shorter than the lead get no reminder, and few steps last longer. */
export const maxReminderLeadSeconds = 7 * 24 * 60 * 60;

const settingsSchema = z.object({
  NOTIFICATION_MARKETPLACE_NAME: z
    .string()
    .min(1)
    .max(100)
    .default(defaultNotificationSettings.marketplaceName),
  NOTIFICATION_REMINDER_LEAD_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(maxReminderLeadSeconds)
    .default(defaultNotificationSettings.reminderLeadSeconds),
});

/** The settings from the environment that CDK context (or the local stack) sets. */
export function notificationSettings(environment: NodeJS.ProcessEnv = process.env): NotificationSettings {
  const parsed = settingsSchema.safeParse(environment);
  if (!parsed.success) throw new Error(`Invalid notification settings: ${z.prettifyError(parsed.error)}`);
  return {
    marketplaceName: parsed.data.NOTIFICATION_MARKETPLACE_NAME,
    reminderLeadSeconds: parsed.data.NOTIFICATION_REMINDER_LEAD_SECONDS,
  };
}
