import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  concurrentSecretRotation,
  maxEndpointsPerOwner,
  tooManyEndpoints,
  type WebhookEndpoint,
  type WebhookSecret,
  webhookEndpointNotFound,
} from '../domain/webhooks.ts';
import { batchGetAll } from './batch-get.ts';
import type { ItemUpdate } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  webhookEndpointCountEntity,
  webhookEndpointCountKey,
  webhookEndpointEntity,
  webhookEndpointKey,
  webhookEndpointPrefix,
} from './entities/webhook-endpoint.ts';
import { TransactionPlan } from './transaction.ts';

/** Webhook endpoints under their owners. See README.md beside this file; deliveries are in webhook-delivery-store.ts. */
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

  /**
   * Replaces the endpoint's secrets with those of a rotation, on condition that its current secret
   * is still the one the rotation started from: of two rotations at once, one is refused.
   */
  async replaceSecrets(endpoint: WebhookEndpoint, secrets: readonly WebhookSecret[]): Promise<void> {
    const written = await this.updateEndpoint(endpoint.owner, endpoint.id, {
      UpdateExpression: 'SET secrets = :secrets',
      ConditionExpression: 'secrets[0].#secret = :current',
      ExpressionAttributeNames: { '#secret': 'secret' },
      ExpressionAttributeValues: { ':secrets': secrets, ':current': endpoint.secrets[0]?.secret ?? '' },
    });
    if (!written) throw concurrentSecretRotation(endpoint.id);
  }

  /**
   * Turns the endpoint off, keeping it and its deliveries: false if it was off already, or, given
   * `failingSince`, if it has succeeded since (it no longer fails since then).
   */
  disable(owner: string, endpointId: string, reason: string, now: Date, failingSince?: string) {
    return this.updateEndpoint(owner, endpointId, {
      UpdateExpression: 'SET #status = :disabled, disabledReason = :reason, disabledAt = :now',
      ConditionExpression: `#status = :enabled${failingSince ? ' AND failingSince = :since' : ''}`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':disabled': 'disabled',
        ':enabled': 'enabled',
        ':reason': reason,
        ':now': now.toISOString(),
        ...(failingSince ? { ':since': failingSince } : {}),
      },
    });
  }

  /** Turns a disabled endpoint on again, its failures forgotten: false if it was on already. */
  enable(owner: string, endpointId: string) {
    return this.updateEndpoint(owner, endpointId, {
      UpdateExpression: 'SET #status = :enabled REMOVE disabledReason, disabledAt, failingSince',
      ConditionExpression: '#status = :disabled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':disabled': 'disabled', ':enabled': 'enabled' },
    });
  }

  /** Notes that the endpoint's attempts began to fail now, unless they had already. */
  markFailing(owner: string, endpointId: string, now: Date) {
    return this.updateEndpoint(owner, endpointId, {
      UpdateExpression: 'SET failingSince = :now',
      ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(failingSince)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    });
  }

  /** Forgets the endpoint's failures: an attempt succeeded. */
  markSucceeding(owner: string, endpointId: string) {
    return this.updateEndpoint(owner, endpointId, {
      UpdateExpression: 'REMOVE failingSince',
      ConditionExpression: 'attribute_exists(failingSince)',
    });
  }

  /** One conditional update of an endpoint: false when its condition failed. */
  private async updateEndpoint(owner: string, endpointId: string, update: ItemUpdate): Promise<boolean> {
    const cancelled = await new TransactionPlan<'endpoint'>()
      .add('endpoint', {
        Update: { TableName: this.tableName, Key: webhookEndpointKey(owner, endpointId), ...update },
      })
      .write(this.client);
    if (cancelled && !cancelled.has('endpoint')) throw cancelled.unexplained();
    return cancelled === undefined;
  }
}
