import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  maxEndpointsPerOwner,
  tooManyEndpoints,
  type WebhookEndpoint,
  webhookEndpointNotFound,
} from '../domain/webhooks.ts';
import { batchGetAll } from './batch-get.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  type DeliveryAttempt,
  deliveryRetentionSeconds,
  type WebhookDelivery,
  webhookDeliveryEntity,
  webhookDeliveryKey,
  webhookDeliveryPrefix,
} from './entities/webhook-delivery.ts';
import {
  webhookEndpointCountEntity,
  webhookEndpointCountKey,
  webhookEndpointEntity,
  webhookEndpointKey,
  webhookEndpointPrefix,
} from './entities/webhook-endpoint.ts';
import { type Page, queryPage } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';

/** Webhook endpoints under their owners, and each endpoint's deliveries. See README.md beside this file. */
export class WebhookStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Registers the endpoint, unless its owner has the most endpoints allowed already. */
  async register(endpoint: WebhookEndpoint): Promise<void> {
    const cancelled = await new TransactionPlan<'endpoint' | 'count'>()
      .add('endpoint', {
        Put: {
          TableName: this.tableName,
          Item: webhookEndpointEntity.item(webhookEndpointKey(endpoint.owner, endpoint.id), endpoint),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })
      .add('count', this.countChange(endpoint.owner, 1))
      .write(this.client);
    if (cancelled?.has('count')) throw tooManyEndpoints();
    if (cancelled) throw cancelled.unexplained();
  }

  async remove(owner: string, endpointId: string): Promise<void> {
    const cancelled = await new TransactionPlan<'endpoint' | 'count'>()
      .add('endpoint', {
        Delete: {
          TableName: this.tableName,
          Key: webhookEndpointKey(owner, endpointId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      })
      .add('count', this.countChange(owner, -1))
      .write(this.client);
    if (cancelled?.has('endpoint')) throw webhookEndpointNotFound(endpointId);
    if (cancelled) throw cancelled.unexplained();
  }

  private countChange(owner: string, by: 1 | -1) {
    return {
      Update: {
        TableName: this.tableName,
        Key: webhookEndpointCountKey(owner),
        UpdateExpression:
          'SET #count = if_not_exists(#count, :zero) + :by, entity = :entity, schemaVersion = :version',
        ...(by > 0 ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :max' } : {}),
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':by': by,
          ':entity': webhookEndpointCountEntity.stamp.entity,
          ':version': webhookEndpointCountEntity.stamp.schemaVersion,
          ...(by > 0 ? { ':max': maxEndpointsPerOwner } : {}),
        },
      },
    };
  }

  async get(owner: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: webhookEndpointKey(owner, endpointId),
        ConsistentRead: true,
      }),
    );
    return decodeIfPresent(webhookEndpointEntity, Item);
  }

  /**
   * Of these owners, those with an endpoint: one BatchGetItem of their counts, so that events of
   * owners without endpoints (most of them) cost no Query.
   */
  async ownersWithEndpoints(owners: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(owners)];
    const items = await batchGetAll(this.client, this.tableName, unique.map(webhookEndpointCountKey));
    return new Set(
      items
        .filter((item) => webhookEndpointCountEntity.decode(item).count > 0)
        .map((item) => String(item.PK).replace(/^WEBHOOKS#/, '')),
    );
  }

  /** The owner's endpoints, oldest id first: at most ten, one Query. */
  async list(owner: string): Promise<WebhookEndpoint[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': webhookEndpointKey(owner).PK, ':prefix': webhookEndpointPrefix },
      }),
    );
    return Items.map((item) => webhookEndpointEntity.decode(item));
  }

  /** Turns the endpoint off (the receiver asked, with 410 Gone), keeping it and its deliveries. */
  async disable(owner: string, endpointId: string, reason: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: webhookEndpointKey(owner, endpointId),
        UpdateExpression: 'SET #status = :disabled, disabledReason = :reason',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':disabled': 'disabled', ':reason': reason },
      }),
    );
  }

  /** Records that the event is to be delivered to the endpoint: false when it was already. */
  async createDelivery(
    delivery: Omit<WebhookDelivery, 'status' | 'attempts' | 'expiresAt'>,
    now: Date,
  ): Promise<boolean> {
    const item = webhookDeliveryEntity.item(webhookDeliveryKey(delivery.endpointId, delivery.position), {
      ...delivery,
      status: 'pending',
      attempts: [],
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

  async delivery(endpointId: string, position: string): Promise<WebhookDelivery | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: webhookDeliveryKey(endpointId, position),
        ConsistentRead: true,
      }),
    );
    return decodeIfPresent(webhookDeliveryEntity, Item);
  }

  /**
   * Adds an attempt and the delivery's new standing, on condition that no other attempt was
   * recorded since `attemptsBefore`: of two workers handed the same message, one records.
   */
  async recordAttempt(
    delivery: WebhookDelivery,
    attempt: DeliveryAttempt,
    outcome: { status: WebhookDelivery['status']; nextAttemptAt?: string },
  ): Promise<boolean> {
    const cancelled = await new TransactionPlan<'attempt'>()
      .add('attempt', {
        Update: {
          TableName: this.tableName,
          Key: webhookDeliveryKey(delivery.endpointId, delivery.position),
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
        },
      })
      .write(this.client);
    if (cancelled && !cancelled.has('attempt')) throw cancelled.unexplained();
    return cancelled === undefined;
  }

  /** The endpoint's deliveries, newest event first, one Query a page. */
  async deliveries(endpointId: string, limit: number, cursor?: string): Promise<Page<WebhookDelivery>> {
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
}
