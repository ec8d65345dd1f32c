import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { listingNotFound } from '../domain/listing.ts';
import { type Report, type ReportResolution, reportExists, reportResolved } from '../domain/report.ts';
import { userSuspended } from '../domain/suspension.ts';
import { auditEntryPut } from './admin-audit-store.ts';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { listingKey } from './entities/listing.ts';
import {
  openReportEntity,
  openReportKey,
  openReportsPartition,
  reportEntity,
  reportKey,
  reportPageKey,
  reportQueueKeys,
} from './entities/report.ts';
import { userSuspensionKey } from './entities/user-suspension.ts';
import { type Page, queryPage } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';

export type NewReport = Pick<Report, 'reporterId' | 'target' | 'reason' | 'text'>;

/** Reports of listings and users, and the admins' queue of open ones. See README.md beside this file. */
export class ReportStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Files a report: one open report per reporter and target, of a listing that exists, by a
   * reporter who is not suspended, all checked in the transaction that writes it.
   */
  async create(report: NewReport, now = new Date()): Promise<Report> {
    const filed: Report = {
      ...report,
      id: randomUUID(),
      status: 'open',
      createdAt: now.toISOString(),
    };
    const plan = new TransactionPlan<'report' | 'open' | 'standing' | 'listing'>()
      .add('report', {
        Put: {
          TableName: this.tableName,
          Item: reportEntity.item({ ...reportKey(filed.id), ...reportQueueKeys(filed) }, filed),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })
      .add('open', {
        Put: {
          TableName: this.tableName,
          Item: openReportEntity.item(openReportKey(filed), { reportId: filed.id }),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })
      .add('standing', {
        ConditionCheck: {
          TableName: this.tableName,
          Key: userSuspensionKey(report.reporterId),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      });
    if (report.target.kind === 'listing') {
      plan.add('listing', {
        ConditionCheck: {
          TableName: this.tableName,
          Key: listingKey(report.target.id),
          ConditionExpression: 'attribute_exists(PK)',
        },
      });
    }
    const cancelled = await plan.write(this.client);
    if (!cancelled) return filed;
    if (cancelled.has('standing')) throw userSuspended();
    if (cancelled.has('listing')) throw listingNotFound(report.target.id);
    if (cancelled.has('open')) throw reportExists();
    throw cancelled.unexplained();
  }

  async get(reportId: string): Promise<Report | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: reportKey(reportId), ConsistentRead: true }),
    );
    return decodeIfPresent(reportEntity, Item);
  }

  /** The open reports, oldest first: the admins' queue. */
  async listOpen(limit: number, cursor?: string): Promise<Page<Report>> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': openReportsPartition.GSI1PK },
      },
      { kind: 'report', limit, cursor, sortKeyAttribute: 'GSI1SK', startKey: reportPageKey },
    );
    return { ...page, items: page.items.map((item) => reportEntity.decode(item)) };
  }

  /**
   * Closes the open report as read, out of the queue, and audits it with what it led to; a listing
   * removed goes off the marketplace for good in the same transaction.
   */
  async resolve(report: Report, resolution: ReportResolution): Promise<Report> {
    const resolved: Report = { ...report, status: 'resolved', resolution };
    const cancelled = await new TransactionPlan<'report' | 'open' | 'effect' | 'audit'>()
      .add('report', {
        Update: {
          TableName: this.tableName,
          Key: reportKey(report.id),
          UpdateExpression: 'SET #status = :resolved, resolution = :resolution REMOVE GSI1PK, GSI1SK',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':resolved': 'resolved', ':open': 'open', ':resolution': resolution },
        },
      })
      .add('open', { Delete: { TableName: this.tableName, Key: openReportKey(report) } })
      .add('effect', ...this.effectOf(report, resolution))
      .add('audit', ...this.auditOf(report, resolution))
      .write(this.client);
    if (!cancelled) return resolved;
    if (cancelled.has('report')) throw reportResolved();
    if (cancelled.has('effect')) throw listingNotFound(report.target.id);
    throw cancelled.unexplained();
  }

  /** Removing a reported listing unpublishes it and keeps why, which bars publishing it again. */
  private effectOf(report: Report, resolution: ReportResolution): TransactItem[] {
    if (resolution.outcome !== 'content-removed') return [];
    const removal = { by: resolution.by, at: resolution.at, reportId: report.id, note: resolution.note };
    return [
      {
        Update: {
          TableName: this.tableName,
          Key: listingKey(report.target.id),
          UpdateExpression:
            'SET #status = :unpublished, removal = :removal, version = version + :one, updatedAt = :now',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':unpublished': 'unpublished',
            ':removal': removal,
            ':one': 1,
            ':now': resolution.at,
          },
        },
      },
    ];
  }

  private auditOf(report: Report, resolution: ReportResolution): TransactItem[] {
    const entry = { at: resolution.at, actor: resolution.by, reason: resolution.note };
    return [
      auditEntryPut(this.tableName, {
        ...entry,
        action: 'report.resolved',
        target: { kind: 'report', id: report.id },
        reason: `${resolution.outcome}: ${resolution.note}`,
      }),
      ...(resolution.outcome === 'content-removed'
        ? [auditEntryPut(this.tableName, { ...entry, action: 'listing.removed', target: report.target })]
        : []),
      ...(resolution.outcome === 'user-warned' && resolution.userId
        ? [
            auditEntryPut(this.tableName, {
              ...entry,
              action: 'user.warned',
              target: { kind: 'user', id: resolution.userId },
            }),
          ]
        : []),
    ];
  }
}
