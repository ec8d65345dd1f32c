import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../domain/admin-audit.ts';
import type { TransactItem } from './conditional.ts';
import {
  auditEntryEntity,
  auditEntryItem,
  auditLogPartition,
  auditTargetPartition,
} from './entities/audit-entry.ts';
import { type Page, queryPage } from './query-page.ts';

/** The Put of an action's audit entry, for the transaction that makes the change it records. */
export const auditEntryPut = (tableName: string, entry: Omit<AuditEntry, 'id'>): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: auditEntryItem({ id: randomUUID(), ...entry }),
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

/** The admin audit log. See README.md beside this file. */
export class AdminAuditStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Every action, or those on one target, newest first. */
  async list(limit: number, cursor?: string, target?: AuditEntry['target']): Promise<Page<AuditEntry>> {
    const byTarget = target ? auditTargetPartition(target) : undefined;
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        ...(byTarget
          ? {
              IndexName: 'GSI1',
              KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
              ExpressionAttributeValues: { ':pk': byTarget.GSI1PK, ':prefix': 'ACTION#' },
            }
          : {
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
              ExpressionAttributeValues: { ':pk': auditLogPartition.PK, ':prefix': 'ACTION#' },
            }),
        ScanIndexForward: false,
      },
      {
        kind: 'audit',
        limit,
        cursor,
        sortKeyAttribute: byTarget ? 'GSI1SK' : 'SK',
        startKey: (sortKey) => ({
          ...auditLogPartition,
          SK: sortKey,
          ...byTarget,
          ...(byTarget ? { GSI1SK: sortKey } : {}),
        }),
      },
    );
    return { ...page, items: page.items.map((item) => auditEntryEntity.decode(item)) };
  }
}
