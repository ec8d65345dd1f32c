import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { mailer, userDirectory } from '#shared/app/composition/notifications.ts';
import { notificationStore } from '#shared/app/composition/stores/notification-store.ts';
import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { stepReminderWorkflow } from '#shared/app/composition/workflows.ts';
import { notificationSettings } from '#shared/app/notifications/notification-settings.ts';
import { type NotifyDependencies, notifyOf } from '#shared/app/notifications/notify.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { marketplaceEventEntity } from '#shared/store/entities/marketplace-event.ts';
import { streamImage } from '#shared/streams/batch.ts';

const dependencies = onFirstUse(
  (): NotifyDependencies => ({
    store: notificationStore,
    orderOf: (orderId) => orderStore.get(orderId),
    directory: userDirectory,
    mailer,
    reminders: stepReminderWorkflow,
    settings: notificationSettings(),
  }),
);

/**
 * Mails the people each event appended to the log concerns, and starts steps' reminders. A record
 * that fails is retried from there on (the events before it are not mailed again: each notification
 * is claimed once).
 */
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  for (const record of event.Records) {
    const logged =
      record.eventName === 'INSERT' ? streamImage(record, 'NewImage', marketplaceEventEntity) : undefined;
    if (!logged) continue;
    try {
      await notifyOf(logged, dependencies);
    } catch (error) {
      logger.error('notifying of an event failed', { eventId: logged.id, error });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
