import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ItemUpdate } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  type DeliveryAttempt,
  deliveryRetentionSeconds,
  type Redelivery,
  type WebhookDelivery,
  webhookDeliveryEntity,
  webhookDeliveryKey,
  webhookDeliveryPrefix,
} from './entities/webhook-delivery.ts';
import { type Page, queryPage } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';

export type NewDelivery = Omit<WebhookDelivery, 'status' | 'attempts' | 'redeliveries' | 'expiresAt'>;

/** Each webhook endpoint's deliveries, with every attempt. See README.md beside this file. */
export class WebhookDeliveryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records that the event is to be delivered to the endpoint: false when it was already. */
  async create(delivery: NewDelivery, now: Date): Promise<boolean> {
    const item = webhookDeliveryEntity.item(webhookDeliveryKey(delivery.endpointId, delivery.id), {
      ...delivery,
      status: 'pending',
      attempts: [],
      redeliveries: [],
      expiresAt: Math.floor(now.getTime() / 1000) + deliveryRetentionSeconds,
    });
    const cancelled = await new TransactionPlan<'delivery'>()
      .add('delivery', {
        Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' },
      })
      .write(this.client);
    if (cancelled && !cancelled.has('delivery')) throw cancelled.unexplained();
    return cancelled === undefined;
  }

  async get(endpointId: string, deliveryId: string): Promise<WebhookDelivery | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: webhookDeliveryKey(endpointId, deliveryId),
        ConsistentRead: true,
      }),
    );
    return decodeIfPresent(webhookDeliveryEntity, Item);
  }

  /**
   * Adds an attempt and the delivery's new standing, on condition that no other attempt was
   * recorded since the delivery was read: of two workers handed the same message, one records.
   */
  recordAttempt(
    delivery: WebhookDelivery,
    attempt: DeliveryAttempt,
    outcome: { status: WebhookDelivery['status']; nextAttemptAt?: string },
  ): Promise<boolean> {
    return this.updateDelivery(delivery, {
      UpdateExpression: `SET attempts = list_append(attempts, :attempt), #status = :status${
        outcome.nextAttemptAt ? ', nextAttemptAt = :next' : ' REMOVE nextAttemptAt'
      }`,
      ConditionExpression: 'size(attempts) = :before',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':attempt': [attempt],
        ':status': outcome.status,
        ':before': delivery.attempts.length,
        ...(outcome.nextAttemptAt ? { ':next': outcome.nextAttemptAt } : {}),
      },
    });
  }

  /**
   * Starts a new sequence of attempts of a delivery that is over, on condition that nothing was
   * attempted or redelivered since it was read: of two redeliveries at once, one starts.
   */
  redeliver(delivery: WebhookDelivery, redelivery: Redelivery): Promise<boolean> {
    return this.updateDelivery(delivery, {
      UpdateExpression:
        'SET #status = :pending, redeliveries = list_append(if_not_exists(redeliveries, :none), :redelivery) ' +
        'REMOVE nextAttemptAt',
      ConditionExpression:
        '#status <> :pending AND size(attempts) = :attempts AND ' +
        '(attribute_not_exists(redeliveries) OR size(redeliveries) = :redeliveries)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':none': [],
        ':redelivery': [redelivery],
        ':attempts': delivery.attempts.length,
        ':redeliveries': delivery.redeliveries.length,
      },
    });
  }

  /** The endpoint's deliveries, newest first, one Query a page. */
  async list(endpointId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
    const partition = webhookDeliveryKey(endpointId).PK;
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': webhookDeliveryPrefix },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      {
        kind: 'webhookDelivery',
        limit,
        cursor,
        sortKeyAttribute: 'SK',
        startKey: (SK) => ({ PK: partition, SK }),
      },
    );
    return { ...page, items: page.items.map((item) => webhookDeliveryEntity.decode(item)) };
  }

  /** One conditional update of a delivery: false when its condition failed. */
  private async updateDelivery(delivery: WebhookDelivery, update: ItemUpdate): Promise<boolean> {
    const cancelled = await new TransactionPlan<'delivery'>()
      .add('delivery', {
        Update: {
          TableName: this.tableName,
          Key: webhookDeliveryKey(delivery.endpointId, delivery.id),
          ...update,
        },
      })
      .write(this.client);
    if (cancelled && !cancelled.has('delivery')) throw cancelled.unexplained();
    return cancelled === undefined;
  }
}
