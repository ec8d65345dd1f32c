import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  defaultNotificationPreferences,
  type NotificationPreferences,
  type StepReminder,
} from '../domain/notifications.ts';
import { batchGetAll } from './batch-get.ts';
import {
  notificationPreferencesEntity,
  notificationPreferencesKey,
  sentNotificationEntity,
  sentNotificationKey,
  sentNotificationRetentionSeconds,
  stepReminderEntity,
  stepReminderKey,
} from './entities/notification.ts';
import { orderKey } from './entities/order.ts';
import { orderEventEntity, orderEventPrefix } from './entities/order-event.ts';

/** How many history entries back the shipping action is looked for: the step after it is new. */
const shipmentLookback = 5;

/** Users' notification preferences, steps' reminders and the notifications claimed for sending. */
export class NotificationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async preferences(userId: string): Promise<NotificationPreferences> {
    return (await this.preferencesOf([userId])).get(userId) ?? defaultNotificationPreferences;
  }

  /** Each user's preferences, the defaults for those who never chose: one BatchGetItem. */
  async preferencesOf(userIds: readonly string[]): Promise<Map<string, NotificationPreferences>> {
    const unique = [...new Set(userIds)];
    const found = new Map<string, NotificationPreferences>();
    if (unique.length === 0) return found;
    const items = await batchGetAll(this.client, this.tableName, unique.map(notificationPreferencesKey));
    for (const item of items) {
      found.set(String(item.PK).replace(/^USER#/, ''), notificationPreferencesEntity.decode(item));
    }
    return new Map(unique.map((userId) => [userId, found.get(userId) ?? defaultNotificationPreferences]));
  }

  /**
   * Changes what `change` names and keeps the rest, in one UpdateItem: two changes at once each
   * keep the other's field. Answers the preferences as they now stand.
   */
  async updatePreferences(
    userId: string,
    change: Partial<Pick<NotificationPreferences, 'locale' | 'optedOut'>>,
    now: Date,
  ): Promise<NotificationPreferences> {
    const set = (field: 'locale' | 'optedOut') =>
      change[field] === undefined ? `${field} = if_not_exists(${field}, :${field})` : `${field} = :${field}`;
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: notificationPreferencesKey(userId),
        UpdateExpression: `SET ${set('locale')}, ${set('optedOut')}, updatedAt = :now, entity = :entity, schemaVersion = :version`,
        ExpressionAttributeValues: {
          ':locale': change.locale ?? defaultNotificationPreferences.locale,
          ':optedOut': [...new Set(change.optedOut ?? defaultNotificationPreferences.optedOut)],
          ':now': now.toISOString(),
          ':entity': notificationPreferencesEntity.stamp.entity,
          ':version': notificationPreferencesEntity.stamp.schemaVersion,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return notificationPreferencesEntity.decode(Attributes ?? {});
  }

  /** Puts the reminder, once per step and deadline; false when it was put already. */
  remind(reminder: StepReminder): Promise<boolean> {
    return this.putOnce(
      stepReminderEntity.item(
        stepReminderKey(reminder.orderId, reminder.stepIndex, reminder.deadline),
        reminder,
      ),
    );
  }

  /**
   * Claims the sending of one notification; false when it was claimed before (the event came
   * again). A claim whose sending failed is released, so that the retry sends it.
   */
  claim(eventId: string, kind: string, userId: string, now: Date): Promise<boolean> {
    const expiresAt = Math.floor(now.getTime() / 1000) + sentNotificationRetentionSeconds;
    return this.putOnce(
      sentNotificationEntity.item(sentNotificationKey(eventId, kind, userId), { expiresAt }),
    );
  }

  /** Puts the item unless one with its key exists: false when it did. */
  private async putOnce(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async release(eventId: string, kind: string, userId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: sentNotificationKey(eventId, kind, userId) }),
    );
  }

  /** The tracking the order's latest shipping action gave, if it gave any. */
  async latestTracking(orderId: string): Promise<{ trackingNumber?: string; carrier?: string }> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': orderKey(orderId).PK, ':prefix': orderEventPrefix },
        ScanIndexForward: false,
        Limit: shipmentLookback,
      }),
    );
    const shipped = Items.map((item) => orderEventEntity.decode(item)).find(
      (entry) => entry.type === 'action' && entry.data?.trackingNumber,
    );
    const { trackingNumber, carrier } = shipped?.data ?? {};
    return { ...(trackingNumber ? { trackingNumber } : {}), ...(carrier ? { carrier } : {}) };
  }
}
