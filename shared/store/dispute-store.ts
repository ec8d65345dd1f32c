import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../domain/admin-audit.ts';
import type { DisputeEvidence } from '../domain/dispute-evidence.ts';
import type { Order } from '../domain/order.ts';
import { auditEntryPut } from './admin-audit-store.ts';
import type { TransactItem } from './conditional.ts';
import { disputeEvidenceEntity, disputeEvidenceKey } from './entities/dispute-evidence.ts';
import { disputeQueuePartition, orderEntity, orderKey } from './entities/order.ts';
import { idInSortKey } from './page-cursor.ts';
import { type Page, queryAll, queryPage } from './query-page.ts';

/** An order with the evidence of its dispute, oldest first. */
export interface OrderWithEvidence {
  readonly order: Order;
  readonly evidence: readonly DisputeEvidence[];
}

/**
 * Disputes of orders: the evidence parties add (written with the order's change that counts it),
 * an order read with its evidence, and the admins' queue. See README.md beside this file.
 */
export class DisputeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The Put of a new piece of evidence, for the transaction of the order change counting it. */
  evidencePut(evidence: DisputeEvidence): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: disputeEvidenceEntity.item(disputeEvidenceKey(evidence), evidence),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
  }

  /** The Put of an admin's audit entry, for the transaction recording what the admin decided. */
  auditPut(entry: Omit<AuditEntry, 'id'>): TransactItem {
    return auditEntryPut(this.tableName, entry);
  }

  /**
   * The order and its evidence with one Query (strongly consistent): the evidence items sort right
   * after the order item. Its pages are followed to the end; the evidence cap bounds them.
   */
  async orderWithEvidence(orderId: string): Promise<OrderWithEvidence | undefined> {
    const { PK, SK } = orderKey(orderId);
    const [first, ...rest] = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :order)',
      ExpressionAttributeValues: { ':pk': PK, ':order': SK },
      ConsistentRead: true,
    });
    if (first?.SK !== SK) return undefined;
    return {
      order: orderEntity.decode(first),
      evidence: rest.map((item) => disputeEvidenceEntity.decode(item)),
    };
  }

  /** The orders in the admins' dispute queue, open or closed, the longest-standing first. */
  async queue(status: 'open' | 'closed', limit: number, cursor?: string): Promise<Page<Order>> {
    const partition = disputeQueuePartition(status);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': partition.GSI1PK },
      },
      {
        kind: 'dispute',
        limit,
        cursor,
        sortKeyAttribute: 'GSI1SK',
        startKey: (sortKey) => ({ ...orderKey(idInSortKey(sortKey)), ...partition, GSI1SK: sortKey }),
      },
    );
    return { ...page, items: page.items.map((item) => orderEntity.decode(item)) };
  }
}
