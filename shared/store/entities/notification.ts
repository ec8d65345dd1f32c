import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import {
  type NotificationPreferences,
  notificationLocales,
  optionalCategories,
  type StepReminder,
} from '../../domain/notifications.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** A user's choice of language and of the mail they turned off; absent until they choose. */
export const notificationPreferencesEntity = defineEntity<NotificationPreferences>({
  name: entities.notificationPreferences,
  version: 1,
  schema: deferred(() =>
    z.object({
      locale: z.enum(notificationLocales),
      optedOut: z.array(z.enum(optionalCategories)),
      updatedAt: z.string().optional(),
    }),
  ),
  keys: [{ PK: 'USER#<userId>', SK: 'NOTIFICATION_PREFERENCES' }],
});

export const notificationPreferencesKey = (userId: string) => ({
  PK: `USER#${userId}`,
  SK: 'NOTIFICATION_PREFERENCES',
});

/** The moment a step's party is reminded of its deadline: put once, its stream record is the event. */
export const stepReminderEntity = defineEntity<StepReminder>({
  name: entities.stepReminder,
  version: 1,
  schema: deferred(() =>
    z.object({
      orderId: z.string(),
      step: z.string(),
      stepIndex: z.number().int(),
      party: z.string(),
      deadline: z.string(),
      audience: z.array(z.string()),
      remindedAt: z.string(),
    }),
  ),
  keys: [{ PK: 'ORDER#<orderId>', SK: 'REMINDER#<stepIndex>#<deadline>' }],
});

export const stepReminderKey = (orderId: string, stepIndex: number, deadline: string) => ({
  PK: `ORDER#${orderId}`,
  SK: `REMINDER#${stepIndex}#${deadline}`,
});

/**
 * A notification claimed for sending: put before the mail goes, so that an event delivered again
 * mails nobody twice; deleted again when the sending fails. Kept a week, past the stream's retention.
 */
export const sentNotificationEntity = defineEntity<{ readonly expiresAt: number }>({
  name: entities.sentNotification,
  version: 1,
  schema: deferred(() => z.object({ expiresAt: z.number().int() })),
  keys: [{ PK: 'NOTIFICATION#<eventId>#<kind>#<userId>', SK: 'SENT' }],
});

export const sentNotificationKey = (eventId: string, kind: string, userId: string) => ({
  PK: `NOTIFICATION#${eventId}#${kind}#${userId}`,
  SK: 'SENT',
});

export const sentNotificationRetentionSeconds = 7 * 24 * 60 * 60;
